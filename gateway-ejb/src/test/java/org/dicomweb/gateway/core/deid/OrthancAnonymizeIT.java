package org.dicomweb.gateway.core.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import org.dicomweb.gateway.testdata.CtImages;
import org.dicomweb.gateway.testpeers.OrthancRest;
import org.dicomweb.gateway.testpeers.TestPeers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our basic profile against an independent implementation of it on the same files: Orthanc's
 * {@code /instances/{id}/anonymize} (Orthanc 1.10, PS3.15 2021b). Attribute by attribute, at every depth, each side's
 * outcome (removed, emptied, kept, changed, added) is compared; every difference must be one that
 * docs/deidentification.md lists with its reason ({@link DocumentedDifferences}), so a new one fails the test.
 */
class OrthancAnonymizeIT {

    private static final URI ORTHANC = URI.create("http://" + TestPeers.HOST + ":18042");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final DeidentificationOptions BASIC = new DeidentificationOptions(false, false, false, false,
            false, Set.of(), false);


    @BeforeAll
    static void orthanc() {
        TestPeers.start("orthanc");
    }

    /** A sample the test suite loads into Orthanc anyway (a Latin-1 patient name): storing it again changes nothing. */
    @Test
    void aSampleInstance() throws Exception {
        Path directory = Path.of(TestPeers.run("env", "SAMPLES_CHARSET=ISO_IR 100", "bash",
                TestPeers.projectRoot().resolve("scripts/samples.sh").toString(), "1", "1", "1").trim());
        Path file;
        try (Stream<Path> files = Files.walk(directory)) {
            file = files.filter(p -> p.toString().endsWith(".dcm")).findFirst().orElseThrow();
        }
        compare(Files.readAllBytes(file));
    }

    /** Every attribute of Table E.1-1 in a CT image, at the top and in a sequence item; removed from Orthanc again. */
    @Test
    void everyAttributeOfTheTable() throws Exception {
        AttributeList list = SyntheticDataSet.of(StandardTable.rows());
        list.removeGroup(0x0000);
        list.removeGroup(0x0002);
        CtImages.put(list, TagFromName.SOPClassUID, SOPClass.CTImageStorage);
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "TEST");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
        compare(out.toByteArray());
    }

    private void compare(byte[] file) throws Exception {
        JsonObject stored = json(send(HttpRequest.newBuilder(ORTHANC.resolve("/instances"))
                .header("Content-Type", "application/dicom").POST(HttpRequest.BodyPublishers.ofByteArray(file))));
        String id = stored.getString("ID");
        try {
            byte[] theirs = send(HttpRequest.newBuilder(ORTHANC.resolve("/instances/" + id + "/anonymize"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"KeepPrivateTags\": false}")));
            AttributeList ours = read(file);
            BasicProfile.of("DEIDTEST", BASIC, TableE11Test.SECRET,
                    new KeyedHashPseudonyms(TableE11Test.SECRET, "DEIDTEST")).apply(ours);
            List<Outcomes.Difference> differences = Outcomes.differences(read(file), ours, read(theirs));
            DocumentedDifferences documented = DocumentedDifferences.read(
                    TestPeers.projectRoot().resolve("docs/deidentification.md"));
            Set<String> undocumented = new TreeSet<>();
            for (Outcomes.Difference difference : differences) {
                if (!documented.covers(difference)) {
                    undocumented.add(difference.toString());
                }
            }
            assertEquals(Set.of(), undocumented, "differences from Orthanc not listed in docs/deidentification.md");
            assertTrue(differences.size() > 0, "the comparison saw the attributes");
        } finally {
            if (stored.getString("Status").equals("Success")) {
                send(HttpRequest.newBuilder(ORTHANC.resolve("/instances/" + id)).DELETE());
            }
        }
    }

    private byte[] send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = OrthancRest.send(request.timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Orthanc answered " + response.statusCode() + " to " + response.request()
                    + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return response.body();
    }

    private static JsonObject json(byte[] body) {
        try (JsonReader reader = Json.createReader(new StringReader(new String(body,
                java.nio.charset.StandardCharsets.UTF_8)))) {
            return reader.readObject();
        }
    }

    static AttributeList read(byte[] file) throws Exception {
        AttributeList list = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(file))) {
            list.read(in);
        }
        return list;
    }
}
