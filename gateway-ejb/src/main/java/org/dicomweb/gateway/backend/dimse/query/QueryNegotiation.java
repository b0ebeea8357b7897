package org.dicomweb.gateway.backend.dimse.query;

import java.util.Map;

import com.pixelmed.dicom.SOPClass;

/**
 * SOP Class Extended Negotiation for the Query/Retrieve FIND SOP classes (PS3.4 C.5.1.1.1, tables C.5-1 and C.5-2):
 * the gateway proposes relational queries, combined date-time matching and, on associations for searches that ask for
 * it, fuzzy semantic matching of person names; the PACS's reply says which it supports. No reply means none (PS3.7
 * D.3.3.5).
 */
public record QueryNegotiation(boolean relationalQueries, boolean dateTimeMatching, boolean fuzzyMatching) {

    public static final QueryNegotiation NONE = new QueryNegotiation(false, false, false);
    /** Extended negotiation sub-items for the Study Root and Patient Root FIND contexts. */
    public static Map<String, byte[]> proposal(boolean fuzzyMatching) {
        byte[] proposed = {1, 1, (byte) (fuzzyMatching ? 1 : 0)};
        return Map.of(SOPClass.StudyRootQueryRetrieveInformationModelFind, proposed,
                SOPClass.PatientRootQueryRetrieveInformationModelFind, proposed);
    }

    /** Byte i of the reply is 1 if the option is supported; a shorter reply leaves the rest unsupported. */
    public static QueryNegotiation fromReply(byte[] reply) {
        if (reply == null) {
            return NONE;
        }
        return new QueryNegotiation(isSet(reply, 0), isSet(reply, 1), isSet(reply, 2));
    }

    private static boolean isSet(byte[] reply, int index) {
        return reply.length > index && reply[index] == 1;
    }
}
