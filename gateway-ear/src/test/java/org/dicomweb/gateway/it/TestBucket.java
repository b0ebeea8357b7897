package org.dicomweb.gateway.it;

import java.net.URI;
import java.util.Set;
import java.util.TreeSet;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The loopback S3Proxy's bucket as a test reads it, with the SDK on its own (the fixed key of scripts/peers.sh), so
 * that what the gateway claims is checked against what the store holds.
 */
final class TestBucket implements AutoCloseable {

    static final String BUCKET = "dicomweb";
    /** The prefix of the AE S3 (wildfly-config/loopback-peers.cli). */
    static final String PREFIX = "demo/";

    private final S3Client s3 = S3Client.builder()
            .endpointOverride(URI.create("http://127.0.0.1:18091"))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("local-identity", "local-credential")))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();

    /** The keys of every object of a study of the AE S3. */
    Set<String> keysOfStudy(String studyUid) {
        Set<String> keys = new TreeSet<>();
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(PREFIX + studyUid + "/")).contents().stream()
                .map(S3Object::key).forEach(keys::add);
        return keys;
    }

    @Override
    public void close() {
        s3.close();
    }
}
