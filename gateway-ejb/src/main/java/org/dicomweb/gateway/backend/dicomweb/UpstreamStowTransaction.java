package org.dicomweb.gateway.backend.dicomweb;

import static org.dicomweb.gateway.core.stow.StowOutcomes.CANNOT_UNDERSTAND;
import static org.dicomweb.gateway.core.stow.StowOutcomes.PROCESSING_FAILURE;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.apache.hc.client5.http.classic.methods.HttpPost;

import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerTimeoutException;
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.stow.StowTransaction;
import org.dicomweb.gateway.wado.MultipartRelated;

/**
 * One STOW-RS request passed on as one upstream POST: the upstream body is a multipart/related written part by part
 * straight into the upstream connection ({@link UploadBody}) as the client's parts are read (never a whole part
 * held), and the upstream's store response
 * (PS3.18 §10.5.3) is mapped to per-instance outcomes. Parts the gateway rejects are not sent and are reported failed;
 * parts sent that the upstream's answer does not list are reported failed too, so every part has an outcome.
 */
final class UpstreamStowTransaction implements StowTransaction {

    /** A store response lists one small item per instance: beyond this it is not one. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    private static final Pattern INSTANCE_URL = Pattern.compile(".*/studies/([0-9.]+)/series/([0-9.]+)/instances/.*");

    private final Upstream upstream;
    private final Executor executor;
    private final String studyUid;
    private final long stalledClientMs;
    private final String boundary = MultipartRelated.newBoundary();
    private final List<StowResult.Failed> failed = new ArrayList<>();
    private UploadBody upload;
    private Upstream.Pending pending;
    private int parts;
    private int sent;
    /** Why the upload to the upstream broke off, if it did. */
    private String cut;
    /** The client's body broke off: the upstream's failure that follows is expected, and reported per part. */
    private boolean clientCut;
    /** The upstream stopped taking the upload (the exchange was cancelled): its outcome is a 504. */
    private String stalled;
    private StowResult result;

    UpstreamStowTransaction(Upstream upstream, Executor executor, String studyUid, long stalledClientMs) {
        this.upstream = upstream;
        this.executor = executor;
        this.studyUid = studyUid;
        this.stalledClientMs = stalledClientMs;
    }

    /** The POST starts with the first part, so a request without a DICOM part never reaches the upstream. */
    private void start() {
        UpstreamSettings settings = upstream.settings();
        upload = new UploadBody("multipart/related; type=\"application/dicom\"; boundary=" + boundary, upstream.aet(),
                settings.readTimeoutMs(), stalledClientMs, settings.connectTimeoutMs() + settings.readTimeoutMs(),
                upstream.traffic().sent());
        HttpPost request = upstream.authorized(new HttpPost(upstream.uri("/studies"
                + (studyUid == null ? "" : "/" + studyUid))), "application/dicom+json");
        request.setEntity(upload);
        pending = upstream.start(request, executor);
        pending.whenDone(upload::exchangeOver);
    }

    @Override
    public void add(InputStream part) throws IOException {
        parts++;
        if (pending == null) {
            start();
        }
        if (cut == null) {
            try {
                copy(part);
                sent++;
                return;
            } catch (UploadBody.UpstreamGone e) {
                cut = e.getMessage();
                if (e.stalled) {
                    stalled = e.getMessage();
                    pending.cancel();
                }
            }
        }
        part.transferTo(OutputStream.nullOutputStream()); // read on, so that every later part gets its outcome
        failed.add(StowResult.Failed.unparsed(PROCESSING_FAILURE, "part " + parts + " was not stored: " + cut));
    }

