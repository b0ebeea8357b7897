package org.dicomweb.gateway.core.deid;

import java.util.Locale;
import java.util.Map;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;

/**
 * Which instances carry or may carry identifying text in their pixel data (PS3.15 §E.3.1: the basic profile does not
 * clean pixels): BurnedInAnnotation YES; or BurnedInAnnotation absent on a SOP class whose images usually carry it
 * (secondary capture, ultrasound, photographs); and encapsulated PDF and CDA documents, whose content the profile
 * does not reach at all. BurnedInAnnotation NO is the source's statement that the pixels are clean and is trusted.
 */
final class BurnedInAnnotation {

    private static final Map<String, String> USUALLY_ANNOTATED = Map.ofEntries(
            Map.entry("1.2.840.10008.5.1.4.1.1.7", "Secondary Capture Image"),
            Map.entry("1.2.840.10008.5.1.4.1.1.7.1", "Multi-frame Single Bit Secondary Capture Image"),
            Map.entry("1.2.840.10008.5.1.4.1.1.7.2", "Multi-frame Grayscale Byte Secondary Capture Image"),
            Map.entry("1.2.840.10008.5.1.4.1.1.7.3", "Multi-frame Grayscale Word Secondary Capture Image"),
            Map.entry("1.2.840.10008.5.1.4.1.1.7.4", "Multi-frame True Color Secondary Capture Image"),
            Map.entry("1.2.840.10008.5.1.4.1.1.6", "Ultrasound Image (Retired)"),
            Map.entry("1.2.840.10008.5.1.4.1.1.6.1", "Ultrasound Image"),
            Map.entry("1.2.840.10008.5.1.4.1.1.3", "Ultrasound Multi-frame Image (Retired)"),
            Map.entry("1.2.840.10008.5.1.4.1.1.3.1", "Ultrasound Multi-frame Image"),
            Map.entry("1.2.840.10008.5.1.4.1.1.77.1.4", "VL Photographic Image"),
            Map.entry("1.2.840.10008.5.1.4.1.1.77.1.4.1", "Video Photographic Image"));

    private static final Map<String, String> DOCUMENTS = Map.of(
            "1.2.840.10008.5.1.4.1.1.104.1", "Encapsulated PDF",
            "1.2.840.10008.5.1.4.1.1.104.2", "Encapsulated CDA");

    private BurnedInAnnotation() {
    }

    /** Throws with a one-line reason if the instance is refused. */
    static void check(AttributeList dataSet) throws BurnedInAnnotationRefused {
        String sopClass = value(dataSet, TagFromName.SOPClassUID);
        String document = DOCUMENTS.get(sopClass);
        if (document != null) {
            throw new BurnedInAnnotationRefused("may carry identifying text: " + document
                    + " (the profile does not de-identify a document's content)");
        }
        String burnedIn = value(dataSet, TagFromName.BurnedInAnnotation).toUpperCase(Locale.ROOT);
        if (burnedIn.equals("YES")) {
            throw new BurnedInAnnotationRefused("may carry burned-in annotation: BurnedInAnnotation YES");
        }
        String usually = USUALLY_ANNOTATED.get(sopClass);
        if (burnedIn.isEmpty() && usually != null) {
            throw new BurnedInAnnotationRefused("may carry burned-in annotation: SOP class " + usually
                    + " without BurnedInAnnotation");
        }
    }

    private static String value(AttributeList dataSet, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(dataSet, tag).trim();
    }
}
