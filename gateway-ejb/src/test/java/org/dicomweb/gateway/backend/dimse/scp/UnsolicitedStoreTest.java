package org.dicomweb.gateway.backend.dimse.scp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.backend.dimse.config.CallingAets;
import org.dicomweb.gateway.backend.dimse.config.ScpSettings;

/**
 * Without gateway.scp.ingest-aet the Storage SCP refuses a C-STORE that no C-MOVE waits for (0xA700), as before the
 * change feed: dcmtk's storescu sends one to it. The SCP's meters count it as a failed C-STORE of that calling AE,
 * with at least its bytes received.
 */
class UnsolicitedStoreTest {

    @TempDir
    Path work;

    @Test
    void withoutAnIngestAeAnInstanceNobodyWaitsForIsRefused() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ExecutorService threads = Executors.newCachedThreadPool();
        MeterRegistry registry = new SimpleMeterRegistry();
        StorageScp scp = new StorageScp(new ScpSettings("DICOMWEB", "127.0.0.1", port, 65536, 5_000, false, null, 0, null),
                threads, new MoveRouter(), null, () -> new CallingAets(Set.of("STORESCU"), false),
                new ScpMeters(registry));
        try {
            scp.start();
            File file = instance();
            Process storescu = new ProcessBuilder("storescu", "-v", "-aet", "STORESCU", "-aec", "DICOMWEB",
                    "127.0.0.1", String.valueOf(port), file.toString()).redirectErrorStream(true).start();
            String output = new String(storescu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(storescu.waitFor(30, TimeUnit.SECONDS), "storescu ended");
            assertTrue(output.contains("Received Store Response (Refused: OutOfResources)"), output);
            // Counted before the response was sent, so before storescu could read it.
            assertEquals(1, registry.get("dicomweb.gateway.scp.stores").tags("calling_aet", "STORESCU", "outcome",
                    "failure").counter().count());
            assertEquals(1, registry.get("dicomweb.gateway.scp.stores").counters().size(), "one series");
            assertTrue(registry.get("dicomweb.gateway.scp.received").tags("calling_aet", "STORESCU").counter().count()
                    > file.length() - 200, "the data set's bytes at least (the file less its meta header)");
        } finally {
            scp.close();
            threads.shutdownNow();
        }
    }

    private File instance() throws Exception {
        AttributeList list = new AttributeList();
        uid(list, TagFromName.SOPClassUID, SOPClass.SecondaryCaptureImageStorage);
        uid(list, TagFromName.SOPInstanceUID, "1.2.826.0.1.3680043.2.1125.99.1");
        uid(list, TagFromName.StudyInstanceUID, "1.2.826.0.1.3680043.2.1125.99.2");
        uid(list, TagFromName.SeriesInstanceUID, "1.2.826.0.1.3680043.2.1125.99.3");
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "TEST");
        File file = work.resolve("unsolicited.dcm").toFile();
        list.write(file, TransferSyntax.ExplicitVRLittleEndian, true, true);
        return file;
    }

    private static void uid(AttributeList list, AttributeTag tag, String value) throws Exception {
        Attribute attribute = new UniqueIdentifierAttribute(tag);
        attribute.addValue(value);
        list.put(attribute);
    }
}
