package org.dicomweb.gateway.backend.deidentify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonGenerator;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.deid.BasicProfile;
import org.dicomweb.gateway.core.deid.Deidentification;
import org.dicomweb.gateway.core.deid.DeidentificationOptions;
import org.dicomweb.gateway.core.deid.KeyedHashPseudonyms;
import org.dicomweb.gateway.core.json.DicomJson;
import org.dicomweb.gateway.testdata.CtImages;

/**
 * A QIDO-RS match as the gateway's own JSON writer gives it (strings, person names, numbers, empty attributes, a
 * sequence) read back into the same values, and de-identified by the real profile.
 */
class DicomJsonReaderTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void readsWhatTheJsonWriterWritesAndTheProfileTakesIt() throws Exception {
        AttributeList match = new AttributeList();
        CtImages.put(match, TagFromName.StudyInstanceUID, "1.2.3.4");
        CtImages.put(match, TagFromName.PatientID, "PAT-4711");
        CtImages.put(match, TagFromName.PatientName, "Doe^Jane=ドウ^ジェーン");
        CtImages.put(match, TagFromName.NumberOfStudyRelatedInstances, "10");
        CtImages.put(match, TagFromName.SliceThickness, "1.25");
        CtImages.put(match, TagFromName.ModalitiesInStudy, "CT");
        match.put(AttributeFactory.newAttribute(TagFromName.AccessionNumber)); // empty: type 2, no value
        match.put(AttributeFactory.newAttribute(TagFromName.ReferringPhysicianName));
        SequenceAttribute procedure = new SequenceAttribute(TagFromName.ProcedureCodeSequence);
        AttributeList item = new AttributeList();
        CtImages.put(item, TagFromName.CodeValue, "CTHEAD");
        procedure.addItem(item);
        match.put(procedure);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonGenerator json = DicomJson.generator(out);
        DicomJson.writeObject(json, match);
        json.flush();
        JsonObject object = Json.createReader(new ByteArrayInputStream(out.toByteArray())).readObject();

        AttributeList read = DicomJsonReader.read(object);
        assertEquals("Doe^Jane=ドウ^ジェーン", Attribute.getSingleStringValueOrEmptyString(read,
                TagFromName.PatientName));
        assertEquals(10, Attribute.getSingleIntegerValueOrDefault(read, TagFromName.NumberOfStudyRelatedInstances, 0));
        assertEquals(1.25, Attribute.getSingleDoubleValueOrDefault(read, TagFromName.SliceThickness, 0), 1e-9);
        assertTrue(read.containsKey(TagFromName.AccessionNumber), "an empty attribute stays, without value");
        assertEquals("CTHEAD", Attribute.getSingleStringValueOrEmptyString(((SequenceAttribute) read.get(
                TagFromName.ProcedureCodeSequence)).getItem(0).getAttributeList(), TagFromName.CodeValue));

        Deidentification profile = BasicProfile.of("DEID", new DeidentificationOptions(false, false, false, false,
                false, Set.of(), false), SECRET, new KeyedHashPseudonyms(SECRET, "DEID"));
        profile.apply(read);
        assertNotEquals("PAT-4711", Attribute.getSingleStringValueOrEmptyString(read, TagFromName.PatientID));
        assertEquals(profile.uid("1.2.3.4"), Attribute.getSingleStringValueOrEmptyString(read,
                TagFromName.StudyInstanceUID));
    }
}
