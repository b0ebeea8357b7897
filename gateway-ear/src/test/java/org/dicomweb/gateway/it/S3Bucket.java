package org.dicomweb.gateway.it;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The test's own view of the loopback S3Proxy bucket behind the AEs S3 and S3-REFUSE (scripts/peers.sh s3proxy,
 * wildfly-config/loopback-peers.cli), read and written through the S3 API with the AWS SDK: what the gateway put
 * there, as any other S3 client sees it, independently of where S3Proxy keeps its files.
 */
final class S3Bucket implements AutoCloseable {

    static final String BUCKET = "dicomweb";
    /** The AE S3's prefix (loopback-peers.cli). */
    static final String DEMO = "demo";

    private final S3Client client = S3Client.builder()
            .endpointOverride(URI.create("http://127.0.0.1:18091"))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("local-identity", "local-credential")))
            .httpClient(Apache5HttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(30)).build())
            .build();

    /** The object's bytes, or empty if there is none at {@code key}. */
    Optional<byte[]> get(String key) {
        try {
            return Optional.of(client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    byte[] require(String key) {
        return get(key).orElseThrow(() -> new AssertionError("no object " + key + " in bucket " + BUCKET));
    }

    void put(String key, byte[] bytes) {
        client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    }

    void delete(String key) {
        client.deleteObject(b -> b.bucket(BUCKET).key(key));
    }

    /** The keys under {@code prefix}, in S3's (lexicographic) order. */
    List<String> keys(String prefix) {
        return client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    @Override
    public void close() {
        client.close();
    }
}
