package org.dicomweb.gateway.backend.deidentify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;

import org.h2.jdbcx.JdbcDataSource;
import org.dicomweb.gateway.testdata.CollectedParts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.core.deid.BasicProfile;
import org.dicomweb.gateway.core.deid.DeidentificationOptions;
import org.dicomweb.gateway.core.deid.KeyedHashPseudonyms;
import org.dicomweb.gateway.testdata.CtImages;

/**
 * A retrieval through {@link DeidentifyingSink} with D1's profile and a real UID map (H2): every instance comes out
 * de-identified with its pixel data byte for byte, whatever the chunks it arrives in; a refused one is left out,
 * named in the epilogue and recorded; the UIDs handed out are in the map before the body is finished.
 */
class DeidentifyingSinkTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final DeidentificationOptions DEFAULTS = new DeidentificationOptions(false, false, false, false,
            false, Set.of(), false);

    @TempDir
    Path work;

    private UidMap uids;
    private DeidentifiedAe ae;

    @BeforeEach
    void setUp() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:sink-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        uids = new UidMap();
        uids.dataSource = dataSource;
        DeidentifySettings settings = new DeidentifySettings("DEID", "PACS", DEFAULTS, SECRET);
        ae = new DeidentifiedAe(settings, BasicProfile.of("DEID", DEFAULTS, SECRET,
                new KeyedHashPseudonyms(SECRET, "DEID")));
    }

    /** A map over the same table, remembering nothing. */
    private UidMap otherNode() {
        UidMap other = new UidMap();
        other.dataSource = uids.dataSource;
        return other;
    }


    private Path image(String name, String sopClass, String burnedIn) throws Exception {
        short[] samples = new short[16 * 16];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (i * 37);
        }
        AttributeList list = CtImages.image("1.2.3.4", "1.2.3.4.5", "1.2.3.4.5." + name.length(), 16, 16, 1,
                samples);
        CtImages.put(list, TagFromName.SOPClassUID, sopClass);
        CtImages.put(list, TagFromName.PatientID, "PAT-4711");
        CtImages.put(list, TagFromName.PatientName, "Doe^Jane");
        CtImages.put(list, TagFromName.BurnedInAnnotation, burnedIn);
        return CtImages.write(list, work.resolve(name));
    }

    private CollectedParts retrieve(List<Path> files, int chunk) throws IOException {
        CollectedParts collected = new CollectedParts();
        DeidentifyingSink sink = new DeidentifyingSink(collected, ae, uids, true);
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            OutputStream part = sink.nextPart("application/dicom; transfer-syntax=1.2.840.10008.1.2.1");
            for (int at = 0; at < bytes.length; at += chunk) {
                part.write(bytes, at, Math.min(chunk, bytes.length - at));
            }
        }
        sink.finish(null);
        return collected;
    }

    private static AttributeList read(byte[] part) throws Exception {
        AttributeList list = new AttributeList();
        list.read(new DicomInputStream(new ByteArrayInputStream(part)));
        return list;
    }

    private static byte[] pixels(AttributeList list) throws Exception {
        return list.get(TagFromName.PixelData).getByteValues(false);
    }

    @Test
    void passesEachInstanceDeidentifiedWithItsPixelDataAsItCame() throws Exception {
        Path original = image("ct", SOPClass.CTImageStorage, "NO");
        AttributeList source = read(Files.readAllBytes(original));
        for (int chunk : new int[] {1, 100, 1 << 20}) {
            CollectedParts collected = retrieve(List.of(original), chunk);
            assertEquals(1, collected.parts.size(), "chunks of " + chunk);
            assertNull(collected.epilogue);
            AttributeList passed = read(collected.parts.get(0).toByteArray());
            String pseudonym = ae.deidentification().uid("1.2.3.4.5.2");
            assertEquals(pseudonym, Attribute.getSingleStringValueOrEmptyString(passed, TagFromName.SOPInstanceUID));
            assertEquals(pseudonym, Attribute.getSingleStringValueOrEmptyString(passed,
                    TagFromName.MediaStorageSOPInstanceUID));
            assertNotEquals("PAT-4711", Attribute.getSingleStringValueOrEmptyString(passed, TagFromName.PatientID));
            assertTrue(!Attribute.getSingleStringValueOrEmptyString(passed, TagFromName.PatientName)
                    .contains("Doe"));
            assertEquals("YES", Attribute.getSingleStringValueOrEmptyString(passed,
                    TagFromName.PatientIdentityRemoved));
            assertArrayEquals(pixels(source), pixels(passed), "pixel data byte for byte");
            assertEquals(Optional.of("1.2.3.4.5.2"), otherNode().original("DEID", pseudonym),
                    "recorded in the table, not only in this node's memory");
            assertEquals(Optional.of("1.2.3.4"), uids.original("DEID", ae.deidentification().uid("1.2.3.4")));
        }
    }

    @Test
    void leavesOutAndNamesAnInstanceThatMayCarryBurnedInText() throws Exception {
        Path kept = image("ct", SOPClass.CTImageStorage, "NO");
        Path burned = image("burned", SOPClass.CTImageStorage, "YES");
        CollectedParts collected = retrieve(List.of(burned, kept), 4096);
        assertEquals(1, collected.parts.size());
        String refused = ae.deidentification().uid("1.2.3.4.5.6");
        assertTrue(collected.epilogue.contains("instance " + refused + " refused"), collected.epilogue);
        assertTrue(uids.refusal("DEID", refused).isPresent());
        assertTrue(Arrays.equals(pixels(read(Files.readAllBytes(kept))),
                pixels(read(collected.parts.get(0).toByteArray()))));
    }
}
