package org.dicomweb.gateway.core.frames;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.dicomweb.gateway.core.transcode.FrameCodec;
import org.dicomweb.gateway.core.transcode.FrameCodecs;
import org.dicomweb.gateway.core.transcode.PixelDescription;
import org.dicomweb.gateway.wado.Frames;

/**
 * One frame's bytes converted by the gateway's codecs: compressed frames decoded to native, native ones encoded,
 * or both (JPEG lossless to RLE). Which conversions exist depends on the frames' transfer syntax and pixel
 * description: a 16-bit CT slice, say, has no JPEG baseline encoding.
 */
final class FrameConversion {

    private static final String NATIVE = "1.2.840.10008.1.2.1";

    private final FrameCodec decoder;
    private final FrameCodec encoder;
    private final PixelDescription held;
    private final PixelDescription nativePixels;

    private FrameConversion(FrameCodec decoder, FrameCodec encoder, PixelDescription held,
            PixelDescription nativePixels) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.held = held;
        this.nativePixels = nativePixels;
    }

    /** The encodings the layout's frames convert to: native first (if they are compressed), then the encoders'. */
    static List<Frames.Encoding> targets(FrameLayout layout) {
        List<Frames.Encoding> targets = new ArrayList<>();
        Optional<PixelDescription> nativePixels = nativePixels(layout);
        if (nativePixels.isEmpty()) {
            return targets;
        }
        if (!isNative(layout)) {
            targets.add(new Frames.Encoding(Frames.NATIVE_MEDIA_TYPE, NATIVE));
        }
        for (String syntax : FrameCodecs.encodable()) {
            if (!syntax.equals(layout.transferSyntax())
                    && FrameCodecs.forTransferSyntax(syntax).orElseThrow().canEncode(nativePixels.get())) {
                targets.add(new Frames.Encoding(FrameLayout.mediaType(syntax), syntax));
            }
        }
        return targets;
    }

    /** The conversion of the layout's frames to one of its {@link #targets}. */
    static FrameConversion to(FrameLayout layout, Frames.Encoding encoding) {
        if (!targets(layout).contains(encoding)) {
            throw new IllegalArgumentException("frames in " + layout.transferSyntax() + " do not convert to "
                    + encoding);
        }
        FrameCodec decoder = isNative(layout) ? null : FrameCodecs.forTransferSyntax(layout.transferSyntax())
                .orElseThrow();
        FrameCodec encoder = encoding.transferSyntax().equals(NATIVE) ? null
                : FrameCodecs.forTransferSyntax(encoding.transferSyntax()).orElseThrow();
        return new FrameConversion(decoder, encoder, layout.pixels(), nativePixels(layout).orElseThrow());
    }

    /** Frame {@code number}'s bytes as held, converted. */
    byte[] apply(byte[] frame, int number) throws IOException {
        try {
            byte[] decoded = decoder == null ? frame : decoder.decode(frame, held);
            return encoder == null ? decoded : encoder.encode(decoded, nativePixels);
        } catch (IOException | RuntimeException e) {
            throw new IOException("frame " + number + " could not be converted: " + e.getMessage(), e);
        }
    }

    /** How the frames read once native: empty when unknown (an old S3 layout) or no codec decodes them. */
    private static Optional<PixelDescription> nativePixels(FrameLayout layout) {
        if (layout.pixels() == null) {
            return Optional.empty();
        }
        if (isNative(layout)) {
            return Optional.of(layout.pixels());
        }
        return FrameCodecs.forTransferSyntax(layout.transferSyntax())
                .filter(codec -> codec.canDecode(layout.pixels()))
                .map(codec -> codec.decoded(layout.pixels()));
    }

    private static boolean isNative(FrameLayout layout) {
        return layout.mediaType().equals(Frames.NATIVE_MEDIA_TYPE);
    }
}