    /** The part's delimiter, headers and bytes into the upload; a client read failure reports the part failed. */
    private void copy(InputStream part) throws IOException {
        write("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n");
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            int n;
            try {
                n = part.read(buffer);
            } catch (IOException e) {
                failed.add(StowResult.Failed.unparsed(PROCESSING_FAILURE, "part " + parts
                        + " could not be read to its end: " + e.getMessage()));
                throw e;
            }
            if (n < 0) {
                break;
            }
            upload.output.write(buffer, 0, n);
        }
        write("\r\n");
    }

    private void write(String text) throws IOException {
        upload.output.write(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void reject(String why) {
        parts++;
        failed.add(StowResult.Failed.unparsed(CANNOT_UNDERSTAND, "part " + parts + " " + why));
    }

    @Override
    public void bodyFailed(String why) {
        failed.add(StowResult.Failed.unparsed(CANNOT_UNDERSTAND, why));
        if (pending != null && cut == null) {
            clientCut = true;
            cut = "the upload broke off (" + why + ")";
            upload.fail(cut); // the upstream sees a cut body: it must not take it as complete
        }
    }

    @Override
    public StowResult finish() {
        if (result == null) {
            result = pending == null ? new StowResult(studyUid, List.of(), List.copyOf(failed)) : answered();
        }
        return result;
    }

    /** Ends the upstream body, then maps the upstream's answer (waited for at most read-timeout-ms). */
    private StowResult answered() {
        if (cut == null) {
            try {
                write("--" + boundary + "--\r\n");
                upload.finish();
            } catch (UploadBody.UpstreamGone e) {
                cut = e.getMessage();
                if (e.stalled) {
                    stalled = e.getMessage();
                    pending.cancel();
                }
            } catch (IOException e) {
                cut = e.getMessage();
            }
        }
        List<StowResult.Stored> stored = new ArrayList<>();
        List<StowResult.Failed> upstreamFailed = new ArrayList<>();
        try (Upstream.Answer answer = pending.await(upstream.settings().readTimeoutMs())) {
            if (answer.status() != 200 && answer.status() != 202 && answer.status() != 409) {
                if (!clientCut) {
                    throw answer.failed("the store request");
                }
            } else {
                storeResponse(answer, stored, upstreamFailed);
            }
        } catch (RuntimeException e) {
            if (stalled != null) {
                throw new PeerTimeoutException(stalled, e);
            }
            if (!clientCut) {
                throw e; // the upstream failed (refused, 5xx, no answer): 502 or 504 for the whole request
            }
        }
        List<StowResult.Failed> all = new ArrayList<>(upstreamFailed);
        for (int missing = sent - stored.size() - upstreamFailed.size(); missing > 0; missing--) {
            all.add(StowResult.Failed.unparsed(PROCESSING_FAILURE, upstream.aet() + " did not report one of the "
                    + sent + " instances sent" + (cut == null ? "" : " (" + cut + ")")));
        }
        all.addAll(failed);
        List<String> studies = stored.stream().map(StowResult.Stored::studyUid).distinct().toList();
        String study = studyUid != null ? studyUid : studies.size() == 1 ? studies.get(0) : null;
        return new StowResult(study, List.copyOf(stored), List.copyOf(all));
    }

    /** ReferencedSOPSequence and FailedSOPSequence of the upstream's DICOM JSON store response. */
    private void storeResponse(Upstream.Answer answer, List<StowResult.Stored> stored,
            List<StowResult.Failed> upstreamFailed) {
        JsonObject response;
        try {
            byte[] body = answer.body().readNBytes(MAX_RESPONSE_BYTES);
            response = Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8))).readObject();
        } catch (IOException | JsonException | ClassCastException e) {
            throw new PeerFailureException(upstream.aet() + ": the upstream's store response is not DICOM JSON: "
                    + e.getMessage(), e);
        }
        for (JsonObject item : items(response, "00081199")) {
            String url = string(item, "00081190");
            Matcher m = INSTANCE_URL.matcher(url);
            String study = m.matches() ? m.group(1) : studyUid != null ? studyUid : "";
            String series = m.matches() ? m.group(2) : "";
            Integer warning = number(item, "00081196");
            stored.add(new StowResult.Stored(string(item, "00081150"), string(item, "00081155"), study, series,
                    warning));
        }
        for (JsonObject item : items(response, "00081198")) {
            Integer reason = number(item, "00081197");
            int code = reason == null ? PROCESSING_FAILURE : reason;
            upstreamFailed.add(new StowResult.Failed(string(item, "00081150"), string(item, "00081155"), code,
                    upstream.aet() + " failed it with reason 0x" + Integer.toHexString(code).toUpperCase()));
        }
    }

    private static List<JsonObject> items(JsonObject dataSet, String tag) {
        JsonValue values = value(dataSet, tag);
        return values instanceof JsonArray array ? array.getValuesAs(JsonObject.class) : List.of();
    }

    private static String string(JsonObject dataSet, String tag) {
        return value(dataSet, tag) instanceof JsonArray array && !array.isEmpty()
                && array.get(0) instanceof JsonString s ? s.getString() : "";
    }

    private static Integer number(JsonObject dataSet, String tag) {
        return value(dataSet, tag) instanceof JsonArray array && !array.isEmpty()
                && array.get(0) instanceof JsonNumber n ? n.intValue() : null;
    }

    /** The "Value" array of an attribute, or null. */
    private static JsonValue value(JsonObject dataSet, String tag) {
        return dataSet.get(tag) instanceof JsonObject attribute ? attribute.get("Value") : null;
    }

    /** Ends the exchange: after {@link #finish} its answer is closed already; otherwise the upload is cut. */
    @Override
    public void close() {
        if (pending != null && result == null) {
            upload.fail("the request ended before the upload was complete");
            pending.cancel();
        }
    }
}
