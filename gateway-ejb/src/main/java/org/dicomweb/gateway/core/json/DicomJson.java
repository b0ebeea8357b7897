package org.dicomweb.gateway.core.json;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.UnsignedVeryLongAttribute;

/**
 * Writes a PixelMed {@link AttributeList} as one object of the DICOM JSON model (PS3.18 Annex F.2,
 * {@code application/dicom+json}).
 * <p>
 * Character sets: PixelMed decodes string values with the data set's Specific Character Set (0008,0005) while it reads
 * the data set (items inherit it), so the values taken here are already Java strings; the generator writes them as
 * UTF-8 whatever the data set used. (0008,0005) itself is written as received: it describes the DICOM encoding, not
 * this JSON.
 */
public final class DicomJson {

    /**
     * Where a bulk data value can be fetched instead of being inlined (PS3.18 F.2.6). The tag path names the
     * attribute from the top of the data set: tags in hex, and within a sequence the item index from 0, separated by
     * '/' (e.g. {@code 7FE00010}, {@code 00540016/0/00181072}).
     */
    @FunctionalInterface
    interface BulkDataLocator {
        Optional<String> uriFor(String tagPath, Attribute attribute);
    }

    private static final BulkDataLocator INLINE_ALL = (tagPath, attribute) -> Optional.empty();

    /**
     * Made once: {@code Json.createGenerator} looks up its provider with a ServiceLoader on every call (~8 % of a QIDO
     * search's CPU).
     */
    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private DicomJson() {
    }

    /** A generator writing UTF-8 JSON to {@code out}. */
    public static JsonGenerator generator(OutputStream out) {
        return GENERATORS.createGenerator(out);
    }

    /** Writes {@code list} with every binary value inline (InlineBinary). */
    public static void writeObject(JsonGenerator json, AttributeList list) {
        writeObject(json, list, INLINE_ALL);
    }

