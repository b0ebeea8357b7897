package org.dicomweb.gateway.core.transcode;

/**
 * The Image Pixel Module attributes (PS3.3 C.7.6.3) a codec needs to decode or encode one frame, as the data set
 * holds them. A codec says how they change ({@link FrameCodec#decoded}, {@link FrameCodec#encoded}): JPEG baseline
 * colour, for one, is YBR_FULL_422 in its bitstream and RGB once decoded.
 */
public record PixelDescription(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
        int highBit, int pixelRepresentation, int planarConfiguration, String photometricInterpretation,
        int numberOfFrames) {

    /** The bytes of one native frame (PS3.5 §8.1.1): rows × columns × samples × bits allocated, in whole bytes. */
    public long nativeFrameLength() {
        long bits = (long) rows * columns * samplesPerPixel * bitsAllocated;
        return (bits + 7) / 8;
    }

    public PixelDescription withPhotometricInterpretation(String photometric, int planar) {
        return new PixelDescription(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit,
                pixelRepresentation, planar, photometric, numberOfFrames);
    }
}
