package org.dicomweb.gateway.backend.deidentify;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;

/**
 * One DICOM JSON object (PS3.18 §F.2) as a data set, for the profile to work on: strings, numbers, person names,
 * sequences. Binary values (InlineBinary, BulkDataURI: the latter names the source's own resource) are kept without
 * their value, the attribute present for the profile to decide on as on any other. QIDO-RS results are small; this is not for
 * metadata, which the de-identifying AE makes from de-identified instances.
 */
final class DicomJsonReader {

    private DicomJsonReader() {
    }

    static AttributeList read(JsonObject object) throws DicomException {
        AttributeList list = new AttributeList();
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            String key = entry.getKey();
            AttributeTag tag = new AttributeTag(Integer.parseInt(key.substring(0, 4), 16),
                    Integer.parseInt(key.substring(4, 8), 16));
            JsonObject element = entry.getValue().asJsonObject();
            String vr = element.getString("vr");
            list.put(attribute(tag, vr, element));
        }
        return list;
    }

    private static Attribute attribute(AttributeTag tag, String vr, JsonObject element) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag, vr.getBytes(StandardCharsets.US_ASCII));
        if (!(element.get("Value") instanceof JsonArray values)) {
            return attribute;
        }
        for (JsonValue value : values) {
            if (attribute instanceof SequenceAttribute sequence) {
                sequence.addItem(read(value.asJsonObject()));
            } else if (value instanceof JsonString string) {
                attribute.addValue(string.getString());
            } else if (value instanceof JsonNumber number) {
                attribute.addValue(number.isIntegral() ? number.bigIntegerValue().toString()
                        : Double.toString(number.doubleValue()));
            } else if (value instanceof JsonObject name) {
                attribute.addValue(personName(name));
            } else {
                attribute.addValue(""); // null: an empty value in a multi-valued attribute
            }
        }
        return attribute;
    }

    /** The three component groups, joined by '=' as in the DICOM encoding (trailing empty groups left out). */
    private static String personName(JsonObject name) {
        String value = name.getString("Alphabetic", "") + "=" + name.getString("Ideographic", "") + "="
                + name.getString("Phonetic", "");
        return value.replaceAll("=+$", "");
    }
}
