package org.dicomweb.gateway.core.json;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherFloatAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnknownAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.dicom.DataSetBytes;

class DicomJsonTest {

    private static final AttributeTag PATIENT_NAME = new AttributeTag(0x0010, 0x0010);
    private static final AttributeTag PATIENT_ID = new AttributeTag(0x0010, 0x0020);
    private static final AttributeTag PIXEL_DATA = new AttributeTag(0x7FE0, 0x0010);

    @Test
    void stringValuesLoseTheirPaddingAndKeepEmptyValuesAsNull() throws Exception {
        AttributeList list = new DataSetBytes()
                .text(0x00080008, "CS", "ORIGINAL\\\\AXIAL") // the middle value is empty
                .text(0x00080018, "UI", "1.2.3\0")
                .text(0x00080020, "DA", "20240229")
                .text(0x00080030, "TM", "101530.25")
                .text(0x0008002A, "DT", "20240229101530+0100")
                .text(0x00080050, "SH", " ACC1 ")
                .text(0x00080054, "AE", "PACS")
                .text(0x00081190, "UR", "http://example.com/x")
                .text(0x00100020, "LO", "ID-1")
                .text(0x00101010, "AS", "042Y")
                .text(0x00104000, "LT", "  indented text  ")
                .text(0x00181030, "UC", "long\\longer")
                .text(0x00204000, "LT", "a\\b")
                .text(0x00321060, "ST", "study")
                .text(0x00400280, "UT", "unlimited  ")
                .read();
        assertJson("{'00080008':{'vr':'CS','Value':['ORIGINAL',null,'AXIAL']},"
                + "'00080018':{'vr':'UI','Value':['1.2.3']},"
                + "'00080020':{'vr':'DA','Value':['20240229']},"
                + "'0008002A':{'vr':'DT','Value':['20240229101530+0100']},"
                + "'00080030':{'vr':'TM','Value':['101530.25']},"
                + "'00080050':{'vr':'SH','Value':['ACC1']},"
                + "'00080054':{'vr':'AE','Value':['PACS']},"
                + "'00081190':{'vr':'UR','Value':['http://example.com/x']},"
                + "'00100020':{'vr':'LO','Value':['ID-1']},"
                + "'00101010':{'vr':'AS','Value':['042Y']},"
                // Text VRs: leading spaces and backslashes are content, trailing spaces are padding.
                + "'00104000':{'vr':'LT','Value':['  indented text']},"
                + "'00181030':{'vr':'UC','Value':['long','longer']},"
                + "'00204000':{'vr':'LT','Value':['a\\\\b']},"
                + "'00321060':{'vr':'ST','Value':['study']},"
                + "'00400280':{'vr':'UT','Value':['unlimited']}}", list);
    }

    @Test
    void personNamesAreObjectsOfTheirComponentGroups() throws Exception {
        AttributeList list = new AttributeList();
        put(list, new PersonNameAttribute(PATIENT_NAME),
                "Yamada^Tarou=山田^太郎=やまだ^たろう", "", "=Ideographic^Only", "Smith^John");
        assertJson("{'00100010':{'vr':'PN','Value':["
                + "{'Alphabetic':'Yamada^Tarou','Ideographic':'山田^太郎','Phonetic':'やまだ^たろう'},"
                + "null,"
                + "{'Ideographic':'Ideographic^Only'},"
                + "{'Alphabetic':'Smith^John'}]}}", list);
    }

    @Test
    void decimalAndIntegerStringsAreNumbersTakenFromTheirText() throws Exception {
        AttributeList list = new AttributeList();
        put(list, new DecimalStringAttribute(new AttributeTag(0x0018, 0x0050)), "0.1", "-1024", "1.5e3", "", "abc");
        put(list, new IntegerStringAttribute(new AttributeTag(0x0020, 0x0013)), "+12", "-3", "1.5");
        assertJson("{'00180050':{'vr':'DS','Value':[0.1,-1024,1.5E+3,null,'abc']},"
                + "'00200013':{'vr':'IS','Value':[12,-3,'1.5']}}", list);
    }

