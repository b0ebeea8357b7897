package org.dicomweb.gateway.backend.dicomweb;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletionStage;

import org.dicomweb.gateway.core.qido.QidoQuery;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResult;
import org.dicomweb.gateway.qido.QidoService;

/**
 * QIDO-RS passed on: the same resource and query parameters (re-encoded), the upstream's JSON streamed back with its
 * RetrieveURLs made the gateway's, its Warning headers passed on. Matching, limit and offset are the upstream's.
 */
final class UpstreamQidoService implements QidoService {

    private static final String DICOM_JSON = "application/dicom+json";
    /** Characters a URI query holds as they are (RFC 3986 unreserved and sub-delims but & = +, and : @ / ?). */
    private static final String KEPT = "-._~!$'()*,;:@/?";
    private static final String HEX = "0123456789ABCDEF";

    private final Upstreams upstreams;

    UpstreamQidoService(Upstreams upstreams) {
        this.upstreams = upstreams;
    }

    @Override
    public CompletionStage<QidoResult> search(String aet, QidoRequest request) {
        Upstream upstream = upstreams.of(aet);
        // The same checks as for every AE, so that bad input is a 400 naming the parameter before the upstream sees it.
        QidoQuery.parse(request, upstreams.gateway().qidoMaxResults());
        String resource = path(request);
        String path = resource + query(request.parameters());
        UpstreamUrls urls = new UpstreamUrls(upstream.settings().url(), request.retrieveBaseUrl());
        String accept = DICOM_JSON + ", application/json";
        return upstreams.run(aet, "a search", () -> upstream.open(path, accept, "match for " + resource, answer -> {
            List<String> warnings = answer.warnings();
            if (answer.status() == 204) {
                answer.close();
                return new Result(null, null, warnings);
            }
            JsonRewriter matches = JsonRewriter.open(answer.body(), urls::retrieveUrl, urls::bulkDataUri, aet);
            if (matches.isEmpty()) {
                answer.close();
                return new Result(null, null, warnings);
            }
            return new Result(answer, matches, warnings);
        }));
    }

    /** The resource's path on the upstream (the UIDs were checked by the HTTP layer). */
    static String path(QidoRequest request) {
        return switch (request.resource()) {
            case STUDIES -> "/studies";
            case STUDY_SERIES -> "/studies/" + request.studyUid() + "/series";
            case SERIES -> "/series";
            case STUDY_SERIES_INSTANCES -> "/studies/" + request.studyUid() + "/series/" + request.seriesUid()
                    + "/instances";
            case STUDY_INSTANCES -> "/studies/" + request.studyUid() + "/instances";
            case INSTANCES -> "/instances";
        };
    }

    /**
     * The decoded parameters encoded again, percent-encoding only what a URI query cannot hold or would change the
     * meaning of ({@code & = + # %}, space, {@code ^}, non-ASCII): {@code *} and {@code ,} stay as they are, since
     * Orthanc 1.10 does not percent-decode query values (PatientName=DOE%2A matches nothing there). The {@code ^} of
     * person names cannot stay: java.net.URI refuses it unencoded.
     */
    static String query(Map<String, List<String>> parameters) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        parameters.forEach((name, values) -> values.forEach(value -> query.add(encode(name) + "=" + encode(value))));
        return query.toString();
    }

    private static String encode(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || KEPT.indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
            }
        }
        return encoded.toString();
    }

    /** Matches (or none: {@code answer} null), holding the upstream's answer until written or abandoned. */
    private record Result(Upstream.Answer answer, JsonRewriter matches, List<String> warnings) implements QidoResult {

        @Override
        public boolean hasMatches() {
            return answer != null;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            if (answer == null) {
                return;
            }
            try {
                matches.writeTo(out);
            } finally {
                answer.close();
            }
        }

        @Override
        public void abandon() {
            if (answer != null) {
                matches.close();
                answer.close();
            }
        }
    }
}
