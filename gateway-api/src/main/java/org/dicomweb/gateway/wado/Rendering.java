package org.dicomweb.gateway.wado;

import java.util.Optional;

/**
 * How to render a frame (PS3.18 §8.3.5.1): the image's media type ({@code image/jpeg} or {@code image/png}), JPEG
 * quality (1..100), the viewport the image is scaled to fit keeping its aspect ratio (none: its own size), and a VOI
 * window replacing the data set's own (none: the data set's window centre and width or VOI LUT).
 */
public record Rendering(String mediaType, int quality, Optional<Viewport> viewport, Optional<Window> window) {

    public static final String JPEG = "image/jpeg";
    public static final String PNG = "image/png";

    public record Viewport(int width, int height) {
    }

    /** A linear VOI window (PS3.3 §C.11.2.1.2.1). */
    public record Window(double center, double width) {
    }
}
