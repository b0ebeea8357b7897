package org.dicomweb.gateway.core.transcode;

import java.io.IOException;
import java.util.Arrays;

/**
 * The JPEG-LS decoding process (ITU-T T.87 Annex A) of one single-component scan; section numbers are the
 * standard's. State is per frame: an instance decodes one bitstream.
 */
final class JpegLsDecoder {

    private static final int[] J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10,
        11, 12, 13, 14, 15};
    private static final int REGULAR_CONTEXTS = 365;

    private final byte[] in;
    private int position;
    private int current;
    private int bitsLeft;
    private int previousByte;

    private int maxVal;
    private int near;
    private int range;
    private int qbpp;
    private int limit;
    private int t1;
    private int t2;
    private int t3;
    private int reset = 64;

    // Contexts 0..364 regular, 365 and 366 run interruption (A.2.1).
    private final int[] a = new int[REGULAR_CONTEXTS + 2];
    private final int[] b = new int[REGULAR_CONTEXTS + 2];
    private final int[] c = new int[REGULAR_CONTEXTS + 2];
    private final int[] n = new int[REGULAR_CONTEXTS + 2];
    private final int[] nn = new int[REGULAR_CONTEXTS + 2];
    private int runIndex;

    private JpegLsDecoder(byte[] in) {
        this.in = in;
    }

    /** The frame's samples, row by row; its size must be the data set's. */
    static int[] decode(byte[] bitstream, int width, int height) throws IOException {
        try {
            return new JpegLsDecoder(bitstream).frame(width, height);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IOException("the JPEG-LS bitstream ends early");
        }
    }

    private int[] frame(int width, int height) throws IOException {
        if (u8() != 0xFF || u8() != 0xD8) {
            throw new IOException("not a JPEG-LS bitstream (no SOI marker)");
        }
        int precision = 0;
        while (true) {
            int marker = marker();
            int length = u16();
            int end = position + length - 2;
            switch (marker) {
                case 0xF7 -> { // SOF55 (C.2.2)
                    precision = u8();
                    int rows = u16();
                    int columns = u16();
                    int components = u8();
                    if (rows != height || columns != width || components != 1) {
                        throw new IOException("the JPEG-LS frame is " + columns + "x" + rows + " with " + components
                                + " component(s); the data set says " + width + "x" + height + " with 1");
                    }
                }
                case 0xF8 -> presets(); // LSE (C.2.4.1)
                case 0xDA -> { // SOS (C.2.3)
                    if (u8() != 1) {
                        throw new IOException("interleaved JPEG-LS scans are not decoded");
                    }
                    position += 2; // component selector, mapping table selector
                    near = u8();
                    position++; // interleave mode (of one component: none)
                    if ((u8() & 0x0F) != 0) {
                        throw new IOException("JPEG-LS point transforms are not decoded");
                    }
                    if (precision < 2 || precision > 16) {
                        throw new IOException("JPEG-LS precision " + precision + " (or no SOF55 before SOS)");
                    }
                    position = end;
                    setUp(precision);
                    return scan(width, height);
                }
                case 0xDD -> throw new IOException("JPEG-LS restart intervals are not decoded");
                default -> { } // APPn, COM: skipped
            }
            position = end;
        }
    }

    private int marker() throws IOException {
        int ff = u8();
        int marker = u8();
        if (ff != 0xFF) {
            throw new IOException("no JPEG-LS marker at byte " + (position - 2));
        }
        return marker;
    }

    /** Preset coding parameters (C.2.4.1.1); 0 means the default, which setUp computes. */
    private void presets() throws IOException {
        int id = u8();
        if (id != 1) {
            throw new IOException("JPEG-LS LSE segment of type " + id + " (mapping tables) is not decoded");
        }
        maxVal = u16();
        t1 = u16();
        t2 = u16();
        t3 = u16();
        int r = u16();
        reset = r == 0 ? 64 : r;
    }

    /** Derived parameters (A.2.1) and the default thresholds (C.2.4.1.1.1). */
    private void setUp(int precision) {
        if (maxVal == 0) {
            maxVal = (1 << precision) - 1;
        }
        range = (maxVal + 2 * near) / (2 * near + 1) + 1;
        qbpp = ceilLog2(range);
        int bpp = Math.max(2, ceilLog2(maxVal + 1));
        limit = 2 * (bpp + Math.max(8, bpp));
        if (maxVal >= 128) {
            int factor = (Math.min(maxVal, 4095) + 128) / 256;
            t1 = t1 != 0 ? t1 : clamp(factor * (3 - 2) + 2 + 3 * near, near + 1);
            t2 = t2 != 0 ? t2 : clamp(factor * (7 - 3) + 3 + 5 * near, t1);
            t3 = t3 != 0 ? t3 : clamp(factor * (21 - 4) + 4 + 7 * near, t2);
        } else {
            int factor = 256 / (maxVal + 1);
            t1 = t1 != 0 ? t1 : clamp(Math.max(2, 3 / factor + 3 * near), near + 1);
            t2 = t2 != 0 ? t2 : clamp(Math.max(3, 7 / factor + 5 * near), t1);
            t3 = t3 != 0 ? t3 : clamp(Math.max(4, 21 / factor + 7 * near), t2);
        }
        int initialA = Math.max(2, (range + 32) / 64);
        Arrays.fill(a, initialA);
        Arrays.fill(n, 1);
    }

    private int clamp(int value, int low) {
        return value > maxVal || value < low ? low : value;
    }

    private static int ceilLog2(int value) {
        int bits = 0;
        while ((1 << bits) < value) {
            bits++;
        }
        return bits;
    }

    /** The scan (A.2 to A.7), lines of width + 2 with a sample either side for the neighbourhood. */
    private int[] scan(int width, int height) throws IOException {
        int[] out = new int[width * height];
        int[] previous = new int[width + 2];
        int[] line = new int[width + 2];
        for (int y = 0; y < height; y++) {
            previous[width + 1] = previous[width];
            line[0] = previous[1];
            for (int i = 1; i <= width; ) {
                int ra = line[i - 1];
                int rb = previous[i];
                int rc = previous[i - 1];
                int rd = previous[i + 1];
                int d1 = rd - rb;
                int d2 = rb - rc;
                int d3 = rc - ra;
                if (Math.abs(d1) <= near && Math.abs(d2) <= near && Math.abs(d3) <= near) {
                    i = run(line, previous, i, width);
                } else {
                    line[i] = regular(ra, rb, rc, quantize(d1), quantize(d2), quantize(d3));
                    i++;
                }
            }
            System.arraycopy(line, 1, out, y * width, width);
            int[] swap = previous;
            previous = line;
            line = swap;
        }
        return out;
    }

    private int quantize(int d) {
        if (d <= -t3) {
            return -4;
        }
        if (d <= -t2) {
            return -3;
        }
        if (d <= -t1) {
            return -2;
        }
        if (d < -near) {
            return -1;
        }
        if (d <= near) {
            return 0;
        }
        if (d < t1) {
            return 1;
        }
        if (d < t2) {
            return 2;
        }
        return d < t3 ? 3 : 4;
    }

    /** One sample in regular mode (A.3 to A.6). */
    private int regular(int ra, int rb, int rc, int q1, int q2, int q3) throws IOException {
        int sign = 1;
        if (q1 < 0 || (q1 == 0 && (q2 < 0 || (q2 == 0 && q3 < 0)))) {
            sign = -1;
            q1 = -q1;
            q2 = -q2;
            q3 = -q3;
        }
        int q = 81 * q1 + 9 * q2 + q3;
        int px;
        if (rc >= Math.max(ra, rb)) {
            px = Math.min(ra, rb);
        } else if (rc <= Math.min(ra, rb)) {
            px = Math.max(ra, rb);
        } else {
            px = ra + rb - rc;
        }
        px += sign * c[q];
        px = Math.max(0, Math.min(maxVal, px));
        int k = 0;
        while ((n[q] << k) < a[q]) {
            k++;
        }
        int mapped = golomb(k, limit);
        int errval;
        if (near == 0 && k == 0 && 2 * b[q] <= -n[q]) {
            errval = (mapped & 1) != 0 ? (mapped - 1) / 2 : -(mapped / 2) - 1;
        } else {
            errval = (mapped & 1) == 0 ? mapped / 2 : -((mapped + 1) / 2);
        }
        update(q, errval);
        return reconstruct(px + sign * errval * (2 * near + 1));
    }

    /** Context variables and bias correction (A.6.1, A.6.2). */
    private void update(int q, int errval) {
        b[q] += errval * (2 * near + 1);
        a[q] += Math.abs(errval);
        if (n[q] == reset) {
            a[q] >>= 1;
            b[q] = b[q] >= 0 ? b[q] >> 1 : -((1 - b[q]) >> 1);
            n[q] >>= 1;
        }
        n[q]++;
        if (b[q] <= -n[q]) {
            b[q] += n[q];
            if (c[q] > -128) {
                c[q]--;
            }
            if (b[q] <= -n[q]) {
                b[q] = -n[q] + 1;
            }
        } else if (b[q] > 0) {
            b[q] -= n[q];
            if (c[q] < 127) {
                c[q]++;
            }
            if (b[q] > 0) {
                b[q] = 0;
            }
        }
    }

    /** Modulo reduction undone, then clamped (A.4.5 with A.5.2's decoder counterpart). */
    private int reconstruct(int value) {
        int step = range * (2 * near + 1);
        if (value < -near) {
            value += step;
        } else if (value > maxVal + near) {
            value -= step;
        }
        return Math.max(0, Math.min(maxVal, value));
    }

    /** Run mode (A.7) from index i: the run, then its interruption sample unless it ended the line. */
    private int run(int[] line, int[] previous, int i, int width) throws IOException {
        int value = line[i - 1];
        int end = i;
        while (readBit() == 1) {
            int count = Math.min(1 << J[runIndex], width + 1 - end);
            end += count;
            if (count == 1 << J[runIndex]) {
                runIndex = Math.min(runIndex + 1, 31);
            }
            if (end == width + 1) {
                break;
            }
        }
        if (end != width + 1 && J[runIndex] > 0) {
            end += bits(J[runIndex]);
        }
        if (end > width + 1) {
            throw new IOException("a JPEG-LS run goes past the end of its line");
        }
        for (int x = i; x < end; x++) {
            line[x] = value;
        }
        if (end == width + 1) {
            return end;
        }
        line[end] = interruption(line[end - 1], previous[end]);
        if (runIndex > 0) {
            runIndex--;
        }
        return end + 1;
    }

    /** The run interruption sample (A.7.2). */
    private int interruption(int ra, int rb) throws IOException {
        int type = Math.abs(ra - rb) <= near ? 1 : 0;
        int q = REGULAR_CONTEXTS + type;
        int temp = type == 1 ? a[q] + (n[q] >> 1) : a[q];
        int k = 0;
        while ((n[q] << k) < temp) {
            k++;
        }
        int mapped = golomb(k, limit - J[runIndex] - 1);
        int t = mapped + type;
        boolean map = (t & 1) != 0;
        int magnitude = (t + (map ? 1 : 0)) / 2;
        boolean positiveMap = k == 0 && 2 * nn[q] < n[q];
        int errval = map != positiveMap ? -magnitude : magnitude;
        if (errval < 0) {
            nn[q]++;
        }
        a[q] += (mapped + 1 - type) >> 1;
        if (n[q] == reset) {
            a[q] >>= 1;
            n[q] >>= 1;
            nn[q] >>= 1;
        }
        n[q]++;
        if (type == 1) {
            return reconstruct(ra + errval * (2 * near + 1));
        }
        int sign = rb < ra ? -1 : 1;
        return reconstruct(rb + sign * errval * (2 * near + 1));
    }

    /** A limited-length Golomb code (A.5.3). */
    private int golomb(int k, int codeLimit) throws IOException {
        int high = 0;
        while (readBit() == 0) {
            high++;
            if (high > codeLimit) {
                throw new IOException("a JPEG-LS code longer than its limit");
            }
        }
        if (high >= codeLimit - qbpp - 1) {
            return bits(qbpp) + 1;
        }
        return k == 0 ? high : (high << k) + bits(k);
    }

    private int bits(int count) throws IOException {
        int value = 0;
        for (int i = 0; i < count; i++) {
            value = value << 1 | readBit();
        }
        return value;
    }

    /** One bit of the scan; after an 0xFF byte the next holds 7 bits (its top bit is the stuffed 0, A.1). */
    private int readBit() throws IOException {
        if (bitsLeft == 0) {
            bitsLeft = previousByte == 0xFF ? 7 : 8;
            current = in[position++] & 0xFF;
            previousByte = current;
        }
        bitsLeft--;
        return current >> bitsLeft & 1;
    }

    private int u8() {
        return in[position++] & 0xFF;
    }

    private int u16() {
        return (in[position++] & 0xFF) << 8 | in[position++] & 0xFF;
    }
}
