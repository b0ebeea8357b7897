package org.dicomweb.gateway.backend.dimse.retrieve;

import java.util.Arrays;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.backend.dimse.association.DimseCommands;

/**
 * A C-GET or C-MOVE response: status and sub-operation counts (PS3.4 C.4.2.1.4, C.4.3.1.4); {@code remaining} is null
 * where the PACS gave none (final responses), {@code failedInstances} the Failed SOP Instance UID List (0008,0058) of
 * a final response, empty where it gave none.
 */
public record RetrieveOutcome(int status, Integer remaining, int completed, int failed, int warnings,
        String errorComment, List<String> failedInstances) {

    private static final int STATUS_PENDING = 0xFF00;
    /** Failed SOP Instance UID List (0008,0058): PixelMed's TagFromName has no name for it. */
    private static final AttributeTag FAILED_SOP_INSTANCE_UID_LIST = new AttributeTag(0x0008, 0x0058);

    public RetrieveOutcome {
        failedInstances = List.copyOf(failedInstances);
    }

    public boolean isPending() {
        return status == STATUS_PENDING;
    }

    public boolean isSuccess() {
        return status == 0;
    }

    public boolean isWarning() {
        return (status & 0xF000) == 0xB000;
    }

    public boolean isCancel() {
        return status == 0xFE00;
    }

    /** Whether the PACS ran no sub-operation at all. */
    public boolean nothingDone() {
        return completed + failed + warnings == 0;
    }

    public String describe() {
        return "status 0x" + Integer.toHexString(status) + ", " + completed + " sub-operations completed, " + failed
                + " failed, " + warnings + " with warnings" + (errorComment.isEmpty() ? "" : " (" + errorComment + ")");
    }

    /** A response without a data set, or one whose data set is not read. */
    static RetrieveOutcome of(AttributeList command) {
        return of(command, null);
    }

    /**
     * {@code dataSet}: the response's data set, or null. The Failed SOP Instance UID List belongs there (PS3.4
     * C.4.2.1.3.1); Orthanc (DCMTK) puts it into the command instead, so it is taken from either.
     */
    static RetrieveOutcome of(AttributeList command, AttributeList dataSet) {
        AttributeList failedList = dataSet != null && dataSet.get(FAILED_SOP_INSTANCE_UID_LIST) != null
                ? dataSet : command;
        return new RetrieveOutcome(DimseCommands.status(command),
                command.get(TagFromName.NumberOfRemainingSuboperations) == null
                        ? null : count(command, TagFromName.NumberOfRemainingSuboperations),
                count(command, TagFromName.NumberOfCompletedSuboperations),
                count(command, TagFromName.NumberOfFailedSuboperations),
                count(command, TagFromName.NumberOfWarningSuboperations),
                Attribute.getSingleStringValueOrEmptyString(command, TagFromName.ErrorComment).strip(),
                Arrays.stream(Attribute.getDelimitedStringValuesOrEmptyString(failedList,
                        FAILED_SOP_INSTANCE_UID_LIST).split("\\\\"))
                        .map(String::strip).filter(uid -> !uid.isEmpty()).toList());
    }

    private static int count(AttributeList command, AttributeTag tag) {
        return Attribute.getSingleIntegerValueOrDefault(command, tag, 0);
    }
}
