package org.dicomweb.gateway.backend.deidentify;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.core.deid.BurnedInAnnotationRefused;
import org.dicomweb.gateway.core.dicom.Part10;
import org.dicomweb.gateway.wado.InstanceSink;

/**
 * Passes a source's retrieval on de-identified, as it streams: of each instance only the header is held (the bytes up
 * to the pixel data, which {@link PixelDataScanner} finds as they arrive); once it is complete it is read, de-identified
 * and sent on as a new Part 10 header and data set in the instance's own transfer syntax, and from there every byte
 * the source sends (the pixel data and whatever follows) passes straight through, never decoded nor held. An instance
 * the profile refuses (burned-in annotation) is left out: recorded in the UID map with its reason, and named in the
 * epilogue when {@code report}; so is one that cannot be de-identified (a deflated data set, a header beyond
 * {@link #MAX_HEADER}). The UIDs handed out are recorded in the map in batches and before the body is finished.
 */
final class DeidentifyingSink implements InstanceSink {

    /** A data set up to its pixel data larger than this is not read (an SR or a header of 64 MB is no image's). */
    static final int MAX_HEADER = 64 * 1024 * 1024;
    static final int BATCH = 300;

    private final InstanceSink target;
    private final DeidentifiedAe ae;
    private final UidMap uids;
    private final boolean report;
    private final Map<String, String> handedOut = new LinkedHashMap<>();
    private final List<String> left = new ArrayList<>();
    private Part current;

    DeidentifyingSink(InstanceSink target, DeidentifiedAe ae, UidMap uids, boolean report) {
        this.target = target;
        this.ae = ae;
        this.uids = uids;
        this.report = report;
    }

    @Override
    public OutputStream nextPart(String contentType) throws IOException {
        endCurrent();
        current = new Part(contentType);
        return current;
    }

    @Override
    public void finish(String epilogue) throws IOException {
        endCurrent();
        recordUids();
        List<String> notes = new ArrayList<>();
        if (epilogue != null) {
            notes.add(epilogue);
        }
        if (report) {
            notes.addAll(left);
        }
        target.finish(notes.isEmpty() ? null : String.join("\r\n", notes));
    }

    private void endCurrent() throws IOException {
        if (current != null) {
            current.end();
            current = null;
        }
        if (handedOut.size() >= BATCH) {
            recordUids();
        }
    }

    private void recordUids() {
        if (!handedOut.isEmpty()) {
            uids.record(ae.aet(), handedOut);
            handedOut.clear();
        }
    }

    /** One instance as it arrives: its header held until complete, then passed through or left out. */
    private final class Part extends OutputStream {
        private final String contentType;
        private final PixelDataScanner scanner = new PixelDataScanner();
        private byte[] header = new byte[64 * 1024];
        private int held;
        private OutputStream passing;
        private boolean leftOut;

        Part(String contentType) {
            this.contentType = contentType;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (passing != null) {
                passing.write(bytes, offset, length);
                return;
            }
            if (leftOut) {
                return;
            }
            if (held + length > MAX_HEADER) {
                leaveOut("an instance whose data set up to the pixel data exceeds " + MAX_HEADER / (1024 * 1024)
                        + " MB was left out");
                return;
            }
            if (held + length > header.length) {
                header = Arrays.copyOf(header, Math.max(held + length, Math.min(2 * header.length, MAX_HEADER)));
            }
            System.arraycopy(bytes, offset, header, held, length);
            held += length;
            long split;
            try {
                split = scanner.scan(header, held);
            } catch (IOException unreadable) {
                leaveOut("an instance was left out: " + unreadable.getMessage());
                return;
            }
            if (PixelDataScanner.DEFLATED.equals(scanner.transferSyntax())) {
                leaveOut("an instance was left out: deflated data sets are not de-identified");
            } else if (split != PixelDataScanner.MORE) {
                pass((int) split);
            }
        }

        /** The instance ended: if no pixel data came, all of it was the header. */
        void end() throws IOException {
            if (passing == null && !leftOut) {
                pass(held);
            }
        }

        private void leaveOut(String reason) {
            left.add(reason);
            leftOut = true;
            header = null;
        }

        /** {@code header[0..split)} de-identified and written, then the rest held so far passes on. */
        private void pass(int split) throws IOException {
            AttributeList dataSet = new AttributeList();
            try {
                dataSet.read(new DicomInputStream(new ByteArrayInputStream(header, 0, split)));
            } catch (DicomException | IOException e) {
                leaveOut("an instance was left out: its header is not readable DICOM (" + e.getMessage() + ")");
                return;
            }
            String syntax = Attribute.getSingleStringValueOrEmptyString(dataSet, TagFromName.TransferSyntaxUID);
            String sopClass = Attribute.getSingleStringValueOrEmptyString(dataSet, TagFromName.SOPClassUID);
            String original = Attribute.getSingleStringValueOrEmptyString(dataSet, TagFromName.SOPInstanceUID);
            String study = Attribute.getSingleStringValueOrEmptyString(dataSet, TagFromName.StudyInstanceUID);
            String series = Attribute.getSingleStringValueOrEmptyString(dataSet, TagFromName.SeriesInstanceUID);
            String pseudonym = ae.deidentification().uid(original);
            dataSet.removeMetaInformationHeaderAttributes();
            try {
                ae.deidentification().apply(dataSet);
            } catch (BurnedInAnnotationRefused refused) {
                uids.refuse(ae.aet(), pseudonym, original, refused.getMessage());
                leaveOut("instance " + pseudonym + " refused: " + refused.getMessage());
                return;
            }
            handedOut.put(ae.deidentification().uid(study), study);
            handedOut.put(ae.deidentification().uid(series), series);
            handedOut.put(pseudonym, original);
            // The new header is made in memory and written at once, never flushed: a flush of a small segment
            // mid-body would wait on the client's delayed ACK (Nagle) before the pixel data could follow.
            ByteArrayOutputStream rewritten = new ByteArrayOutputStream(split + 512);
            Part10.writeHeader(rewritten, sopClass, pseudonym, syntax, ae.aet());
            try {
                DicomOutputStream dicom = new DicomOutputStream(rewritten, null, syntax);
                dataSet.write(dicom);
                dicom.flush();
            } catch (DicomException e) {
                throw new IOException("cannot write the de-identified data set of " + pseudonym + ": "
                        + e.getMessage(), e);
            }
            OutputStream out = target.nextPart(contentType);
            rewritten.writeTo(out);
            out.write(header, split, held - split);
            header = null;
            passing = out;
        }
    }
}
