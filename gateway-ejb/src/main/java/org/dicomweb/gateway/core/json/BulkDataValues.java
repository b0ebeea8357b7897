package org.dicomweb.gateway.core.json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;

import org.dicomweb.gateway.core.dicom.FileCopy;
import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.wado.BulkData;

/**
 * Which values of a cached instance metadata gives as BulkDataURIs, and those values for the bulk data resource. The
 * URI of a value is the instance's URL, {@code /bulkdata/}, and its tag path (see {@link DicomJson.BulkDataLocator}).
 */
public final class BulkDataValues {

    static final String PIXEL_DATA = "7FE00010";
    private static final Pattern TAG_PATH = Pattern.compile("[0-9A-Fa-f]{8}(/[0-9]{1,9}/[0-9A-Fa-f]{8})*");

    private BulkDataValues() {
    }

    /** Pixel data always, other binary values longer than the threshold; the rest inline. */
    public static DicomJson.BulkDataLocator locator(String instanceUrl, int thresholdBytes) {
        return (tagPath, attribute) -> tagPath.equals(PIXEL_DATA) || attribute.getVL() > thresholdBytes
                ? Optional.of(instanceUrl + "/bulkdata/" + tagPath) : Optional.empty();
    }

    /** The value at {@code tagPath}: pixel data from where it lies in the file, any other value from memory. */
    public static BulkData value(InstanceFile instance, String tagPath, String what) {
        if (!TAG_PATH.matcher(tagPath).matches()) {
            throw new InvalidRequestException("bulk data path '" + tagPath + "' is not tags (8 hex digits) and item"
                    + " indexes separated by '/'");
        }
        if (tagPath.equalsIgnoreCase(PIXEL_DATA) && instance.pixelData().isPresent()) {
            InstanceFile.PixelData pixels = instance.pixelData().get();
            if (pixels.encapsulated()) {
                throw new InvalidRequestException(what + " holds compressed pixel data (transfer syntax "
                        + instance.transferSyntax() + "), which is served as frames, not as bulk data");
            }
            return FileRegion.open(instance.file(), pixels.offset(), pixels.length());
        }
        Attribute attribute = find(instance.dataSet(), tagPath.split("/"), 0)
                .orElseThrow(() -> new NotFoundInPacsException(what + " has no value at " + tagPath));
        try {
            byte[] bytes = attribute.getByteValues(false); // little endian, as bulk data is sent
            return new InMemory(bytes == null ? new byte[0] : bytes);
        } catch (DicomException e) {
            throw new NotFoundInPacsException(what + " has no binary value at " + tagPath);
        }
    }

    private static Optional<Attribute> find(AttributeList list, String[] path, int at) {
        int tag = Integer.parseUnsignedInt(path[at], 16);
        Attribute attribute = list.get(new AttributeTag(tag >>> 16, tag & 0xFFFF));
        if (attribute == null || at == path.length - 1) {
            return Optional.ofNullable(attribute);
        }
        int item = Integer.parseInt(path[at + 1]);
        if (!(attribute instanceof SequenceAttribute sequence) || item >= sequence.getNumberOfItems()) {
            return Optional.empty();
        }
        return find(sequence.getItem(item).getAttributeList(), path, at + 2);
    }

    /**
     * Opened at once, so the value stays readable after the cache lease is closed, even if the study is evicted (an
     * open file outlives its deletion); closed once written, or by {@link #close} if it is not.
     */
    private record FileRegion(FileChannel channel, long offset, long length) implements BulkData {
        static FileRegion open(Path file, long offset, long length) {
            try {
                return new FileRegion(FileChannel.open(file), offset, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void writeTo(OutputStream out, long from, long count) throws IOException {
            try (channel) {
                FileCopy.transfer(channel, offset + from, count, out);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record InMemory(byte[] bytes) implements BulkData {
        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public void writeTo(OutputStream out, long from, long count) throws IOException {
            out.write(bytes, (int) from, (int) count);
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
