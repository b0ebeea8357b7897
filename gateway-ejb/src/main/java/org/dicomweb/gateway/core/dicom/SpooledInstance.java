package org.dicomweb.gateway.core.dicom;

import java.io.IOException;
import java.io.InputStream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.core.spool.SpooledPart;
import org.dicomweb.gateway.validation.Uids;
import org.dicomweb.gateway.validation.Values;

/**
 * A Part 10 instance of a STOW-RS body, spooled as it was read, with what the C-STORE needs from it: its UIDs and
 * transfer syntax (read from the header, stopping before the pixel data) and where its data set starts.
 */
public record SpooledInstance(SpooledPart part, String sopClassUid, String sopInstanceUid, String studyUid, String seriesUid,
        String transferSyntax, long dataSetOffset) {

    /** Thrown for a part that is not a readable DICOM Part 10 instance; carries whatever UIDs could be read. */
    public static final class Unreadable extends Exception {
        public final String sopClassUid;
        public final String sopInstanceUid;

        Unreadable(String why, String sopClassUid, String sopInstanceUid, Throwable cause) {
            super(why, cause);
            this.sopClassUid = sopClassUid;
            this.sopInstanceUid = sopInstanceUid;
        }
    }

    public static SpooledInstance read(SpooledPart part) throws Unreadable, IOException {
        long offset = dataSetOffset(part);
        AttributeList header = new AttributeList(); // the meta information group and the data set up to pixel data
        try (InputStream in = part.open()) {
            DicomInputStream dicom = new DicomInputStream(in);
            header.read(dicom, (list, tag, bytesRead) -> tag.getGroup() >= 0x7FE0);
        } catch (DicomException | IOException | RuntimeException e) {
            throw new Unreadable("not a readable DICOM instance: " + e.getMessage(), null, null, e);
        }
        String sopClass = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.MediaStorageSOPClassUID);
        String sopInstance = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.MediaStorageSOPInstanceUID);
        String transferSyntax = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.TransferSyntaxUID);
        String studyUid = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.StudyInstanceUID);
        if (sopClass.isEmpty() || sopInstance.isEmpty() || transferSyntax.isEmpty() || studyUid.isEmpty()) {
            throw new Unreadable("incomplete DICOM instance: SOP Class, SOP Instance, Transfer Syntax and Study"
                    + " Instance UIDs are all required", sopClass, sopInstance, null);
        }
        if (!sopInstance.equals(Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SOPInstanceUID))) {
            throw new Unreadable("the file meta information and the data set name different SOP instances",
                    sopClass, sopInstance, null);
        }
        String seriesUid = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SeriesInstanceUID);
        checkUid("SOP Instance UID", sopInstance, sopClass, sopInstance);
        checkUid("Study Instance UID", studyUid, sopClass, sopInstance);
        checkUid("Series Instance UID", seriesUid, sopClass, sopInstance);
        return new SpooledInstance(part, sopClass, sopInstance, studyUid, seriesUid, transferSyntax, offset);
    }

    /** An instance whose UIDs break PS3.5 §9.1 would be stored, then could never be asked for by WADO-RS. */
    private static void checkUid(String what, String uid, String sopClass, String sopInstance) throws Unreadable {
        String problem = Uids.problem(uid);
        if (problem != null) {
            throw new Unreadable("its " + what + " '" + Values.shorten(uid) + "' is not a UID: it " + problem,
                    sopClass, sopInstance, null);
        }
    }

    /** After the 128-byte preamble, "DICM" and the File Meta Information group, whose length (0002,0000) says. */
    private static long dataSetOffset(SpooledPart part) throws Unreadable, IOException {
        byte[] head;
        try (InputStream in = part.open()) {
            head = in.readNBytes(144);
        }
        if (head.length < 144) {
            throw new Unreadable("not a DICOM Part 10 instance (too short)", null, null, null);
        }
        if (head[128] != 'D' || head[129] != 'I' || head[130] != 'C' || head[131] != 'M'
                || head[132] != 0x02 || head[133] != 0x00 || head[134] != 0x00 || head[135] != 0x00) {
            throw new Unreadable("not a DICOM Part 10 instance (no DICM prefix and meta group length)", null,
                    null, null);
        }
        long metaLength = (head[140] & 0xFFL) | (head[141] & 0xFFL) << 8 | (head[142] & 0xFFL) << 16
                | (head[143] & 0xFFL) << 24;
        return 144 + metaLength;
    }
}
