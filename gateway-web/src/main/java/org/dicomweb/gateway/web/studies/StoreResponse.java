package org.dicomweb.gateway.web.studies;

import java.util.ArrayList;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import org.dicomweb.gateway.stow.StowResult;

/**
 * The STOW-RS store response (PS3.18 Table 10.5.3-1) as a small data set, written as DICOM JSON (PS3.18 Annex F) or
 * as the Native DICOM Model in XML (PS3.19 Annex A), whichever the client accepts.
 */
final class StoreResponse {

    /** One attribute: a string or number value, or the items of a sequence. */
    private record Element(String tag, String vr, String keyword, Object value, List<List<Element>> items) {

        boolean isEmpty() {
            return items == null && "".equals(value);
        }
    }

    private final List<Element> dataSet = new ArrayList<>();

    StoreResponse(StowResult result, String aeBaseUrl) {
        if (result.studyUid() != null) {
            dataSet.add(text("00081190", "UR", "RetrieveURL", aeBaseUrl + "/studies/" + result.studyUid()));
        }
        if (!result.failed().isEmpty()) {
            List<List<Element>> items = new ArrayList<>();
            for (StowResult.Failed f : result.failed()) {
                items.add(List.of(text("00081150", "UI", "ReferencedSOPClassUID", f.sopClassUid()),
                        text("00081155", "UI", "ReferencedSOPInstanceUID", f.sopInstanceUid()),
                        new Element("00081197", "US", "FailureReason", f.failureReason(), null)));
            }
            dataSet.add(new Element("00081198", "SQ", "FailedSOPSequence", null, items));
        }
        if (!result.stored().isEmpty()) {
            List<List<Element>> items = new ArrayList<>();
            for (StowResult.Stored s : result.stored()) {
                List<Element> item = new ArrayList<>(List.of(
                        text("00081150", "UI", "ReferencedSOPClassUID", s.sopClassUid()),
                        text("00081155", "UI", "ReferencedSOPInstanceUID", s.sopInstanceUid()),
                        text("00081190", "UR", "RetrieveURL", aeBaseUrl + "/studies/" + s.studyUid() + "/series/"
                                + s.seriesUid() + "/instances/" + s.sopInstanceUid())));
                if (s.warningReason() != null) {
                    item.add(new Element("00081196", "US", "WarningReason", s.warningReason(), null));
                }
                items.add(item);
            }
            dataSet.add(new Element("00081199", "SQ", "ReferencedSOPSequence", null, items));
        }
    }

    private static Element text(String tag, String vr, String keyword, String value) {
        return new Element(tag, vr, keyword, value, null);
    }

    JsonObject json() {
        return json(dataSet);
    }

    private static JsonObject json(List<Element> elements) {
        JsonObjectBuilder object = Json.createObjectBuilder();
        for (Element e : elements) {
            JsonObjectBuilder attribute = Json.createObjectBuilder().add("vr", e.vr());
            if (!e.isEmpty()) { // an empty value has no "Value" (PS3.18 F.2.5): a part that had no UIDs
                JsonArrayBuilder values = Json.createArrayBuilder();
                if (e.items() != null) {
                    e.items().forEach(item -> values.add(json(item)));
                } else if (e.value() instanceof Integer number) {
                    values.add(number);
                } else {
                    values.add((String) e.value());
                }
                attribute.add("Value", values);
            }
            object.add(e.tag(), attribute);
        }
        return object.build();
    }

    String xml() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<NativeDicomModel xmlns=\"http://dicom.nema.org/PS3.19/models/NativeDICOM\">\n");
        xml(dataSet, xml, "  ");
        return xml.append("</NativeDicomModel>\n").toString();
    }

    private static void xml(List<Element> elements, StringBuilder xml, String indent) {
        for (Element e : elements) {
            xml.append(indent).append("<DicomAttribute tag=\"").append(e.tag()).append("\" vr=\"").append(e.vr())
                    .append("\" keyword=\"").append(e.keyword()).append("\">");
            if (e.items() != null) {
                xml.append('\n');
                for (int i = 0; i < e.items().size(); i++) {
                    xml.append(indent).append("  <Item number=\"").append(i + 1).append("\">\n");
                    xml(e.items().get(i), xml, indent + "    ");
                    xml.append(indent).append("  </Item>\n");
                }
                xml.append(indent);
            } else if (!e.isEmpty()) {
                xml.append("<Value number=\"1\">").append(escape(String.valueOf(e.value()))).append("</Value>");
            }
            xml.append("</DicomAttribute>\n");
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
