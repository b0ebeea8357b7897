package org.dicomweb.gateway.web.studies;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.error.NotAcceptableException;
import org.dicomweb.gateway.wado.Rendering;
import org.dicomweb.gateway.wado.WadoPixelService;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * Runs WADO-RS rendered (PS3.18 §10.4.1.1.3) and thumbnail (§10.4.1.1.6) requests for {@link StudiesResource}: the
 * media type from Accept, the {@code quality}, {@code viewport} and {@code window} parameters (§8.3.5.1). Other
 * parameters of §8.3.5.1 (annotation, iccprofile, charset) are ignored.
 */
@ApplicationScoped
public class RenderedRetrieve {

    /** A thumbnail without a viewport fits this square. */
    static final int THUMBNAIL_SIZE = 128;
    private static final int DEFAULT_QUALITY = 85;
    private static final List<String> MEDIA_TYPES = List.of(Rendering.JPEG, Rendering.PNG);

    @Inject
    WadoPixelService pixels;

    /**
     * {@code kind} "thumbnail": the image a viewer shows in a list, {@code viewport} honoured, else
     * {@value #THUMBNAIL_SIZE} pixels square, and no other parameter. {@code frameList}: null for a study, series or
     * instance (an instance is rendered by its first frame).
     */
    CompletionStage<Response> render(String kind, HttpHeaders headers, MultivaluedMap<String, String> query,
            String aet, String study, String series, String instance, String frameList) {
        String mediaType = mediaType(headers.getAcceptableMediaTypes());
        Optional<Rendering.Viewport> viewport = viewport(query.getFirst("viewport"));
        Rendering rendering = kind.equals("thumbnail")
                ? new Rendering(mediaType, DEFAULT_QUALITY,
                        Optional.of(viewport.orElse(new Rendering.Viewport(THUMBNAIL_SIZE, THUMBNAIL_SIZE))),
                        Optional.empty())
                : new Rendering(mediaType, quality(query.getFirst("quality")), viewport,
                        window(query.getFirst("window")));
        int frame = frameList == null ? 1 : singleFrame(frameList);
        WadoRequest target = new WadoRequest(study, series, instance, WadoRequest.ANY_TRANSFER_SYNTAX);
        return pixels.rendered(aet, target, frame, rendering)
                .thenApply(image -> Response.ok(image, rendering.mediaType()).build());
    }

    private static int singleFrame(String frameList) {
        List<Integer> numbers = FramesRetrieve.frameNumbers(frameList);
        if (numbers.size() != 1) {
            throw new InvalidRequestException("a rendered frame is one frame number, not '" + frameList + "'");
        }
        return numbers.get(0);
    }

    /** The first acceptable of image/jpeg and image/png; any image, or anything, is JPEG. */
    private static String mediaType(List<MediaType> acceptable) {
        for (MediaType type : acceptable) {
            for (String offered : MEDIA_TYPES) {
                if (type.isCompatible(MediaType.valueOf(offered))) {
                    return offered;
                }
            }
        }
        throw new NotAcceptableException("no rendered image in the media types accepted", MEDIA_TYPES);
    }

    private static int quality(String value) {
        if (value == null) {
            return DEFAULT_QUALITY;
        }
        int quality = number("quality", value);
        if (quality < 1 || quality > 100) {
            throw new InvalidRequestException("quality=" + value + ": from 1 to 100");
        }
        return quality;
    }

    /** {@code vw,vh}: the image is scaled to fit, keeping its aspect ratio (no cropping to a source region). */
    private static Optional<Rendering.Viewport> viewport(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String[] sizes = value.split(",", -1);
        if (sizes.length != 2) {
            throw new InvalidRequestException("viewport=" + value + ": width,height (source regions not supported)");
        }
        int width = number("viewport width", sizes[0]);
        int height = number("viewport height", sizes[1]);
        if (width < 1 || height < 1 || width > 8192 || height > 8192) {
            throw new InvalidRequestException("viewport=" + value + ": sizes from 1 to 8192");
        }
        return Optional.of(new Rendering.Viewport(width, height));
    }

    /** {@code center,width[,function]}: only the linear function (PixelMed's renderer knows no other). */
    private static Optional<Rendering.Window> window(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split(",", -1);
        if (parts.length < 2 || parts.length > 3 || parts.length == 3 && !parts[2].equalsIgnoreCase("linear")) {
            throw new InvalidRequestException("window=" + value + ": center,width[,linear]");
        }
        try {
            double center = Double.parseDouble(parts[0]);
            double width = Double.parseDouble(parts[1]);
            if (width < 1 || !Double.isFinite(center) || !Double.isFinite(width)) {
                throw new InvalidRequestException("window=" + value + ": a finite center and a width of at least 1");
            }
            return Optional.of(new Rendering.Window(center, width));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("window=" + value + ": center and width are numbers");
        }
    }

    private static int number(String what, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(what + " '" + value + "' is not a whole number");
        }
    }
}
