package org.dicomweb.gateway.core.transcode;

/** Decoded sample values as a native frame: one byte each for 8 bits allocated, else little-endian words. */
final class NativeSamples {

    private NativeSamples() {
    }

    static byte[] of(int[] samples, int bitsAllocated) {
        if (bitsAllocated == 8) {
            byte[] frame = new byte[samples.length];
            for (int i = 0; i < samples.length; i++) {
                frame[i] = (byte) samples[i];
            }
            return frame;
        }
        byte[] frame = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            frame[2 * i] = (byte) samples[i];
            frame[2 * i + 1] = (byte) (samples[i] >>> 8);
        }
        return frame;
    }
}