    @Test
    void binaryNumbersAndTagsAreReadAndWrittenWithTheirSignedness() throws Exception {
        AttributeList list = new DataSetBytes()
                .text(0x00190010, "LO", "NUMBERS")
                .element(0x00191001, "US", DataSetBytes.le(4).putShort((short) 0xFFFF).putShort((short) 1))
                .element(0x00191002, "SS", DataSetBytes.le(2).putShort((short) -2))
                .element(0x00191003, "UL", DataSetBytes.le(4).putInt(0xFFFFFFFF))
                .element(0x00191004, "SL", DataSetBytes.le(4).putInt(-3))
                .element(0x00191005, "SV", DataSetBytes.le(8).putLong(Long.MIN_VALUE))
                .element(0x00191006, "UV", DataSetBytes.le(8).putLong(-1L))
                .element(0x00191007, "FL", DataSetBytes.le(3 * 4).putFloat(0.1f).putFloat(Float.NaN).putFloat(Float.NEGATIVE_INFINITY))
                .element(0x00191008, "FD",
                        DataSetBytes.le(3 * 8).putDouble(0.1).putDouble(Double.POSITIVE_INFINITY).putDouble(1e-7))
                .element(0x00191009, "AT", DataSetBytes.le(8).putShort((short) 0x0010).putShort((short) 0x0010)
                        .putShort((short) 0x7FE0).putShort((short) 0x0010))
                .read();
        assertJson("{'00190010':{'vr':'LO','Value':['NUMBERS']},"
                + "'00191001':{'vr':'US','Value':[65535,1]},"
                + "'00191002':{'vr':'SS','Value':[-2]},"
                + "'00191003':{'vr':'UL','Value':[4294967295]},"
                + "'00191004':{'vr':'SL','Value':[-3]},"
                + "'00191005':{'vr':'SV','Value':[-9223372036854775808]},"
                + "'00191006':{'vr':'UV','Value':[18446744073709551615]},"
                + "'00191007':{'vr':'FL','Value':[0.1,'NaN','-Infinity']},"
                + "'00191008':{'vr':'FD','Value':[0.1,'Infinity',1.0E-7]},"
                + "'00191009':{'vr':'AT','Value':['00100010','7FE00010']}}", list);
    }

    @Test
    void sequencesNestItemsAndAnEmptySequenceHasNoValue() throws Exception {
        AttributeList inner = new AttributeList();
        put(inner, new LongStringAttribute(new AttributeTag(0x0008, 0x0100)), "T-D1100");
        AttributeList outer = new AttributeList();
        put(outer, new UniqueIdentifierAttribute(new AttributeTag(0x0008, 0x1155)), "1.2.3");
        SequenceAttribute innerSequence = new SequenceAttribute(new AttributeTag(0x0008, 0x2218));
        innerSequence.addItem(inner);
        outer.put(innerSequence);
        AttributeList secondOuter = new AttributeList();
        put(secondOuter, new UniqueIdentifierAttribute(new AttributeTag(0x0008, 0x1155)), "4.5.6");
        SequenceAttribute outerSequence = new SequenceAttribute(new AttributeTag(0x0008, 0x1140));
        outerSequence.addItem(outer);
        outerSequence.addItem(secondOuter);
        AttributeList list = new AttributeList();
        list.put(outerSequence);
        list.put(new SequenceAttribute(new AttributeTag(0x0008, 0x1115)));

        assertJson("{'00081115':{'vr':'SQ'},"
                + "'00081140':{'vr':'SQ','Value':["
                + "{'00081155':{'vr':'UI','Value':['1.2.3']},"
                + "'00082218':{'vr':'SQ','Value':[{'00080100':{'vr':'LO','Value':['T-D1100']}}]}},"
                + "{'00081155':{'vr':'UI','Value':['4.5.6']}}]}}", list);
    }

    @Test
    void emptyAttributesAreWrittenWithTheirVrOnly() throws Exception {
        // As read from a C-FIND response: zero-length return keys.
        AttributeList list = new DataSetBytes()
                .element(0x00080050, "SH", new byte[0])
                .text(0x00081030, "LO", " ") // nothing but padding
                .element(0x00100010, "PN", new byte[0])
                .element(0x00101020, "DS", new byte[0])
                .element(0x00201208, "IS", new byte[0])
                .element(0x00280010, "US", new byte[0])
                .element(0x00400275, "SQ", new byte[0])
                .element(0x00420011, "OB", new byte[0])
                .read();
        assertJson("{'00080050':{'vr':'SH'},'00081030':{'vr':'LO'},'00100010':{'vr':'PN'},'00101020':{'vr':'DS'},"
                + "'00201208':{'vr':'IS'},"
                + "'00280010':{'vr':'US'},'00400275':{'vr':'SQ'},'00420011':{'vr':'OB'}}", list);
    }

