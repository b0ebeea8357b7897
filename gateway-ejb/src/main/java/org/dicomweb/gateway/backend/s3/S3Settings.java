package org.dicomweb.gateway.backend.s3;

import java.net.URI;

/**
 * One AE served from an S3 bucket ({@code gateway.aet.<AET>.backend=s3}), validated: where its objects are (endpoint,
 * region, bucket, key prefix, addressing), how the gateway signs in, and the bounds on requests in flight, uploads
 * and every wait. {@link #toString} leaves the credentials out.
 *
 * @param endpoint   null: AWS's own endpoint for the region
 * @param prefix     without leading or trailing slash; empty: objects at the bucket's root
 * @param credentials where the keys come from; {@code accessKeyId}/{@code secretAccessKey} only for CONFIG
 */
public record S3Settings(String aet, URI endpoint, String region, String bucket, String prefix, boolean pathStyle,
        Credentials credentials, String accessKeyId, String secretAccessKey, int maxConcurrentRequests,
        int requestParallelism, long multipartThresholdBytes, long partSizeBytes, int connectTimeoutMs,
        int requestTimeoutMs, OnDuplicate onDuplicate) {

    /** {@code config}: the two keys; {@code environment}: AWS_ACCESS_KEY_ID/...; {@code default}: the SDK's chain. */
    public enum Credentials { CONFIG, ENVIRONMENT, DEFAULT }

    /** What a STOW-RS of an instance already stored does: replace it, or fail it (FailedSOPSequence). */
    public enum OnDuplicate { OVERWRITE, REFUSE }

    /** The object key of an instance: {@code {prefix}/{study}/{series}/{sop}.dcm}. */
    public String instanceKey(String studyUid, String seriesUid, String sopInstanceUid) {
        return seriesKey(studyUid, seriesUid) + sopInstanceUid + ".dcm";
    }

    /** The key prefix of a series' objects, ending in a slash. */
    public String seriesKey(String studyUid, String seriesUid) {
        return root() + studyUid + "/" + seriesUid + "/";
    }

    /** The prefix of every key of this AE: empty, or the configured prefix and a slash. */
    public String root() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    /** Where the bucket is, for messages and /aets: {@code s3://bucket/prefix at endpoint}. */
    public String location() {
        return "s3://" + bucket + "/" + prefix + (endpoint == null ? " (" + region + ")" : " at " + endpoint);
    }

    @Override
    public String toString() {
        return "S3Settings[" + aet + " " + location() + " credentials=" + credentials.name().toLowerCase() + "]";
    }
}
