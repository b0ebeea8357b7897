package org.dicomweb.gateway.core.json;

import java.util.List;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.qido.QidoResource.QueryLevel;

/**
 * The attributes QIDO-RS returns by default at each level (PS3.18 Tables 10.6.3-3, -4 and -5), plus the UIDs of the
 * levels above, which the standard leaves out at series and instance level but clients need to act on a match.
 * RetrieveURL is filled in by the gateway, so it is never asked of the PACS.
 */
public final class ReturnKeys {

    /** Not in PixelMed 20220618's TagFromName. */
    public static final AttributeTag INSTANCE_AVAILABILITY = new AttributeTag(0x0008, 0x0056);
    public static final AttributeTag RETRIEVE_URL = new AttributeTag(0x0008, 0x1190);

    static final List<AttributeTag> STUDY = List.of(
            TagFromName.StudyDate, TagFromName.StudyTime, TagFromName.AccessionNumber,
            INSTANCE_AVAILABILITY, TagFromName.ModalitiesInStudy, TagFromName.ReferringPhysicianName,
            TagFromName.TimezoneOffsetFromUTC, TagFromName.PatientName, TagFromName.PatientID,
            TagFromName.PatientBirthDate, TagFromName.PatientSex, TagFromName.StudyInstanceUID, TagFromName.StudyID,
            TagFromName.NumberOfStudyRelatedSeries, TagFromName.NumberOfStudyRelatedInstances);

    static final List<AttributeTag> SERIES = List.of(
            TagFromName.StudyInstanceUID, TagFromName.Modality, TagFromName.TimezoneOffsetFromUTC,
            TagFromName.SeriesDescription, TagFromName.SeriesInstanceUID, TagFromName.SeriesNumber,
            TagFromName.NumberOfSeriesRelatedInstances, TagFromName.PerformedProcedureStepStartDate,
            TagFromName.PerformedProcedureStepStartTime);

    static final List<AttributeTag> IMAGE = List.of(
            TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID, TagFromName.SOPClassUID,
            TagFromName.SOPInstanceUID, INSTANCE_AVAILABILITY, TagFromName.TimezoneOffsetFromUTC,
            TagFromName.InstanceNumber, TagFromName.Rows, TagFromName.Columns, TagFromName.BitsAllocated,
            TagFromName.NumberOfFrames);

    /** What includefield=all adds at each level, beyond the defaults: the commonly indexed attributes. */
    static final List<AttributeTag> STUDY_ALL = List.of(
            TagFromName.StudyDescription, TagFromName.PatientAge, TagFromName.PatientSize, TagFromName.PatientWeight,
            TagFromName.InstitutionName, TagFromName.OtherPatientIDs, TagFromName.IssuerOfPatientID);

    static final List<AttributeTag> SERIES_ALL = List.of(
            TagFromName.BodyPartExamined, TagFromName.ProtocolName, TagFromName.SeriesDate, TagFromName.SeriesTime,
            TagFromName.Laterality, TagFromName.Manufacturer, TagFromName.StationName);

    static final List<AttributeTag> IMAGE_ALL = List.of(
            TagFromName.ContentDate, TagFromName.ContentTime, TagFromName.ImageType, TagFromName.AcquisitionNumber,
            TagFromName.PhotometricInterpretation, TagFromName.SamplesPerPixel);

    private ReturnKeys() {
    }

    public static List<AttributeTag> defaults(QueryLevel level) {
        return switch (level) {
            case STUDY -> STUDY;
            case SERIES -> SERIES;
            case IMAGE -> IMAGE;
        };
    }

    public static List<AttributeTag> all(QueryLevel level) {
        return switch (level) {
            case STUDY -> STUDY_ALL;
            case SERIES -> SERIES_ALL;
            case IMAGE -> IMAGE_ALL;
        };
    }

    /** The unique key of a level. */
    public static AttributeTag uniqueKey(QueryLevel level) {
        return switch (level) {
            case STUDY -> TagFromName.StudyInstanceUID;
            case SERIES -> TagFromName.SeriesInstanceUID;
            case IMAGE -> TagFromName.SOPInstanceUID;
        };
    }
}
