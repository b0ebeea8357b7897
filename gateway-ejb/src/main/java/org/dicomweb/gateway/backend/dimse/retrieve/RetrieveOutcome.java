package org.dicomweb.gateway.backend.dimse.retrieve;

import org.dicomweb.gateway.backend.dimse.association.DimseCommands;

/** The final C-GET or C-MOVE response: status and sub-operation counts (PS3.4 C.4.2.1.4, C.4.3.1.4). */
record RetrieveOutcome(int status, int completed, int failed, int warnings, String errorComment) {

    boolean isSuccess() {
        return status == 0;
    }

    boolean isWarning() {
        return (status & 0xF000) == 0xB000;
    }

    boolean isCancel() {
        return status == 0xFE00;
    }

    String describe() {
        return "status 0x" + Integer.toHexString(status) + ", " + completed + " sub-operations completed, " + failed
                + " failed, " + warnings + " with warnings" + (errorComment.isEmpty() ? "" : " (" + errorComment + ")");
    }

    static RetrieveOutcome of(com.pixelmed.dicom.AttributeList command) {
        return new RetrieveOutcome(DimseCommands.status(command),
                count(command, com.pixelmed.dicom.TagFromName.NumberOfCompletedSuboperations),
                count(command, com.pixelmed.dicom.TagFromName.NumberOfFailedSuboperations),
                count(command, com.pixelmed.dicom.TagFromName.NumberOfWarningSuboperations),
                com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(command,
                        com.pixelmed.dicom.TagFromName.ErrorComment).strip());
    }

    private static int count(com.pixelmed.dicom.AttributeList command, com.pixelmed.dicom.AttributeTag tag) {
        return com.pixelmed.dicom.Attribute.getSingleIntegerValueOrDefault(command, tag, 0);
    }
}
