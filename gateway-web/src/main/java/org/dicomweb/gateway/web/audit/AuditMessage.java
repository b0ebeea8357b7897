package org.dicomweb.gateway.web.audit;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import org.dicomweb.gateway.access.RequestTarget;
import org.dicomweb.gateway.access.Service;
import org.dicomweb.gateway.web.observe.ObservedRequest;

/**
 * An {@link ObservedRequest} as a DICOM audit message (PS3.15 A.5.1, the RFC 3881 schema) in JSON: the schema's elements
 * and attributes as fields of the same names, coded values as {@code {"csd-code", "codeSystemName", "originalText"}},
 * plus a {@code Request} object with what the schema has no place for (HTTP status, duration, bytes, the instance
 * and match counts, the series and instance UIDs of the path). docs/security.md, "Audit trail", shows one.
 */
final class AuditMessage {

    /** The Study Root C-FIND information model: what a QIDO-RS search queries, whatever the backend. */
    static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    /** The gateway's own code system for EventTypeCode: the service, as {@link Service} names it. */
    static final String GATEWAY_CODES = "DICOMWEB-GATEWAY";

    /**
     * Made once: each {@code Json.createObjectBuilder()} looks its provider up with a ServiceLoader, which scans the
     * deployment's jars for a META-INF/services entry; the twenty builders of a record cost ~1 ms of CPU per request
     * that way (the largest part of a one-study QIDO search's own cost).
     */
    static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);

    private AuditMessage() {
    }

    static JsonObject of(ObservedRequest event, String sourceId) {
        AuditCodes.Event code = AuditCodes.event(event.addressed().service(), event.preflight());
        JsonObjectBuilder identification = JSON.createObjectBuilder()
                .add("EventID", code.eventId().json())
                .add("EventActionCode", code.action() != null ? code.action() : AuditCodes.action(event.method()))
                .add("EventDateTime", DATE_TIME.format(event.start()))
                .add("EventOutcomeIndicator", AuditCodes.outcome(event.addressed().service(), event.status(),
                        event.cutOff()))
                .add("EventTypeCode", JSON.createArrayBuilder().add(new AuditCodes.Code(
                        event.addressed().service().name(), GATEWAY_CODES, event.addressed().service().name()).json()));
        return JSON.createObjectBuilder()
                .add("EventIdentification", identification)
                .add("ActiveParticipant", participants(event, code))
                .add("AuditSourceIdentification", JSON.createObjectBuilder()
                        .add("AuditSourceID", sourceId)
                        // 4: application server process tier in a multi-tier system (PS3.15 A.5.1, RFC 3881)
                        .add("AuditSourceTypeCode", JSON.createArrayBuilder().add(
                                new AuditCodes.Code("4", "RFC-3881", "Application Server").json())))
                .add("ParticipantObjectIdentification", objects(event))
                .add("Request", request(event))
                .build();
    }

    /** The client (the requestor) and the gateway, each as source or destination of what moved. */
    private static JsonArrayBuilder participants(ObservedRequest event, AuditCodes.Event code) {
        JsonObjectBuilder client = JSON.createObjectBuilder()
                .add("UserID", event.user())
                .add("UserIsRequestor", true)
                .add("RoleIDCode", JSON.createArrayBuilder().add(
                        (code.clientIsSource() ? AuditCodes.SOURCE : AuditCodes.DESTINATION).json()))
                .add("NetworkAccessPointID", event.clientAddress())
                .add("NetworkAccessPointTypeCode", AuditCodes.IP_ADDRESS);
        JsonObjectBuilder gateway = JSON.createObjectBuilder()
                .add("UserID", event.gatewayUrl())
                .add("UserIsRequestor", false)
                .add("RoleIDCode", JSON.createArrayBuilder().add(
                        (code.clientIsSource() ? AuditCodes.DESTINATION : AuditCodes.SOURCE).json()))
                .add("NetworkAccessPointID", event.gatewayAddress())
                .add("NetworkAccessPointTypeCode", AuditCodes.IP_ADDRESS);
        return JSON.createArrayBuilder().add(client).add(gateway);
    }

    /** Each study addressed or stored; for a search, the query itself (base64 of its UTF-8 bytes, as PS3.15 says). */
    private static JsonArrayBuilder objects(ObservedRequest event) {
        JsonArrayBuilder objects = JSON.createArrayBuilder();
        for (String study : event.studies()) {
            objects.add(JSON.createObjectBuilder()
                    .add("ParticipantObjectTypeCode", 2) // system object
                    .add("ParticipantObjectTypeCodeRole", 3) // report
                    .add("ParticipantObjectIDTypeCode", AuditCodes.STUDY_INSTANCE_UID.json())
                    .add("ParticipantObjectID", study));
        }
        if (event.addressed().service() == Service.QIDO && !event.preflight()) {
            String query = event.path() + (event.query() == null ? "" : "?" + event.query());
            objects.add(JSON.createObjectBuilder()
                    .add("ParticipantObjectTypeCode", 2)
                    .add("ParticipantObjectTypeCodeRole", 3)
                    .add("ParticipantObjectIDTypeCode", AuditCodes.SOP_CLASS_UID.json())
                    .add("ParticipantObjectID", STUDY_ROOT_FIND)
                    .add("ParticipantObjectQuery", Base64.getEncoder().encodeToString(
                            query.getBytes(StandardCharsets.UTF_8))));
        }
        return objects;
    }

    private static JsonObjectBuilder request(ObservedRequest event) {
        RequestTarget target = event.addressed();
        JsonObjectBuilder request = JSON.createObjectBuilder()
                .add("method", event.method())
                .add("path", event.path())
                .add("service", target.service().name());
        addIfSet(request, "aet", target.aet());
        addIfSet(request, "study", target.study());
        addIfSet(request, "series", target.series());
        addIfSet(request, "instance", target.instance());
        request.add("status", event.status())
                .add("durationMs", event.durationMs())
                .add("bytesIn", event.bytesIn())
                .add("bytesOut", event.bytesOut());
        if (event.instances() >= 0) {
            request.add("instances", event.instances());
        }
        if (event.matches() >= 0) {
            request.add("matches", event.matches());
        }
        if (event.preflight()) {
            request.add("preflight", true);
        }
        if (event.cutOff()) {
            request.add("cutOff", true);
        }
        return request;
    }

    private static void addIfSet(JsonObjectBuilder object, String name, String value) {
        if (value != null) {
            object.add(name, value);
        }
    }
}
