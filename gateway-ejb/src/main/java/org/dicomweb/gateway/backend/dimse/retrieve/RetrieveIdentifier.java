package org.dicomweb.gateway.backend.dimse.retrieve;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.wado.WadoRequest;

/** The Study Root C-GET / C-MOVE identifier (PS3.4 C.4.2.1.2) of a study, series or instance: exactly that level. */
public final class RetrieveIdentifier {

    private RetrieveIdentifier() {
    }

    /** The request's UIDs are UIDs: the HTTP layer (or the task request's parser) checked them. */
    public static AttributeList of(WadoRequest request) {
        AttributeList identifier = new AttributeList();
        String level = request.instanceUid() != null ? "IMAGE" : request.seriesUid() != null ? "SERIES" : "STUDY";
        put(identifier, TagFromName.QueryRetrieveLevel, level);
        put(identifier, TagFromName.StudyInstanceUID, request.studyUid());
        if (request.seriesUid() != null) {
            put(identifier, TagFromName.SeriesInstanceUID, request.seriesUid());
        }
        if (request.instanceUid() != null) {
            put(identifier, TagFromName.SOPInstanceUID, request.instanceUid());
        }
        return identifier;
    }

    private static void put(AttributeList list, AttributeTag tag, String value) {
        try {
            Attribute attribute = AttributeFactory.newAttribute(tag);
            attribute.addValue(value);
            list.put(attribute);
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }
}
