package org.dicomweb.gateway.core.transcode;

import java.io.IOException;
import java.util.Arrays;

/**
 * Sequential DCT JPEG decoding with Huffman coding (ISO/IEC 10918-1 processes 1, 2 and 4: baseline and extended)
 * of one-component frames at any precision, our own code for the 12-bit samples the JDK's decoder refuses. The
 * inverse DCT is computed in floating point and rounded: it may differ from IJG's integer one by 1 in a sample.
 * Not read: progressive or arithmetic-coded frames, several components, DNL.
 */
final class DctDecoder {

    private static final int[] ZIGZAG = {0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40,
        48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58,
        59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};
    private static final double[][] COSINES = new double[8][8];

    static {
        for (int x = 0; x < 8; x++) {
            for (int u = 0; u < 8; u++) {
                COSINES[x][u] = (u == 0 ? Math.sqrt(0.5) : 1) * Math.cos((2 * x + 1) * u * Math.PI / 16) / 2;
            }
        }
    }

    /** A Huffman table (F.2.2.3): per code length, the smallest and largest code and the first value's index. */
    private static final class Huffman {
        final int[] minCode = new int[17];
        final int[] maxCode = new int[18];
        final int[] firstIndex = new int[17];
        final int[] values;

        Huffman(int[] counts, int[] values) {
            this.values = values;
            int code = 0;
            int k = 0;
            for (int length = 1; length <= 16; length++) {
                firstIndex[length] = k;
                minCode[length] = code;
                code += counts[length];
                k += counts[length];
                maxCode[length] = counts[length] == 0 ? -1 : code - 1;
                code <<= 1;
            }
            maxCode[17] = Integer.MAX_VALUE;
        }
    }

    private final byte[] in;
    private int position;
    private final int[][] quantization = new int[4][];
    private final Huffman[] dcTables = new Huffman[4];
    private final Huffman[] acTables = new Huffman[4];
    private int precision;
    private int restartInterval;
    private int quantizationTable;
    private int bitBuffer;
    private int bitCount;

    private DctDecoder(byte[] in) {
        this.in = in;
    }

    /** The frame's samples, row by row; its size must be the data set's. */
    static int[] decode(byte[] bitstream, int width, int height) throws IOException {
        try {
            return new DctDecoder(bitstream).frame(width, height);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IOException("the JPEG bitstream ends early");
        }
    }

    private int[] frame(int width, int height) throws IOException {
        if (u8() != 0xFF || u8() != 0xD8) {
            throw new IOException("not a JPEG bitstream (no SOI marker)");
        }
        while (true) {
            int marker = marker();
            int length = u16();
            int end = position + length - 2;
            switch (marker) {
                case 0xC0, 0xC1 -> frameHeader(width, height);
                case 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF ->
                        throw new IOException("JPEG process of SOF marker FF" + Integer.toHexString(marker)
                                + " is not decoded here");
                case 0xC4 -> huffmanTables(end);
                case 0xDB -> quantizationTables(end);
                case 0xDD -> restartInterval = u16();
                case 0xDA -> {
                    int[] tables = scanHeader();
                    position = end;
                    return scan(width, height, dcTables[tables[0]], acTables[tables[1]]);
                }
                default -> { } // APPn, COM
            }
            position = end;
        }
    }

    private void frameHeader(int width, int height) throws IOException {
        precision = u8();
        int rows = u16();
        int columns = u16();
        int components = u8();
        if (rows != height || columns != width || components != 1) {
            throw new IOException("the JPEG frame is " + columns + "x" + rows + " with " + components
                    + " component(s); the data set says " + width + "x" + height + " with 1");
        }
        position += 2; // component id, sampling factors (one component: one block per MCU whatever they say)
        quantizationTable = u8();
    }

    private void huffmanTables(int end) {
        while (position < end) {
            int classAndId = u8();
            int[] counts = new int[17];
            int total = 0;
            for (int length = 1; length <= 16; length++) {
                counts[length] = u8();
                total += counts[length];
            }
            int[] values = new int[total];
            for (int i = 0; i < total; i++) {
                values[i] = u8();
            }
            (classAndId >> 4 == 0 ? dcTables : acTables)[classAndId & 3] = new Huffman(counts, values);
        }
    }

    private void quantizationTables(int end) {
        while (position < end) {
            int precisionAndId = u8();
            int[] table = new int[64];
            for (int i = 0; i < 64; i++) {
                table[ZIGZAG[i]] = precisionAndId >> 4 == 0 ? u8() : u16();
            }
            quantization[precisionAndId & 3] = table;
        }
    }

    /** The DC and AC table of the scan's one component; a spectral selection other than 0..63 is refused. */
    private int[] scanHeader() throws IOException {
        if (u8() != 1) {
            throw new IOException("JPEG scans of several components are not decoded here");
        }
        position++; // component selector
        int tables = u8();
        int start = u8();
        int endOfBand = u8();
        if (start != 0 || endOfBand != 63) {
            throw new IOException("not a sequential JPEG scan (spectral selection " + start + ".." + endOfBand + ")");
        }
        return new int[] {tables >> 4, tables & 15};
    }

