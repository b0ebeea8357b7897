package org.dicomweb.gateway.backend.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.dicomweb.gateway.core.backend.AeClients;
import org.dicomweb.gateway.core.backend.OperationSlots;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * The bucket of one S3 AE: the AWS SDK's synchronous client (over Apache HttpClient 5, a pool of
 * max-concurrent-requests connections), every request within one of max-concurrent-requests slots, and every failure
 * as the gateway's exception naming the AE and what was asked: 502 (endpoint unreachable, access denied, no such
 * bucket), 504 (no answer in time), 503 (all slots busy).
 */
public final class Bucket implements AeClients.Client<S3Settings> {

    /** An object read as a stream; closing it frees the connection and the slot. */
    public interface Download extends AutoCloseable {
        InputStream body();

        long length();

        @Override
        void close();
    }

    private final S3Settings settings;
    private final S3Client client;
    private final OperationSlots slots;

    public Bucket(S3Settings settings) {
        this.settings = settings;
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials(settings))
                // S3-compatible stores (S3Proxy among them) fail the checksums the SDK adds by default since 2.30.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(settings.maxConcurrentRequests())
                        .connectionTimeout(Duration.ofMillis(settings.connectTimeoutMs()))
                        .connectionAcquisitionTimeout(Duration.ofMillis(settings.requestTimeoutMs()))
                        .socketTimeout(Duration.ofMillis(settings.requestTimeoutMs())));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        this.client = builder.build();
        this.slots = new OperationSlots(settings.aet(), "S3 requests", settings.maxConcurrentRequests(),
                settings.requestTimeoutMs(), (reason, cause) -> new GatewayBusyException(reason));
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        return switch (settings.credentials()) {
            case CONFIG -> StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
            case ENVIRONMENT -> EnvironmentVariableCredentialsProvider.create();
            case DEFAULT -> DefaultCredentialsProvider.builder().build();
        };
    }

    @Override
    public S3Settings settings() {
        return settings;
    }

    @Override
    public OperationSlots slots() {
        return slots;
    }

    /**
     * A listing of at most one key under the prefix: fails as {@link #failure} says if the bucket is missing or the
     * credentials are refused. Not a HEAD of the bucket: an answer to a HEAD has no body, so no error code
     * (SignatureDoesNotMatch, NoSuchBucket) to name, only a status.
     */
    public void verify() {
        call("the bucket check", () -> client.listObjectsV2(
                b -> b.bucket(settings.bucket()).prefix(settings.prefix()).maxKeys(1)));
    }

    /** Stores a file, in parts above multipart-threshold-mb; returns the object's ETag. */
    public String put(String key, Path file, long length, String contentType) {
        if (length < settings.multipartThresholdBytes()) {
            return call("the upload of " + key, () -> client.putObject(
                    b -> b.bucket(settings.bucket()).key(key).contentType(contentType).contentLength(length),
                    RequestBody.fromFile(file))).eTag();
        }
        return multipartPut(key, file, length, contentType);
    }

    /** Stores a small object held in memory. */
    public String put(String key, byte[] bytes, String contentType) {
        return call("the upload of " + key, () -> client.putObject(
                b -> b.bucket(settings.bucket()).key(key).contentType(contentType).contentLength((long) bytes.length),
                RequestBody.fromBytes(bytes))).eTag();
    }

    /** Parts of part-size-mb, one after the other; a failed upload is aborted, so no parts are left behind. */
    private String multipartPut(String key, Path file, long length, String contentType) {
        String uploadId = call("the start of the upload of " + key, () -> client.createMultipartUpload(
                b -> b.bucket(settings.bucket()).key(key).contentType(contentType))).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long partSize = settings.partSizeBytes();
            for (int number = 1; (long) (number - 1) * partSize < length; number++) {
                long offset = (number - 1) * partSize;
                long size = Math.min(partSize, length - offset);
                int n = number;
                String eTag = call("part " + n + " of " + key, () -> client.uploadPart(
                        b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId).partNumber(n).contentLength(size),
                        RequestBody.fromContentProvider(() -> FileRange.open(file, offset, size), size,
                                "application/octet-stream"))).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(eTag).build());
            }
            return call("the completion of the upload of " + key, () -> client.completeMultipartUpload(
                    b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)
                            .multipartUpload(u -> u.parts(parts)))).eTag();
        } catch (RuntimeException e) {
            try {
                call("the abort of the upload of " + key, () -> client.abortMultipartUpload(
                        b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    /** The object, or empty if there is none under {@code key}. */
    public Optional<Download> get(String key) {
        return get(key, null);
    }

    /** Bytes {@code from..to} (inclusive) of the object, or empty if there is none. */
    public Optional<Download> get(String key, long from, long to) {
        return get(key, "bytes=" + from + "-" + to);
    }

    private Optional<Download> get(String key, String range) {
        OperationSlots.Slot slot = slots.acquire();
        try {
            ResponseInputStream<GetObjectResponse> stream = client.getObject(
                    b -> b.bucket(settings.bucket()).key(key).range(range));
            return Optional.of(new Download() {
                @Override
                public InputStream body() {
                    return stream;
                }

                @Override
                public long length() {
                    return stream.response().contentLength();
                }

                @Override
                public void close() {
                    try {
                        // Before the end of the body, abort: draining a large object only to reuse the connection
                        // costs more than a new connection.
                        stream.abort();
                        stream.close();
                    } catch (IOException | RuntimeException e) {
                        // the connection is gone either way
                    } finally {
                        slot.close();
                    }
                }
            });
        } catch (NoSuchKeyException e) {
            slot.close();
            return Optional.empty();
        } catch (SdkException e) {
            slot.close();
            throw failure("the download of " + key, e);
        } catch (RuntimeException | Error e) {
            slot.close();
            throw e;
        }
    }

    /** Every object under {@code prefix}, a page (up to 1000) at a time. */
    public void list(String prefix, Consumer<List<S3Object>> page) {
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response response = call("the listing of " + prefix, () -> client.listObjectsV2(
                    b -> b.bucket(settings.bucket()).prefix(prefix).continuationToken(continuation)));
            page.accept(response.contents());
            token = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
        } while (token != null);
    }

    /** Whether there is an object under {@code key} (a HEAD). */
    public boolean exists(String key) {
        try (OperationSlots.Slot slot = slots.acquire()) {
            client.headObject(b -> b.bucket(settings.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) { // a HEAD has no body, so some stores' 404 carries no error code
                return false;
            }
            throw failure("the check of " + key, e);
        } catch (SdkException e) {
            throw failure("the check of " + key, e);
        }
    }

    public void delete(String key) {
        call("the deletion of " + key, () -> client.deleteObject(b -> b.bucket(settings.bucket()).key(key)));
    }

    private <T> T call(String what, java.util.function.Supplier<T> request) {
        try (OperationSlots.Slot slot = slots.acquire()) {
            return request.get();
        } catch (SdkException e) {
            throw failure(what, e);
        }
    }

    /**
     * What went wrong, for the client: the store's own error code and message where it sent one (AccessDenied,
     * NoSuchBucket, SignatureDoesNotMatch), else why there was no answer.
     */
    public GatewayException failure(String what, SdkException e) {
        String where = settings.aet() + " (" + settings.location() + "): " + what;
        if (e instanceof S3Exception s3) {
            var details = s3.awsErrorDetails();
            String code = details == null ? null : details.errorCode();
            // A HEAD answer has no body, so no error code: say what its status means here.
            String reason = code != null ? code + " " + details.errorMessage() : switch (s3.statusCode()) {
                case 403 -> "Forbidden (the credentials were refused, or lack the permission)";
                case 404 -> "Not Found (no such bucket)";
                default -> "HTTP " + s3.statusCode();
            };
            return new PeerFailureException(where + " failed: " + s3.statusCode() + " " + reason, e);
        }
        if (e instanceof SdkClientException && isTimeout(e)) {
            return new PeerTimeoutException(where + " got no answer within "
                    + settings.requestTimeoutMs() + " ms", e);
        }
        return new PeerFailureException(where + " failed: " + rootMessage(e), e);
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException
                    || t instanceof software.amazon.awssdk.core.exception.ApiCallTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }

    @Override
    public void close() {
        client.close();
    }
}
