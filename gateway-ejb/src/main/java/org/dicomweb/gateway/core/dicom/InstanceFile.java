package org.dicomweb.gateway.core.dicom;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

/**
 * A cached Part 10 file read for metadata and bulk data: its data set up to the pixel data (never loaded), and where
 * the pixel data's value lies in the file, so that it can be sent from there. Elements after the pixel data (trailing
 * padding, digital signatures) are not read.
 */
public final class InstanceFile {

    /** The pixel data value in the file: from {@code offset}, {@code length} bytes (-1: encapsulated). */
    public record PixelData(String vr, long offset, long length) {
        public boolean encapsulated() {
            return length < 0;
        }
    }

    private static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;

    private final Path file;
    private final AttributeList dataSet;
    private final String transferSyntax;
    private final Optional<PixelData> pixelData;

    private InstanceFile(Path file, AttributeList dataSet, String transferSyntax, Optional<PixelData> pixelData) {
        this.file = file;
        this.dataSet = dataSet;
        this.transferSyntax = transferSyntax;
        this.pixelData = pixelData;
    }

    public static InstanceFile read(Path file) throws IOException {
        AttributeList list = new AttributeList();
        long[] stoppedAt = {-1};
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 65536)) {
            DicomInputStream dicom = new DicomInputStream(in);
            // Called once a tag is read, before its value: the position is just past the 4 bytes of the tag.
            list.read(dicom, (read, tag, bytesRead) -> {
                boolean stop = read == list && tag.getGroup() >= 0x7FE0;
                if (stop) {
                    stoppedAt[0] = bytesRead - 4;
                }
                return stop;
            });
        } catch (DicomException e) {
            throw new IOException("cannot read cached instance " + file + ": " + e.getMessage(), e);
        }
        String transferSyntax = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
        list.removeMetaInformationHeaderAttributes();
        Optional<PixelData> pixelData = stoppedAt[0] < 0 ? Optional.empty()
                : locatePixelData(file, stoppedAt[0], new TransferSyntax(transferSyntax),
                        Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 16));
        return new InstanceFile(file, list, transferSyntax, pixelData);
    }

    /**
     * Reads the element header at {@code elementStart}. Empty if it is not (7FE0,0010) (float pixel data is not
     * served) or the file's encoding does not allow reading values in place (big endian, deflated).
     */
    private static Optional<PixelData> locatePixelData(Path file, long elementStart, TransferSyntax syntax,
            int bitsAllocated) throws IOException {
        if (!syntax.isLittleEndian() || syntax.getUID().equals(TransferSyntax.DeflatedExplicitVRLittleEndian)) {
            return Optional.empty();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            byte[] header = new byte[12];
            raf.seek(elementStart);
            raf.readFully(header);
            int group = LittleEndianElements.uint16(header, 0);
            int element = LittleEndianElements.uint16(header, 2);
            if (group != 0x7FE0 || element != 0x0010) {
                return Optional.empty();
            }
            String vr;
            long length;
            long valueOffset;
            if (syntax.isExplicitVR()) {
                vr = new String(header, 4, 2, StandardCharsets.US_ASCII);
                length = LittleEndianElements.uint32(header, 8);
                valueOffset = elementStart + 12;
            } else {
                vr = bitsAllocated > 8 ? "OW" : "OB";
                length = LittleEndianElements.uint32(header, 4);
                valueOffset = elementStart + 8;
            }
            return Optional.of(new PixelData(vr, valueOffset, length == UNDEFINED_LENGTH ? -1 : length));
        }
    }

    public Path file() {
        return file;
    }

    public String transferSyntax() {
        return transferSyntax;
    }

    /** The data set up to the pixel data, without the file meta information. */
    public AttributeList dataSet() {
        return dataSet;
    }

    public Optional<PixelData> pixelData() {
        return pixelData;
    }

    /**
     * The data set as DICOM JSON shows it: with an empty Pixel Data attribute of the right VR in place of the value
     * that was not read, so the writer gives it a BulkDataURI.
     */
    public AttributeList dataSetWithPixelDataPlaceholder() {
        if (pixelData.isEmpty()) {
            return dataSet;
        }
        AttributeList copy = new AttributeList();
        copy.putAll(dataSet);
        copy.put(pixelData.get().vr().equals("OW") ? new OtherWordAttribute(TagFromName.PixelData)
                : new OtherByteAttribute(TagFromName.PixelData));
        return copy;
    }
}