    private int[] scan(int width, int height, Huffman dc, Huffman ac) throws IOException {
        int[] table = quantization[quantizationTable];
        if (table == null || dc == null || ac == null) {
            throw new IOException("the JPEG scan's quantization or Huffman table is missing");
        }
        int blocksAcross = (width + 7) / 8;
        int blocksDown = (height + 7) / 8;
        int[] out = new int[width * height];
        int[] coefficients = new int[64];
        double[] block = new double[64];
        int predictor = 0;
        int maxVal = (1 << precision) - 1;
        int shift = 1 << (precision - 1);
        for (int b = 0; b < blocksAcross * blocksDown; b++) {
            if (restartInterval > 0 && b > 0 && b % restartInterval == 0) {
                restart();
                predictor = 0;
            }
            Arrays.fill(coefficients, 0);
            int size = symbol(dc);
            predictor += extend(bits(size), size);
            coefficients[0] = predictor * table[0];
            for (int k = 1; k < 64; ) {
                int rs = symbol(ac);
                int run = rs >> 4;
                int s = rs & 15;
                if (s == 0) {
                    if (run != 15) {
                        break; // end of block
                    }
                    k += 16;
                    continue;
                }
                k += run;
                if (k > 63) {
                    throw new IOException("a JPEG block has more than 64 coefficients");
                }
                coefficients[ZIGZAG[k]] = extend(bits(s), s) * table[ZIGZAG[k]];
                k++;
            }
            inverseDct(coefficients, block);
            int x0 = b % blocksAcross * 8;
            int y0 = b / blocksAcross * 8;
            for (int y = 0; y < 8 && y0 + y < height; y++) {
                for (int x = 0; x < 8 && x0 + x < width; x++) {
                    int value = (int) Math.round(block[y * 8 + x]) + shift;
                    out[(y0 + y) * width + x0 + x] = Math.max(0, Math.min(maxVal, value));
                }
            }
        }
        return out;
    }

    /** The separable 8 × 8 inverse DCT (A.3.3), rows then columns. */
    private static void inverseDct(int[] coefficients, double[] out) {
        double[] rows = new double[64];
        for (int v = 0; v < 8; v++) {
            for (int x = 0; x < 8; x++) {
                double sum = 0;
                for (int u = 0; u < 8; u++) {
                    sum += COSINES[x][u] * coefficients[v * 8 + u];
                }
                rows[v * 8 + x] = sum;
            }
        }
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 8; y++) {
                double sum = 0;
                for (int v = 0; v < 8; v++) {
                    sum += COSINES[y][v] * rows[v * 8 + x];
                }
                out[y * 8 + x] = sum;
            }
        }
    }

    /** Skips to the RSTn marker the encoder put after each restart interval, bits left in the byte dropped. */
    private void restart() throws IOException {
        bitCount = 0;
        if ((in[position] & 0xFF) != 0xFF || (in[position + 1] & 0xF8) != 0xD0) {
            throw new IOException("no JPEG restart marker where the restart interval puts one");
        }
        position += 2;
    }

    private int symbol(Huffman table) throws IOException {
        int code = bit();
        int length = 1;
        while (code > table.maxCode[length]) {
            code = code << 1 | bit();
            length++;
            if (length > 16) {
                throw new IOException("a JPEG Huffman code longer than 16 bits");
            }
        }
        return table.values[table.firstIndex[length] + code - table.minCode[length]];
    }

    /** F.2.2.1: a value of {@code size} bits, negative when its first bit is 0. */
    private static int extend(int value, int size) {
        return size == 0 || value >= 1 << (size - 1) ? value : value - (1 << size) + 1;
    }

    private int bits(int count) throws IOException {
        int value = 0;
        for (int i = 0; i < count; i++) {
            value = value << 1 | bit();
        }
        return value;
    }

    /** One bit of the entropy-coded data; an 0xFF byte is followed by a stuffed 0x00 (F.1.2.3). */
    private int bit() throws IOException {
        if (bitCount == 0) {
            bitBuffer = in[position++] & 0xFF;
            if (bitBuffer == 0xFF) {
                int next = in[position++] & 0xFF;
                if (next != 0) {
                    throw new IOException("JPEG marker FF" + Integer.toHexString(next) + " inside a scan");
                }
            }
            bitCount = 8;
        }
        bitCount--;
        return bitBuffer >> bitCount & 1;
    }

    private int marker() throws IOException {
        int ff = u8();
        int marker = u8();
        while (marker == 0xFF) {
            marker = u8(); // fill bytes
        }
        if (ff != 0xFF) {
            throw new IOException("no JPEG marker at byte " + (position - 2));
        }
        return marker;
    }

    private int u8() {
        return in[position++] & 0xFF;
    }

    private int u16() {
        return (in[position++] & 0xFF) << 8 | in[position++] & 0xFF;
    }
}