    /** Writes {@code list}; a binary value for which {@code locator} has a URI is written as BulkDataURI. */
    public static void writeObject(JsonGenerator json, AttributeList list, BulkDataLocator locator) {
        try {
            writeItem(json, list, locator, "");
        } catch (DicomException e) {
            // PixelMed's getters declare it; it means an attribute cannot give its values as its VR calls for, or
            // has a VR without a DICOM JSON rule.
            throw new IllegalArgumentException("Cannot write the data set as DICOM JSON: " + e.getMessage(), e);
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static void writeItem(JsonGenerator json, AttributeList list, BulkDataLocator locator, String path)
            throws DicomException {
        json.writeStartObject();
        // AttributeList is a TreeMap keyed by tag, so this is ascending tag order. Group lengths describe an encoding
        // and the command group a DIMSE message; neither belongs in the JSON.
        for (Attribute attribute : list.values()) {
            AttributeTag tag = attribute.getTag();
            if (tag.getGroup() != 0x0000 && !tag.isGroupLength()) {
                writeAttribute(json, attribute, locator, path + key(tag));
            }
        }
        json.writeEnd();
    }

    private static void writeAttribute(JsonGenerator json, Attribute attribute, BulkDataLocator locator, String path)
            throws DicomException {
        AttributeTag tag = attribute.getTag();
        // PixelMed 20220618's UnsignedVeryLongAttribute reports (and writes) VR "UL".
        String vr = attribute instanceof UnsignedVeryLongAttribute ? "UV" : attribute.getVRAsString();
        json.writeStartObject(key(tag));
        json.write("vr", vr);
        switch (vr) {
            // getStringValues() without a NumberFormat: the decoded text with padding removed. With a NumberFormat
            // PixelMed would reformat DS through double.
            case "AE", "AS", "CS", "DA", "DT", "LO", "SH", "TM", "UC", "UI", "UR" ->
                    writeValues(json, attribute.getStringValues(), JsonGenerator::write);
            // PixelMed keeps LT/ST/UT unsplit but with their trailing padding; leading spaces are significant there.
            case "LT", "ST", "UT" ->
                    writeValues(json, stripTrailingSpaces(attribute.getStringValues()), JsonGenerator::write);
            case "PN" -> writeValues(json, attribute.getStringValues(), DicomJson::writePersonName);
            case "DS" -> writeValues(json, attribute.getStringValues(), DicomJson::writeDecimal);
            case "IS" -> writeValues(json, attribute.getStringValues(), DicomJson::writeInteger);
            // PixelMed already widens US and UL as unsigned (65535, 4294967295).
            case "US", "SS", "UL", "SL", "SV" -> writeLongs(json, attribute.getLongValues(), json::write);
            // PixelMed gives UV as a signed long (2^64 - 1 comes as -1); read the bits back as unsigned.
            case "UV" -> writeLongs(json, attribute.getLongValues(),
                    v -> json.write(new BigInteger(Long.toUnsignedString(v))));
            // Widened through the float's shortest decimal text, so 0.1f is written as 0.1, not 0.10000000149011612.
            case "FL" -> writeFloatingPoint(json, toDoubles(attribute.getFloatValues()));
            case "FD" -> writeFloatingPoint(json, attribute.getDoubleValues());
            case "AT" -> {
                AttributeTag[] values = ((AttributeTagAttribute) attribute).getAttributeTagValues();
                if (values != null && values.length > 0) {
                    json.writeStartArray("Value");
                    for (AttributeTag value : values) {
                        json.write(key(value));
                    }
                    json.writeEnd();
                }
            }
            case "SQ" -> {
                SequenceAttribute sequence = (SequenceAttribute) attribute;
                if (sequence.getNumberOfItems() > 0) {
                    json.writeStartArray("Value");
                    for (int i = 0; i < sequence.getNumberOfItems(); i++) {
                        writeItem(json, sequence.getItem(i).getAttributeList(), locator, path + "/" + i + "/");
                    }
                    json.writeEnd();
                }
            }
            case "OB", "OD", "OF", "OL", "OV", "OW", "UN" -> writeBinary(json, attribute, locator, path);
            default -> throw new DicomException("Unsupported VR " + vr + " in " + tag);
        }
        json.writeEnd();
    }

    /** The tag as 8 upper-case hex digits; by hand, since String.format here took a tenth of a QIDO search's CPU. */
    private static String key(AttributeTag tag) {
        int value = tag.getGroup() << 16 | tag.getElement();
        char[] digits = new char[8];
        for (int i = 7; i >= 0; i--, value >>>= 4) {
            digits[i] = HEX[value & 0xF];
        }
        return new String(digits);
    }

    /**
     * "Value" with one entry per value, an empty value as null; no "Value" at all when there is nothing but empty
     * values, which is how a requested return key without a match value must look.
     */
    private static void writeValues(JsonGenerator json, String[] values, BiConsumer<JsonGenerator, String> writer) {
        if (values == null || Arrays.stream(values).allMatch(String::isEmpty)) {
            return;
        }
        json.writeStartArray("Value");
        for (String value : values) {
            if (value.isEmpty()) {
                json.writeNull();
            } else {
                writer.accept(json, value);
            }
        }
        json.writeEnd();
    }

    private static String[] stripTrailingSpaces(String[] values) {
        return values == null ? null : Arrays.stream(values).map(v -> v.replaceFirst(" +$", "")).toArray(String[]::new);
    }

    /** PS3.18 F.2.2: the '='-separated component groups; empty groups are left out. */
    private static void writePersonName(JsonGenerator json, String value) {
        String[] groups = value.split("=");
        String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
        json.writeStartObject();
        for (int i = 0; i < Math.min(groups.length, names.length); i++) {
            if (!groups[i].isEmpty()) {
                json.write(names[i], groups[i]);
            }
        }
        json.writeEnd();
    }

    /** From the text, so "0.1" stays 0.1; a malformed value is passed on as a string rather than lost. */
    private static void writeDecimal(JsonGenerator json, String value) {
        try {
            json.write(new BigDecimal(value));
        } catch (NumberFormatException e) {
            json.write(value);
        }
    }

    private static void writeInteger(JsonGenerator json, String value) {
        try {
            json.write(Long.parseLong(value));
        } catch (NumberFormatException e) {
            json.write(value);
        }
    }

    private static void writeLongs(JsonGenerator json, long[] values, LongConsumer writer) {
        if (values != null && values.length > 0) {
            json.writeStartArray("Value");
            Arrays.stream(values).forEach(writer);
            json.writeEnd();
        }
    }

    private static double[] toDoubles(float[] values) {
        if (values == null) {
            return null;
        }
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = Double.parseDouble(Float.toString(values[i]));
        }
        return doubles;
    }

    /** NaN and the infinities are not JSON numbers; they are written as the strings "NaN", "Infinity", "-Infinity". */
    private static void writeFloatingPoint(JsonGenerator json, double[] values) {
        if (values != null && values.length > 0) {
            json.writeStartArray("Value");
            for (double value : values) {
                if (Double.isFinite(value)) {
                    json.write(value);
                } else {
                    json.write(Double.toString(value));
                }
            }
            json.writeEnd();
        }
    }

    private static void writeBinary(JsonGenerator json, Attribute attribute, BulkDataLocator locator, String path) {
        Optional<String> uri = locator.uriFor(path, attribute);
        if (uri.isPresent()) {
            json.write("BulkDataURI", uri.get());
            return;
        }
        byte[] bytes;
        try {
            bytes = attribute.getByteValues(false); // false: little endian, as InlineBinary requires
        } catch (DicomException e) {
            // Encapsulated (compressed) or per-frame pixel data is held in classes that cannot give one byte array;
            // without a BulkDataURI that value is left out rather than failing the whole object.
            return;
        }
        if (bytes != null && bytes.length > 0) {
            json.write("InlineBinary", Base64.getEncoder().encodeToString(bytes));
        }
    }
}
