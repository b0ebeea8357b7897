package org.dicomweb.gateway.core.frames;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.core.dicom.LittleEndianElements;
import org.dicomweb.gateway.core.transcode.PixelDescription;
import org.dicomweb.gateway.core.transcode.PixelDescriptions;
import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.error.NotAcceptableException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.wado.Frames;

/**
 * Where each frame of an instance lies in its file, as byte regions: one per native frame, the fragments of each
 * compressed frame (PS3.5 §A.4), and the Image Pixel Module a codec needs to convert them ({@code pixels}; null in
 * layouts an S3 index stored before the gateway transcoded frames: those are served only as held). Only item headers
 * are read, never the pixel values. A backend that keeps instances elsewhere (S3) keeps the layout in its text form
 * ({@link #encode}), so that a frame is a ranged read.
 */
public record FrameLayout(String transferSyntax, String mediaType, List<List<FrameLayout.Region>> frames,
        PixelDescription pixels) {

    public record Region(long offset, long length) {
    }

    /** The media types of compressed frame bitstreams, by transfer syntax (PS3.18 §8.7.3.5). */
    private static final Map<String, String> COMPRESSED = Map.of(
            TransferSyntax.JPEGBaseline, "image/jpeg",
            TransferSyntax.JPEGExtended, "image/jpeg",
            TransferSyntax.JPEGLossless, "image/jpeg",
            TransferSyntax.JPEGLosslessSV1, "image/jpeg",
            TransferSyntax.JPEGLS, "image/jls",
            TransferSyntax.JPEGNLS, "image/jls",
            TransferSyntax.JPEG2000Lossless, "image/jp2",
            TransferSyntax.JPEG2000, "image/jp2",
            TransferSyntax.RLE, "image/dicom-rle");

    private static final int ITEM = 0xFFFEE000;
    private static final int SEQUENCE_DELIMITER = 0xFFFEE0DD;
    private static final List<String> WHOLE_INSTANCE = List.of("multipart/related; type=\"application/dicom\"");

    /** The layout of an instance's frames; 406 if its pixel data cannot be served as frames. */
    public static FrameLayout of(InstanceFile instance, String what) throws IOException {
        InstanceFile.PixelData pixels = instance.pixelData().orElseThrow(() -> new NotAcceptableException(
                what + " has no pixel data that can be served as frames", WHOLE_INSTANCE));
        AttributeList dataSet = instance.dataSet();
        int count = Attribute.getSingleIntegerValueOrDefault(dataSet, TagFromName.NumberOfFrames, 1);
        if (!pixels.encapsulated()) {
            return new FrameLayout(TransferSyntax.ExplicitVRLittleEndian, Frames.NATIVE_MEDIA_TYPE,
                    nativeFrames(dataSet, pixels, count, what), PixelDescriptions.of(dataSet));
        }
        String mediaType = COMPRESSED.get(instance.transferSyntax());
        if (mediaType == null) {
            throw new NotAcceptableException(what + " (transfer syntax " + instance.transferSyntax()
                    + ") has no frames this gateway can serve", WHOLE_INSTANCE);
        }
        return new FrameLayout(instance.transferSyntax(), mediaType,
                compressedFrames(instance, pixels.offset(), count, what), PixelDescriptions.of(dataSet));
    }

    /** The media type of frames in a transfer syntax (PS3.18 §8.7.3.5): a bitstream's, or native octets. */
    public static String mediaType(String transferSyntax) {
        return COMPRESSED.getOrDefault(transferSyntax, Frames.NATIVE_MEDIA_TYPE);
    }

    /**
     * The layout as text: {@code syntax|media type|frames|pixels}, frames separated by {@code ;}, each its regions
     * {@code offset+length} separated by {@code ,}; pixels the description's values separated by {@code ,}
     * (absent when unknown).
     */
    public String encode() {
        StringBuilder text = new StringBuilder();
        for (List<Region> frame : frames) {
            text.append(text.isEmpty() ? "" : ";");
            for (int i = 0; i < frame.size(); i++) {
                text.append(i == 0 ? "" : ",").append(frame.get(i).offset()).append('+').append(frame.get(i).length());
            }
        }
        return transferSyntax + "|" + mediaType + "|" + text + (pixels == null ? "" : "|" + pixels.rows() + ","
                + pixels.columns() + "," + pixels.samplesPerPixel() + "," + pixels.bitsAllocated() + ","
                + pixels.bitsStored() + "," + pixels.highBit() + "," + pixels.pixelRepresentation() + ","
                + pixels.planarConfiguration() + "," + pixels.photometricInterpretation() + ","
                + pixels.numberOfFrames());
    }

    /** The layout {@link #encode} wrote. */
    public static FrameLayout decode(String encoded) {
        String[] fields = encoded.split("\\|", 4);
        if (fields.length < 3) {
            throw new IllegalArgumentException("not a frame layout: " + encoded);
        }
        List<List<Region>> frames = new ArrayList<>();
        for (String frame : fields[2].split(";")) {
            List<Region> regions = new ArrayList<>();
            for (String region : frame.split(",")) {
                int plus = region.indexOf('+');
                regions.add(new Region(Long.parseLong(region.substring(0, plus)),
                        Long.parseLong(region.substring(plus + 1))));
            }
            frames.add(regions);
        }
        return new FrameLayout(fields[0], fields[1], frames, fields.length == 4 ? pixels(fields[3]) : null);
    }

    private static PixelDescription pixels(String encoded) {
        String[] v = encoded.split(",");
        if (v.length != 10) {
            throw new IllegalArgumentException("not a pixel description: " + encoded);
        }
        return new PixelDescription(Integer.parseInt(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2]),
                Integer.parseInt(v[3]), Integer.parseInt(v[4]), Integer.parseInt(v[5]), Integer.parseInt(v[6]),
                Integer.parseInt(v[7]), v[8], Integer.parseInt(v[9]));
    }

    /** Frame {@code number}'s bytes (a compressed frame's fragments joined) from the file the layout was made of. */
    public byte[] read(Path file, int number) throws IOException {
        List<Region> regions = frames.get(number - 1);
        byte[] frame = new byte[Math.toIntExact(regions.stream().mapToLong(Region::length).sum())];
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            int at = 0;
            for (Region region : regions) {
                in.seek(region.offset());
                in.readFully(frame, at, (int) region.length());
                at += (int) region.length();
            }
        }
        return frame;
    }

    /** Checks frame numbers asked of an instance: 400 below 1, 404 beyond its frames. */
    public void check(List<Integer> numbers, String what) {
        for (int n : numbers) {
            if (n < 1) {
                throw new InvalidRequestException("frame numbers start at 1, not " + n);
            }
            if (n > frames.size()) {
                throw new NotFoundInPacsException(what + " has " + frames.size() + " frame(s), no frame " + n);
            }
        }
    }

    /** Frame n: Rows × Columns × Samples per Pixel × Bits Allocated / 8 bytes, after the n-1 before it. */
    private static List<List<Region>> nativeFrames(AttributeList dataSet, InstanceFile.PixelData pixels, int count,
            String what) {
        int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(dataSet, TagFromName.BitsAllocated, 0);
        long frameBytes = (long) Attribute.getSingleIntegerValueOrDefault(dataSet, TagFromName.Rows, 0)
                * Attribute.getSingleIntegerValueOrDefault(dataSet, TagFromName.Columns, 0)
                * Attribute.getSingleIntegerValueOrDefault(dataSet, TagFromName.SamplesPerPixel, 1)
                * bitsAllocated / 8;
        if (bitsAllocated % 8 != 0 || frameBytes == 0 || frameBytes * count > pixels.length()) {
            // 1-bit frames do not start on byte boundaries; a short value does not hold the frames it claims.
            throw new NotAcceptableException(what + "'s pixel data (" + pixels.length() + " bytes, " + count
                    + " frames, " + bitsAllocated + " bits allocated) cannot be cut into frames",
                    WHOLE_INSTANCE);
        }
        List<List<Region>> frames = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            frames.add(List.of(new Region(pixels.offset() + n * frameBytes, frameBytes)));
        }
        return frames;
    }

    /**
     * The fragments of each frame: by the Basic Offset Table when it has one offset per frame, else one fragment per
     * frame, else (a single frame) all fragments.
     */
    private static List<List<Region>> compressedFrames(InstanceFile instance, long offset, int count, String what)
            throws IOException {
        List<Long> table = new ArrayList<>();
        List<Long> itemStarts = new ArrayList<>();
        List<Region> fragments = new ArrayList<>();
        try (RandomAccessFile file = new RandomAccessFile(instance.file().toFile(), "r")) {
            long position = offset;
            long firstFragment = -1;
            for (boolean offsetTable = true; ; offsetTable = false) {
                byte[] header = new byte[8];
                file.seek(position);
                file.readFully(header);
                int tag = LittleEndianElements.uint16(header, 0) << 16 | LittleEndianElements.uint16(header, 2);
                long length = LittleEndianElements.uint32(header, 4);
                if (tag == SEQUENCE_DELIMITER) {
                    break;
                }
                if (tag != ITEM) {
                    throw new IOException(instance.file() + ": no item at " + position + " in the pixel data");
                }
                if (offsetTable) {
                    byte[] offsets = new byte[(int) length];
                    file.readFully(offsets);
                    for (int i = 0; i + 4 <= offsets.length; i += 4) {
                        table.add(LittleEndianElements.uint32(offsets, i));
                    }
                } else {
                    firstFragment = firstFragment < 0 ? position : firstFragment;
                    itemStarts.add(position - firstFragment);
                    fragments.add(new Region(position + 8, length));
                }
                position += 8 + length;
            }
        }
        if (count == 1) {
            return List.of(fragments);
        }
        if (table.size() == count) {
            return byOffsetTable(table, itemStarts, fragments);
        }
        if (fragments.size() == count) {
            return fragments.stream().map(List::of).toList();
        }
        throw new NotAcceptableException(what + "'s " + count + " compressed frames in " + fragments.size()
                + " fragments without a Basic Offset Table cannot be told apart", WHOLE_INSTANCE);
    }

    private static List<List<Region>> byOffsetTable(List<Long> table, List<Long> itemStarts, List<Region> fragments) {
        List<List<Region>> frames = new ArrayList<>();
        for (int n = 0; n < table.size(); n++) {
            long from = table.get(n);
            long to = n + 1 < table.size() ? table.get(n + 1) : Long.MAX_VALUE;
            List<Region> frame = new ArrayList<>();
            for (int f = 0; f < fragments.size(); f++) {
                if (itemStarts.get(f) >= from && itemStarts.get(f) < to) {
                    frame.add(fragments.get(f));
                }
            }
            frames.add(frame);
        }
        return frames;
    }
}