    @Test
    void groupLengthsAndTheCommandGroupAreLeftOutButPrivateAttributesAreKept() throws Exception {
        AttributeList list = new AttributeList();
        put(list, new UnsignedShortAttribute(new AttributeTag(0x0000, 0x0900)), "0");
        put(list, new UnsignedLongAttribute(new AttributeTag(0x0008, 0x0000)), "10");
        put(list, new UnsignedLongAttribute(new AttributeTag(0x0009, 0x0000)), "10");
        put(list, new LongStringAttribute(new AttributeTag(0x0009, 0x0010)), "ACME 1.0");
        put(list, new ShortStringAttribute(new AttributeTag(0x0009, 0x1001)), "private");
        OtherByteAttribute privateBytes = new OtherByteAttribute(new AttributeTag(0x0009, 0x1002));
        privateBytes.setValues(new byte[] {1, 2, 3, 4});
        list.put(privateBytes);
        put(list, new ShortStringAttribute(new AttributeTag(0x0008, 0x0050)), "A1");
        assertJson("{'00080050':{'vr':'SH','Value':['A1']},"
                + "'00090010':{'vr':'LO','Value':['ACME 1.0']},"
                + "'00091001':{'vr':'SH','Value':['private']},"
                + "'00091002':{'vr':'OB','InlineBinary':'AQIDBA=='}}", list);
    }

    @Test
    void binaryValuesAreInlinedAsLittleEndianBase64() throws Exception {
        AttributeList list = new AttributeList();
        OtherWordAttribute words = new OtherWordAttribute(new AttributeTag(0x0028, 0x1201));
        words.setValues(new short[] {0x0102, (short) 0xA0B0});
        list.put(words);
        OtherFloatAttribute floats = new OtherFloatAttribute(new AttributeTag(0x0064, 0x0009));
        floats.setValues(new float[] {1.0f});
        list.put(floats);
        UnknownAttribute unknown = new UnknownAttribute(new AttributeTag(0x0011, 0x1010));
        unknown.setValues(new byte[] {(byte) 0xFF, 0});
        list.put(unknown);
        assertJson("{'00111010':{'vr':'UN','InlineBinary':'/wA='},"
                + "'00281201':{'vr':'OW','InlineBinary':'AgGwoA=='}," // 02 01 B0 A0
                + "'00640009':{'vr':'OF','InlineBinary':'AACAPw=='}}", list); // 1.0f = 00 00 80 3F
    }

    @Test
    void theLocatorTurnsBinaryValuesIntoBulkDataUris() throws Exception {
        AttributeList list = new AttributeList();
        OtherWordAttribute pixels = new OtherWordAttribute(PIXEL_DATA);
        pixels.setValues(new short[] {1, 2});
        list.put(pixels);
        OtherByteAttribute small = new OtherByteAttribute(new AttributeTag(0x0042, 0x0011));
        small.setValues(new byte[] {9, 9});
        list.put(small);
        put(list, new LongStringAttribute(PATIENT_ID), "P1");
        SequenceAttribute sequence = new SequenceAttribute(new AttributeTag(0x0054, 0x0016));
        sequence.addItem(new AttributeList());
        AttributeList second = new AttributeList();
        OtherByteAttribute nested = new OtherByteAttribute(new AttributeTag(0x0018, 0x1072));
        nested.setValues(new byte[] {7});
        second.put(nested);
        sequence.addItem(second);
        list.put(sequence);
        List<String> asked = new ArrayList<>();
        DicomJson.BulkDataLocator locator = (tagPath, attribute) -> {
            asked.add(tagPath);
            return tagPath.equals("00420011") ? Optional.empty() : Optional.of("http://gw/bulk/" + tagPath);
        };

        assertEquals(json("{'00100020':{'vr':'LO','Value':['P1']},"
                + "'00420011':{'vr':'OB','InlineBinary':'CQk='},"
                + "'00540016':{'vr':'SQ','Value':[{},"
                + "{'00181072':{'vr':'OB','BulkDataURI':'http://gw/bulk/00540016/1/00181072'}}]},"
                + "'7FE00010':{'vr':'OW','BulkDataURI':'http://gw/bulk/7FE00010'}}"), write(list, locator));
        assertEquals(List.of("00420011", "00540016/1/00181072", "7FE00010"), asked);
    }

    @Test
    void encapsulatedPixelDataIsLeftOutUnlessLocated() throws Exception {
        byte[] fragments = new DataSetBytes()
                .item(new byte[0]) // empty basic offset table
                .item(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9})
                .sequenceDelimiter()
                .toByteArray();
        AttributeList list = new DataSetBytes()
                .text(0x00100020, "LO", "P1")
                .undefinedLength(PIXEL_DATA, "OB", fragments)
                .read(TransferSyntax.JPEGBaseline, false);

