package org.dicomweb.gateway.core.transcode;

import java.io.IOException;
import java.io.InputStream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.core.dicom.LittleEndianElements;

/**
 * A Part 10 file read up to its top-level Pixel Data: the File Meta Information and the data set before the pixels
 * (small, held as PixelMed attributes), and the stream left just past the Pixel Data header, so that the pixels can be
 * read one frame at a time. PixelMed reads the headers only; the pixels never pass through it.
 */
final class InstanceHeader {

    static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;

    /** The top-level data set without its group 2 (the File Meta Information). */
    final AttributeList dataSet;
    final String transferSyntax;
    final String sourceAet;
    /** Positioned just past the Pixel Data element's header, or at the end when {@link #pixelDataLength} is -1. */
    final DicomInputStream in;
    /** The Pixel Data value's length, {@link #UNDEFINED_LENGTH} when encapsulated, -1 without Pixel Data. */
    final long pixelDataLength;
    /** Whether the native Pixel Data value is made of 16-bit words (VR OW), which Big Endian swaps. */
    final boolean words;

    private InstanceHeader(AttributeList dataSet, String transferSyntax, String sourceAet, DicomInputStream in,
            long pixelDataLength, boolean words) {
        this.dataSet = dataSet;
        this.transferSyntax = transferSyntax;
        this.sourceAet = sourceAet;
        this.in = in;
        this.pixelDataLength = pixelDataLength;
        this.words = words;
    }

    static InstanceHeader read(InputStream part10) throws IOException {
        AttributeList list = new AttributeList();
        boolean[] stopped = {false};
        DicomInputStream in = new DicomInputStream(part10);
        try {
            // Called once a tag is read, before its value: stops just past the tag of the top-level Pixel Data only
            // (an icon image sequence has Pixel Data of its own).
            list.read(in, (read, tag, bytesRead) -> stopped[0] = read == list && tag.equals(TagFromName.PixelData));
        } catch (DicomException e) {
            throw new IOException("a part that is not a readable DICOM file: " + e.getMessage(), e);
        }
        String transferSyntax = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
        if (transferSyntax.isEmpty()) {
            throw new IOException("not a Part 10 file: no Transfer Syntax UID in its File Meta Information");
        }
        String sourceAet = Attribute.getSingleStringValueOrNull(list, TagFromName.SourceApplicationEntityTitle);
        list.removeMetaInformationHeaderAttributes();
        list.removeGroupLengthAttributes();
        if (!stopped[0]) {
            return new InstanceHeader(list, transferSyntax, sourceAet, in, -1, false);
        }
        boolean explicit = NativeSyntax.of(transferSyntax).map(NativeSyntax::explicitVr).orElse(true);
        boolean bigEndian = NativeSyntax.of(transferSyntax).map(NativeSyntax::bigEndian).orElse(false);
        // Explicit VR: OB, OW or UN, then two reserved bytes; Pixel Data always has a 32-bit length (PS3.5 §7.1.2).
        byte[] header = in.readNBytes(explicit ? 8 : 4);
        if (header.length < (explicit ? 8 : 4)) {
            throw new IOException("the file ends in the Pixel Data header");
        }
        boolean words = explicit ? header[0] == 'O' && header[1] == 'W'
                : Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 8) > 8;
        int at = explicit ? 4 : 0;
        long length = bigEndian ? Integer.toUnsignedLong((header[at] & 0xFF) << 24 | (header[at + 1] & 0xFF) << 16
                | (header[at + 2] & 0xFF) << 8 | (header[at + 3] & 0xFF)) : LittleEndianElements.uint32(header, at);
        return new InstanceHeader(list, transferSyntax, sourceAet, in, length, words);
    }

    String sopInstanceUid() {
        return Attribute.getSingleStringValueOrEmptyString(dataSet, TagFromName.SOPInstanceUID);
    }

    String sopClassUid() {
        return Attribute.getSingleStringValueOrEmptyString(dataSet, TagFromName.SOPClassUID);
    }
}
