package org.dicomweb.gateway.web.studies;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;

import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.stow.StowService;
import org.dicomweb.gateway.stow.StowTransaction;
import org.dicomweb.gateway.validation.RequestLimits;
import org.dicomweb.gateway.web.Warnings;
import org.dicomweb.gateway.web.observe.RequestFacts;

/**
 * STOW-RS (PS3.18 §10.5) for {@link StudiesResource}: reads the multipart/related body part by part with mime4j's
 * streaming parser (never the whole body in memory), hands each part to a {@link StowTransaction}, and answers with
 * the store response. Runs on the gateway's executor, not on the HTTP worker that received the request.
 */
@ApplicationScoped
public class StowUpload {

    private static final Logger LOG = Logger.getLogger(StowUpload.class.getName());
    private static final String DICOM = "application/dicom";
    static final String DICOM_XML = "application/dicom+xml";

    @Inject
    StowService stow;

    @Inject
    RequestLimits limits;

    @Inject
    HttpServletRequest http;

    /** The executor created by wildfly-config/gateway.cli. */
    @Resource(lookup = "java:jboss/ee/concurrency/executor/dicomweb-dimse")
    ManagedExecutorService executor;

    void store(AsyncResponse async, HttpHeaders headers, String aet, String study, InputStream body, String baseUrl) {
        long maxBytes = limits.maxStowRequestBytes();
        MediaType type = headers.getMediaType();
        String partType = type.getParameters().getOrDefault("type", "").replace("\"", "");
        if (!partType.equals(DICOM)) {
            async.resume(Response.status(Status.UNSUPPORTED_MEDIA_TYPE).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(error(Status.UNSUPPORTED_MEDIA_TYPE, "only multipart/related; type=\"application/dicom\""
                            + " is stored (got type=\"" + partType + "\")")).build());
            return;
        }
        if (headers.getLength() > maxBytes) {
            async.resume(Response.status(Status.REQUEST_ENTITY_TOO_LARGE).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(error(Status.REQUEST_ENTITY_TOO_LARGE, "the body of " + headers.getLength()
                            + " bytes exceeds gateway.stow.max-request-mb")).build());
            return;
        }
        StowTransaction transaction;
        try {
            transaction = stow.begin(aet, study);
        } catch (RuntimeException e) {
            async.resume(e);
            return;
        }
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        boolean xml = prefersXml(headers.getAcceptableMediaTypes());
        String aeBaseUrl = baseUrl + "/aets/" + aet;
        RequestFacts audit = RequestFacts.of(http);
        executor.execute(() -> {
            try (transaction) {
                Response.Status forced = null;
                String warning = null;
                try {
                    readParts(new Limited(body, maxBytes), contentType, transaction);
                } catch (MimeException e) {
                    transaction.bodyFailed("malformed multipart body: " + e.getMessage());
                } catch (TooLarge e) {
                    transaction.bodyFailed("the body exceeds gateway.stow.max-request-mb");
                    forced = Status.REQUEST_ENTITY_TOO_LARGE;
                    warning = "the body exceeds gateway.stow.max-request-mb; the instances listed were stored"
                            + " before the limit was reached";
                } catch (IOException e) {
                    LOG.log(Level.INFO, aet + ": STOW-RS upload ended early: " + e.getMessage());
                    transaction.bodyFailed("the body could not be read to its end: " + e.getMessage());
                }
                StowResult result = transaction.finish();
                audit.instances(result.stored().size());
                result.stored().forEach(stored -> audit.study(stored.studyUid()));
                async.resume(response(result, aeBaseUrl, xml, forced, warning));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, aet + ": STOW-RS failed", e);
                async.resume(e);
            }
        });
    }

    private static void readParts(InputStream body, String contentType, StowTransaction transaction)
            throws IOException, MimeException {
        MimeTokenStream parts = new MimeTokenStream(MimeConfig.custom().setMaxLineLen(-1).setMaxHeaderLen(-1)
                .setMaxHeaderCount(-1).setMaxContentLen(-1).build());
        parts.parseHeadless(body, contentType);
        int number = 0;
        for (EntityState state = parts.getState(); state != EntityState.T_END_OF_STREAM; state = parts.next()) {
            if (state == EntityState.T_BODY) {
                number++;
                String mimeType = parts.getBodyDescriptor().getMimeType();
                if (DICOM.equalsIgnoreCase(mimeType)) {
                    transaction.add(parts.getDecodedInputStream());
                } else {
                    transaction.reject("is " + mimeType + ", not " + DICOM);
                }
            }
        }
        if (number == 0) {
            throw new MimeException("no part found");
        }
    }

    /**
     * The store response (PS3.18 §10.5.3): 200 all stored, 202 some failed, 409 none stored, 400 none stored and no
     * part was a DICOM instance at all. {@code forced} overrides the status (413), {@code warning} is added first.
     */
    private static Response response(StowResult result, String aeBaseUrl, boolean xml, Status forced,
            String warning) {
        StoreResponse body = new StoreResponse(result, aeBaseUrl);
        Status status = !result.stored().isEmpty()
                ? (result.failed().isEmpty() ? Status.OK : Status.ACCEPTED)
                : result.failed().stream().allMatch(StowResult.Failed::isUnparsed) ? Status.BAD_REQUEST
                : Status.CONFLICT;
        Response.ResponseBuilder response = xml
                ? Response.status(forced != null ? forced : status).type(DICOM_XML).entity(body.xml())
                : Response.status(forced != null ? forced : status).type(QidoSearch.DICOM_JSON).entity(body.json());
        List<String> warnings = new ArrayList<>();
        if (warning != null) {
            warnings.add(warning);
        }
        result.failed().forEach(f -> warnings.add(f.isUnparsed() ? f.why() : f.sopInstanceUid() + ": " + f.why()));
        Warnings.limited(warnings, "failures").forEach(text -> response.header("Warning", Warnings.header(text)));
        return response.build();
    }

    /** XML only when the client prefers it to JSON (PS3.18 §10.5.2: JSON is the default). */
    private static boolean prefersXml(List<MediaType> acceptable) {
        for (MediaType type : acceptable) {
            if (type.isCompatible(MediaType.valueOf(DICOM_XML)) && !type.isWildcardType()) {
                return true;
            }
            if (type.isCompatible(MediaType.valueOf(QidoSearch.DICOM_JSON)) || type.isCompatible(
                    MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    private static JsonObject error(Status status, String reason) {
        return Json.createObjectBuilder().add("status", status.getStatusCode()).add("error", status.getReasonPhrase())
                .add("reason", reason).build();
    }

    /** A body read past the configured limit. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("request body over the limit");
        }
    }

    /** Counts what is read and stops at the limit (chunked bodies announce no length). */
    private static final class Limited extends FilterInputStream {
        private final long limit;
        private long count;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            try {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            } catch (IOException e) {
                throw tooLargeForTheServer(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                int n = super.read(buffer, offset, length);
                count(Math.max(n, 0));
                return n;
            } catch (IOException e) {
                throw tooLargeForTheServer(e);
            }
        }

        /** Undertow's own limit (the listener's max-post-size, see wildfly-config/gateway.cli) is a 413 too. */
        private static IOException tooLargeForTheServer(IOException e) {
            return e.getClass().getSimpleName().equals("RequestTooBigException") ? new TooLarge() : e;
        }

        private void count(int n) throws TooLarge {
            count += n;
            if (count > limit) {
                throw new TooLarge();
            }
        }
    }
}
