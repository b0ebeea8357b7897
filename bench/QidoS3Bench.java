// QIDO-RS latency against one AE of the gateway (single-file Java 17): bench/qido-s3.sh runs it.
//
//   java bench/QidoS3Bench.java --url http://127.0.0.1:8380/dicomweb --aet S3BENCH --label postgresql \
//        [--warmup 1000] [--requests 500] [--timeout-s 30] NAME=QUERY ...
//
// First --warmup rounds of every NAME=QUERY (e.g. patient-id='studies?PatientID=PAT000123') in turn, so that the
// gateway's JIT has compiled the whole path whichever query comes first; then, query by query, --requests timed
// searches, one after the other on one keep-alive HTTP/1.1 connection (java.net.http), whole body read. A search is
// an error if it throws, times out or answers other than 200/204; the number of matches (top-level objects of the
// JSON array) must be the same every time. Prints one line per query: label, name, matches, p50, p95, max (ms), errors.
// Exits 1 if any search failed. Bounded: every request has a timeout, the loop a fixed count.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class QidoS3Bench {

    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:8380/dicomweb";
        String aet = "S3BENCH";
        String label = "";
        int warmup = 1000;
        int requests = 500;
        int timeout = 30;
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--aet" -> aet = args[++i];
                case "--label" -> label = args[++i];
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--timeout-s" -> timeout = Integer.parseInt(args[++i]);
                default -> queries.add(args[i]);
            }
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        boolean failed = false;
        List<String> names = new ArrayList<>();
        List<HttpRequest> searches = new ArrayList<>();
        for (String query : queries) {
            int equals = query.indexOf('=');
            names.add(query.substring(0, equals));
            searches.add(HttpRequest.newBuilder(URI.create(url + "/aets/" + aet + "/" + query.substring(equals + 1)))
                    .header("Accept", "application/dicom+json").timeout(Duration.ofSeconds(timeout)).GET().build());
        }
        int warmupErrors = 0;
        for (int round = 0; round < warmup; round++) {
            for (HttpRequest request : searches) {
                try {
                    search(client, request);
                } catch (Exception e) {
                    if (warmupErrors++ == 0) {
                        System.err.println("warm-up: " + e);
                    }
                }
            }
        }
        failed |= warmupErrors > 0;
        for (int q = 0; q < searches.size(); q++) {
            String name = names.get(q);
            HttpRequest request = searches.get(q);
            int errors = 0;
            int matches = -1;
            long[] nanos = new long[requests];
            int timed = 0;
            for (int i = 0; i < requests; i++) {
                long start = System.nanoTime();
                try {
                    int count = search(client, request);
                    nanos[timed++] = System.nanoTime() - start;
                    if (matches >= 0 && count != matches) {
                        throw new IllegalStateException(count + " matches instead of " + matches);
                    }
                    matches = count;
                } catch (Exception e) {
                    if (errors++ == 0) {
                        System.err.println(name + ": " + e);
                    }
                }
            }
            long[] ok = Arrays.copyOf(nanos, timed);
            Arrays.sort(ok);
            System.out.printf("%-11s %-22s %7d %8.2f %8.2f %8.2f %6d%n", label, name, matches, ms(ok, 0.50),
                    ms(ok, 0.95), ok.length == 0 ? Double.NaN : ok[ok.length - 1] / 1e6, errors);
            failed |= errors > 0;
        }
        System.exit(failed ? 1 : 0);
    }

    /** The number of matches: objects at the top level of the DICOM JSON array (none for 204). */
    private static int search(HttpClient client, HttpRequest request) throws Exception {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 204) {
            return 0;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        int depth = 0;
        int objects = 0;
        boolean string = false;
        String body = response.body();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (string) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    string = false;
                }
            } else if (c == '"') {
                string = true;
            } else if (c == '{' || c == '[') {
                if (depth++ == 1 && c == '{') {
                    objects++;
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        if (depth != 0) {
            throw new IllegalStateException("truncated JSON");
        }
        return objects;
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted.length == 0 ? Double.NaN
                : sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