        assertJson("{'00100020':{'vr':'LO','Value':['P1']},'7FE00010':{'vr':'OB'}}", list);
        assertEquals(json("{'00100020':{'vr':'LO','Value':['P1']},'7FE00010':{'vr':'OB','BulkDataURI':'frames'}}"),
                write(list, (tagPath, attribute) -> Optional.of("frames")));
    }

    @Test
    void eachCallWritesOneCompleteObjectIntoWhateverTheCallerOpened() throws Exception {
        AttributeList first = new AttributeList();
        put(first, new LongStringAttribute(PATIENT_ID), "P1");
        AttributeList second = new AttributeList();
        put(second, new LongStringAttribute(PATIENT_ID), "P2");
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = Json.createGenerator(out)) {
            generator.writeStartArray();
            DicomJson.writeObject(generator, first);
            DicomJson.writeObject(generator, second);
            generator.writeEnd();
        }
        assertEquals(json("[{'00100020':{'vr':'LO','Value':['P1']}},{'00100020':{'vr':'LO','Value':['P2']}}]"),
                out.toString());
    }

    @Test
    void latin1NamesAreDecodedWithIsoIr100IncludingInsideItems() throws Exception {
        DataSetBytes item = new DataSetBytes().text(0x00100010, "PN", "Jäger^Ölaf", ISO_8859_1);
        byte[] dataSet = new DataSetBytes()
                .text(0x00080005, "CS", "ISO_IR 100")
                .text(0x00100010, "PN", "Müller^Jürgen", ISO_8859_1)
                .sequence(0x00101002, item)
                .toByteArray();
        AttributeList list = DataSetBytes.read(dataSet, TransferSyntax.ExplicitVRLittleEndian, true);
        String expected = json("{'00080005':{'vr':'CS','Value':['ISO_IR 100']},"
                + "'00100010':{'vr':'PN','Value':[{'Alphabetic':'Müller^Jürgen'}]},"
                + "'00101002':{'vr':'SQ','Value':[{'00100010':{'vr':'PN','Value':[{'Alphabetic':'Jäger^Ölaf'}]}}]}}");
        assertJson(expected, list);
        // The generator encodes as UTF-8 whatever the data set used.
        ByteArrayOutputStream utf8 = new ByteArrayOutputStream();
        try (JsonGenerator generator = Json.createGenerator(utf8)) {
            DicomJson.writeObject(generator, list);
        }
        assertEquals(expected, utf8.toString(UTF_8));
    }

    @Test
    void utf8NamesAreDecodedWithIsoIr192() throws Exception {
        AttributeList list = new DataSetBytes()
                .text(0x00080005, "CS", "ISO_IR 192")
                .text(0x00100010, "PN", "Dvořák^Antonín", UTF_8)
                .read();
        assertJson("{'00080005':{'vr':'CS','Value':['ISO_IR 192']},"
                + "'00100010':{'vr':'PN','Value':[{'Alphabetic':'Dvořák^Antonín'}]}}", list);
    }

    @Test
    void theDeclaredCharacterSetIsWhatDecodesTheBytes() throws Exception {
        // Control for the two tests above: the same Latin-1 bytes declared as UTF-8 do not give the name back.
        AttributeList list = new DataSetBytes()
                .text(0x00080005, "CS", "ISO_IR 192")
                .text(0x00100010, "PN", "Müller", ISO_8859_1)
                .read();
        assertJson("{'00080005':{'vr':'CS','Value':['ISO_IR 192']},"
                + "'00100010':{'vr':'PN','Value':[{'Alphabetic':'M\uFFFDller'}]}}", list);
    }

    private static void put(AttributeList list, Attribute attribute, String... values) throws Exception {
        for (String value : values) {
            attribute.addValue(value);
        }
        list.put(attribute);
    }

    private static void assertJson(String expectedWithSingleQuotes, AttributeList list) {
        assertEquals(json(expectedWithSingleQuotes), write(list, null));
    }

    /** The expected JSON is written with ' for " to keep it readable; no value in these tests contains a '. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** A null locator calls the one-argument overload. */
    private static String write(AttributeList list, DicomJson.BulkDataLocator locator) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = Json.createGenerator(out)) {
            if (locator == null) {
                DicomJson.writeObject(generator, list);
            } else {
                DicomJson.writeObject(generator, list, locator);
            }
        }
        return out.toString();
    }
}
