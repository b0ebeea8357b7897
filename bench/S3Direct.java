import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The baseline of bench/s3.sh (not a test): the same objects the gateway serves or stores, fetched or stored by the
 * AWS SDK v2's synchronous S3Client directly, N requests at a time, in one long-lived JVM (warm like the gateway's),
 * over Apache HttpClient 5 (the gateway's client, configured as Bucket does) or the CRT HTTP client.
 *
 *     java -cp SDK-CLASSPATH bench/S3Direct.java ENDPOINT BUCKET ACCESS-KEY SECRET
 *
 * Commands on standard input, one per line, each answered on standard output with one line
 * "ok SECONDS BYTES OBJECTS" (the time of the transfers only) or "error MESSAGE":
 *   get CLIENT PARALLEL PREFIX      every *.dcm object under PREFIX (listed before the clock), each read to its end
 *   put CLIENT PARALLEL DIR PREFIX  every *.dcm file under DIR to PREFIX/{its path under DIR}
 *   delete PREFIX                   removes every object under PREFIX (clean-up; time not meaningful)
 * CLIENT is apache5 or crt; "quit" or the end of input ends it.
 */
public final class S3Direct {

    private static final int MAX_CONNECTIONS = 64; // the gateway's max-concurrent-requests default

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: S3Direct ENDPOINT BUCKET ACCESS-KEY SECRET (commands on stdin)");
            System.exit(2);
        }
        String bucket = args[1];
        Map<String, S3Client> clients = Map.of(
                "apache5", client(args, Apache5HttpClient.builder().maxConnections(MAX_CONNECTIONS)
                        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)).build()),
                "crt", client(args, AwsCrtHttpClient.builder().maxConcurrency(MAX_CONNECTIONS)
                        .connectionTimeout(Duration.ofSeconds(5)).build()));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
                String[] words = line.trim().split("\\s+");
                try {
                    System.out.println(switch (words[0]) {
                        case "get" -> get(clients.get(words[1]), bucket, Integer.parseInt(words[2]), words[3]);
                        case "put" -> put(clients.get(words[1]), bucket, Integer.parseInt(words[2]),
                                Path.of(words[3]), words[4]);
                        case "delete" -> delete(clients.get("apache5"), bucket, words[1]);
                        default -> "error unknown command " + words[0];
                    });
                } catch (Exception e) {
                    System.out.println("error " + line + ": " + e);
                }
                System.out.flush();
            }
        } finally {
            clients.values().forEach(S3Client::close);
        }
    }

    private static S3Client client(String[] args, SdkHttpClient http) {
        return S3Client.builder()
                .endpointOverride(URI.create(args[0]))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[2], args[3])))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(http)
                .build();
    }

    private static List<String> keys(S3Client s3, String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).filter(k -> k.endsWith(".dcm")).forEach(keys::add);
        return keys;
    }

    private static String get(S3Client s3, String bucket, int parallel, String prefix) throws Exception {
        List<String> keys = keys(s3, bucket, prefix);
        AtomicLong bytes = new AtomicLong();
        double seconds = inParallel(parallel, keys, key -> {
            byte[] buffer = new byte[64 * 1024];
            long n = 0;
            try (InputStream body = s3.getObject(b -> b.bucket(bucket).key(key))) {
                for (int r; (r = body.read(buffer)) >= 0; ) {
                    n += r;
                }
            }
            bytes.addAndGet(n);
        });
        return "ok " + seconds + " " + bytes.get() + " " + keys.size();
    }

    private static String put(S3Client s3, String bucket, int parallel, Path dir, String prefix) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        AtomicLong bytes = new AtomicLong();
        double seconds = inParallel(parallel, files, file -> {
            String key = prefix + "/" + dir.relativize(file).toString().replace('\\', '/');
            long length = Files.size(file);
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/dicom").contentLength(length),
                    RequestBody.fromFile(file));
            bytes.addAndGet(length);
        });
        return "ok " + seconds + " " + bytes.get() + " " + files.size();
    }

    private static String delete(S3Client s3, String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(o -> keys.add(o.key()));
        keys.forEach(key -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
        return "ok 0 0 " + keys.size();
    }

    @FunctionalInterface
    private interface Work<T> {
        void run(T item) throws IOException;
    }

    /** Seconds from the first request to the last response, {@code parallel} at a time; the first failure fails it. */
    private static <T> double inParallel(int parallel, List<T> items, Work<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    work.run(item);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(300, TimeUnit.SECONDS);
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
