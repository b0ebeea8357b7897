package org.dicomweb.gateway.core.dicom;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.StringWriter;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.function.Supplier;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.json.DicomJson;

/**
 * The gateway's own reading of C-FIND identifiers must give what PixelMed gives, value for value, in both Little Endian
 * transfer syntaxes; what it does not handle goes to PixelMed.
 */
class IdentifierReaderTest {

    private static final String EXPLICIT = TransferSyntax.ExplicitVRLittleEndian;
    private static final String IMPLICIT = TransferSyntax.ImplicitVRLittleEndian;

    /**
     * A match with the corner cases of splitting and padding, and binary numbers of each signedness (tags whose
     * dictionary VR is the one written, for Implicit VR).
     */
    private static DataSetBytes studyMatch(DataSetBytes data, String charsetTerm, Charset charset) {
        return data
                .text(0x00080005, "CS", charsetTerm)
                .text(0x00080020, "DA", "20240229")
                .text(0x00080030, "TM", "101530.25")
                .text(0x00080050, "SH", " ACC1 ")
                .text(0x00080052, "CS", "STUDY")
                .text(0x00080061, "CS", "CT\\\\MR\\") // an empty value, and a trailing backslash
                .text(0x00080090, "PN", "Müller^Jürgen=山田^太郎", charset)
                .text(0x00081030, "LO", "Thorax à gauche", charset)
                .text(0x00100010, "PN", "Doe^John", charset)
                .text(0x00100020, "LO", "PAT-1")
                .text(0x00104000, "LT", "a\\b  ", charset)
                .text(0x0020000D, "UI", "1.2.840.10008.5.1\0")
                .text(0x00201206, "IS", "2 ")
                .text(0x00201208, "IS", "10")
                .element(0x00280010, "US", DataSetBytes.le(4).putShort((short) 512).putShort((short) 0xFFFF))
                .element(0x00189219, "SS", DataSetBytes.le(2).putShort((short) -1))
                .element(0x00281052, "DS", "-1024.5 ".getBytes(ISO_8859_1))
                .element(0x00209228, "UL", DataSetBytes.le(4).putInt(0xFFFFFFFE))
                .element(0x00186020, "SL", DataSetBytes.le(4).putInt(-7))
                .element(0x00081060, "PN", new byte[0]);
    }

    @Test
    void utf8AndLatin1MatchesReadAsPixelMedReadsThem() throws Exception {
        assertSameAsPixelMed(() -> studyMatch(new DataSetBytes(), "ISO_IR 192", UTF_8), EXPLICIT, true);
        assertSameAsPixelMed(() -> studyMatch(DataSetBytes.implicitVr(), "ISO_IR 192", UTF_8), IMPLICIT, true);
        // ISO_IR 100 cannot encode the Japanese group: it becomes '?', in both readings alike
        assertSameAsPixelMed(() -> studyMatch(new DataSetBytes(), "ISO_IR 100", ISO_8859_1), EXPLICIT, true);
        assertSameAsPixelMed(() -> studyMatch(DataSetBytes.implicitVr(), "ISO_IR 100", ISO_8859_1), IMPLICIT, true);
    }

    @Test
    void withoutCharacterSetAsciiIsReadHereAndAnythingElseByPixelMed() throws Exception {
        assertSameAsPixelMed(() -> new DataSetBytes().text(0x00100010, "PN", "Doe^John").text(0x00100020, "LO", "P1"),
                EXPLICIT, true);
        assertSameAsPixelMed(() -> new DataSetBytes().text(0x00100010, "PN", "Müller", UTF_8), EXPLICIT, false);
    }

    @Test
    void whatThisReaderDoesNotHandleIsLeftToPixelMed() throws Exception {
        // ISO 2022 code extensions
        assertSameAsPixelMed(() -> new DataSetBytes().text(0x00080005, "CS", "\\ISO 2022 IR 87")
                .text(0x00100010, "PN", "Yamada^Tarou"), EXPLICIT, false);
        // a sequence
        assertSameAsPixelMed(() -> new DataSetBytes().text(0x00080005, "CS", "ISO_IR 192")
                .sequence(0x00081110, new DataSetBytes().text(0x00081155, "UI", "1.2.3\0"))
                .text(0x00100010, "PN", "Doe^John"), EXPLICIT, false);
        // a long-length VR, and a private tag whose VR only the stream can tell
        assertSameAsPixelMed(() -> new DataSetBytes().text(0x00081190, "UR", "http://gw/studies/1.2"), EXPLICIT, false);
        assertSameAsPixelMed(() -> DataSetBytes.implicitVr().text(0x00091010, "LO", "private"), IMPLICIT, false);
        // a value running past the end of the data
        byte[] truncated = new DataSetBytes().text(0x00100010, "PN", "Doe^John").toByteArray();
        assertNull(IdentifierReader.readFlat(Arrays.copyOf(truncated, truncated.length - 2), EXPLICIT));
    }

    /** Both readings written as DICOM JSON (which shows every value, VR and padding rule) must be equal. */
    private static void assertSameAsPixelMed(Supplier<DataSetBytes> data, String transferSyntax, boolean readHere)
            throws Exception {
        byte[] bytes = data.get().toByteArray();
        AttributeList pixelMed = DataSetBytes.read(bytes, transferSyntax, false);
        AttributeList flat = IdentifierReader.readFlat(bytes, transferSyntax);
        if (readHere) {
            assertNotNull(flat, "read here, not by PixelMed");
        } else {
            assertNull(flat, "left to PixelMed");
        }
        assertEquals(json(pixelMed), json(IdentifierReader.read(bytes, transferSyntax)));
    }

    private static String json(AttributeList list) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = Json.createGenerator(out)) {
            DicomJson.writeObject(generator, list);
        }
        return out.toString();
    }
}
