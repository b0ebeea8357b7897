package org.dicomweb.gateway.backend.dimse.scp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;

/**
 * What the Storage SCP's tests share with dcmtk as their client: a free port to listen on, a dcmtk tool run within a
 * deadline, an instance file to send, and the SCP's log lines captured.
 */
final class ScpPeers {

    private ScpPeers() {
    }

    static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /** Runs a dcmtk tool (which may fail: the output tells), within a deadline. */
    static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " ended");
        return output;
    }

    /** A Secondary Capture instance (no pixels) in {@code file}; its SOP instance, study, series UIDs: uidRoot.1-3. */
    static File instance(Path file, String uidRoot) throws Exception {
        AttributeList list = new AttributeList();
        uid(list, TagFromName.SOPClassUID, SOPClass.SecondaryCaptureImageStorage);
        uid(list, TagFromName.SOPInstanceUID, uidRoot + ".1");
        uid(list, TagFromName.StudyInstanceUID, uidRoot + ".2");
        uid(list, TagFromName.SeriesInstanceUID, uidRoot + ".3");
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "TEST");
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return file.toFile();
    }

    private static void uid(AttributeList list, AttributeTag tag, String value) throws Exception {
        Attribute attribute = new UniqueIdentifierAttribute(tag);
        attribute.addValue(value);
        list.put(attribute);
    }

    /** The Storage SCP's log records while it is open. */
    static final class ScpLog extends Handler implements AutoCloseable {
        private static final Logger SCP_LOG = Logger.getLogger(StorageScp.class.getName());

        private final List<LogRecord> records = new CopyOnWriteArrayList<>();

        ScpLog() {
            SCP_LOG.addHandler(this);
        }

        List<LogRecord> records() {
            return records;
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            SCP_LOG.removeHandler(this);
        }
    }
}
