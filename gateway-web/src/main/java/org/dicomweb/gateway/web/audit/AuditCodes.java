package org.dicomweb.gateway.web.audit;

import jakarta.json.JsonObject;

import org.dicomweb.gateway.access.Service;

/** The coded values of the audit record (PS3.15 A.5.3, PS3.16 CID 400-404), chosen by service, method and status. */
final class AuditCodes {

    /** A coded value as the DICOM audit schema writes it (CodedValueType). */
    record Code(String code, String system, String text) {
        JsonObject json() {
            return AuditMessage.JSON.createObjectBuilder().add("csd-code", code).add("codeSystemName", system)
                    .add("originalText", text).build();
        }
    }

    /** What a service's request is, in DICOM's words: its EventID, its EventActionCode (null: by the method). */
    record Event(Code eventId, String action, boolean clientIsSource) {
    }

    static final Code QUERY = dcm("110112", "Query");
    static final Code INSTANCES_TRANSFERRED = dcm("110104", "DICOM Instances Transferred");
    static final Code INSTANCES_ACCESSED = dcm("110103", "DICOM Instances Accessed");
    static final Code APPLICATION_ACTIVITY = dcm("110100", "Application Activity");
    static final Code SOURCE = dcm("110153", "Source Role ID");
    static final Code DESTINATION = dcm("110152", "Destination Role ID");
    static final Code STUDY_INSTANCE_UID = dcm("110180", "Study Instance UID");
    static final Code SOP_CLASS_UID = dcm("110181", "SOP Class UID");
    /** NetworkAccessPointTypeCode 2: an IP address. */
    static final String IP_ADDRESS = "2";

    private AuditCodes() {
    }

    private static Code dcm(String code, String text) {
        return new Code(code, "DCM", text);
    }

    /**
     * A search is a Query (E, the client its source); a retrieval sends instances to the client (Transferred, R) and a
     * STOW-RS receives them from it (Transferred, C); tasks, the change feed, the status page and reindexing touch
     * instances without moving them to the client (Accessed, by the method); the rest is the gateway's own activity, a
     * CORS preflight of any service too (E).
     */
    static Event event(Service service, boolean preflight) {
        if (preflight) {
            return new Event(APPLICATION_ACTIVITY, "E", true); // the browser asked what it may do; nothing was read
        }
        return switch (service) {
            case QIDO -> new Event(QUERY, "E", true);
            case WADO -> new Event(INSTANCES_TRANSFERRED, "R", false);
            case STOW -> new Event(INSTANCES_TRANSFERRED, "C", true);
            case TASKS, STATUS_PAGE, CHANGEFEED, REINDEX -> new Event(INSTANCES_ACCESSED, null, true);
            case AE_LIST, AE_ECHO, ADMIN, UNKNOWN -> new Event(APPLICATION_ACTIVITY, null, true);
        };
    }

    /** EventActionCode by the HTTP method: C(reate), R(ead), U(pdate), D(elete), else E(xecute). */
    static String action(String method) {
        return switch (method) {
            case "GET", "HEAD" -> "R";
            case "POST" -> "C";
            case "PUT", "PATCH" -> "U";
            case "DELETE" -> "D";
            default -> "E";
        };
    }

    /**
     * EventOutcomeIndicator: 0 success; 4 minor failure, the client's to correct (4xx, and a 202 STOW-RS that stored
     * only some instances); 8 serious failure, the gateway or a PACS failed (5xx); 12 major failure, a response cut
     * off after it started (the client has less than it was promised).
     */
    static int outcome(Service service, int status, boolean cutOff) {
        if (cutOff) {
            return 12;
        }
        if (status >= 500) {
            return 8;
        }
        return status >= 400 || (service == Service.STOW && status == 202) ? 4 : 0;
    }
}
