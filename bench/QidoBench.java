// QIDO-RS study search benchmark: the gateway versus a direct C-FIND on a warm association (single-file Java 17).
//
//   java -cp /usr/share/java/pixelmed.jar bench/QidoBench.java [options]      (bench/qido.sh runs it for you)
//
// For each concurrency level (default 1, 10, 50) and each target it starts that many client threads, each of which
// makes one warm-up search and then its share of --requests timed searches, all clients released together:
//   gateway  GET {gateway}/aets/{AET}/studies?{query}&limit={limit} over one keep-alive HTTP/1.1 connection per
//            client thread (a minimal blocking client, see GatewaySearcher), whole body read, matches counted;
//   direct   study-level C-FIND (Study Root) with the keys the gateway sends for that search (QueryRetrieveLevel=STUDY,
//            the PS3.18 default study attributes, SpecificCharacterSet ISO_IR 192, the query's match keys) on ONE
//            PixelMed association per client thread, opened before the clock starts and reused for every search
//            (TCP_NODELAY set on its socket: PixelMed leaves Nagle on, which costs ~40 ms per exchange).
// A search is an error if it throws, times out, answers non-2xx, ends truncated (the gateway ends the JSON array
// unclosed when the PACS fails mid-stream) or returns another number of matches than the reference count, which is
// taken before the timed runs with one direct C-FIND and one gateway search (they must agree, or the program stops).
// The table gives per target and concurrency: requests, errors, p50/p95/max latency of the successful searches and
// throughput (successful searches / wall time of the timed phase); then the p50 overhead gateway - direct, and the CPU
// time per search of the benchmark's own JVM (and of the gateway's process, with --gateway-pid).
//
// Options (defaults in brackets):
//   --gateway URL           gateway base URL [http://127.0.0.1:8080/dicomweb]
//   --aet AET               PACS to search, as the gateway names it and as its called AE title [ORTHANC]
//   --host H --port P       its DICOM address for the direct C-FIND [127.0.0.1 14242]
//   --dcmqrscp              also benchmark AE DCMQRSCP (--dcmqrscp-port, [11113]); dcmqrscp accepts at most
//                           MaxAssociations (16 in scripts/peers.sh) at once: direct DCMQRSCP cells with more clients
//                           than --dcmqrscp-max-assoc [12] are skipped (leaves room for other users of the peer)
//   --concurrency LIST      comma-separated concurrency levels [1,10,50]
//   --requests N            timed searches per target and level, shared among the clients [400]
//   --warmup N              sequential searches per target before the first level, each way (capped by
//                           --cell-cap-s). A freshly started WildFly's JIT was still compiling RESTEasy's and
//                           Undertow's largest methods after 5000 searches (3-4 ms of gateway CPU per search instead
//                           of 1.3-1.6): after a start, run the benchmark twice or pass --warmup 5000 [1000]
//   --query Q               QIDO match parameters, keyword=value joined by &, e.g. PatientID=PAT123 or
//                           StudyInstanceUID=uid1,uid2,... (a UID list) [none: every study of the PACS]
//   --limit N               limit parameter sent to the gateway; must exceed the match count so that the gateway does
//                           not cancel the C-FIND early (checked) [1000]
//   --calling-aet AET       calling AE title of the direct associations [QIDOBENCH]
//   --max-pdu N             maximum PDU received on the direct associations (the gateway's default) [65536]
//   --timeout-s N           per search (HTTP request timeout, socket read timeout) [30]
//   --cell-cap-s N          a (target, level) cell stops issuing searches after this many seconds [120]
//   --gateway-pid PID       also report the CPU time the gateway's process (WildFly, same machine, Linux) spends per
//                           search during each timed phase (in direct cells: its idle background) [not reported]
//   --pacs-pid PID          the same for the PACS of --aet (e.g. Orthanc's process) [not reported]
// Each cell also reports how busy all CPUs of the machine were (/proc/stat), whichever process used them.
//
// Sporadic mode (--sporadic N, instead of the concurrency levels): ONE client, the gateway's study search against
// Orthanc's own DICOMweb QIDO-RS (--orthanc-dicomweb) with the same match keys, one keep-alive connection each. After
// --warmup searches each way, --back-to-back pairs with no pause, then N pairs with --pause-ms between pairs (as a
// person in a viewer asks: the gateway's association lies idle that long between uses); each pair is one search each
// way, their order alternating. Prints p50/p90 per target and mode, and gateway - Orthanc. Orthanc closes a
// keep-alive connection idle for 1 s (Keep-Alive: timeout=1), so the pause stays below that.
//   --sporadic N            pairs with a pause [0: off]
//   --pause-ms MS           the pause between pairs [500]
//   --back-to-back N        pairs without a pause, before the sporadic ones [1000]
//   --orthanc-dicomweb URL  Orthanc's DICOMweb root [http://127.0.0.1:18042/dicom-web]
//   --settle-blocks N       first (before the warm-up: run it right after a WildFly start), pairs back to back in
//                           blocks of --block [100]: p50 of each block and the time since the first search, until N
//                           blocks; "settled" at the first block from which every later block's gateway - Orthanc p50
//                           stays within 10 % of Orthanc's p50 (at least 1 ms) of the median of the last 5 blocks'
//                           (the difference: the load of a shared machine moves both alike) [0: off]
// Bounded: at most levels x targets x (requests + clients + warm-up) searches, each cell capped in time; the program
// exits by itself (exit 0 when every search succeeded, 1 when some failed, 2 on bad usage or failed checks).
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.ValueRepresentation;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.FindSOPClassSCU;
import com.pixelmed.network.IdentifierHandler;
import com.pixelmed.network.PresentationContext;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

public class QidoBench {

    // ---- options ----
    static String gateway = "http://127.0.0.1:8080/dicomweb";
    static String aet = "ORTHANC", host = "127.0.0.1";
    static int port = 14242;
    static boolean withDcmqrscp;
    static int dcmqrscpPort = 11113, dcmqrscpMaxAssoc = 12;
    static int[] levels = {1, 10, 50};
    static int requests = 400, warmup = 1000, limit = 1000, maxPdu = 65536, timeoutS = 30, cellCapS = 120;
    static String query = "", callingAet = "QIDOBENCH";
    static long gatewayPid, pacsPid;
    static int sporadic, pauseMs = 500, backToBack = 1000, settleBlocks, block = 100;
    static String orthancDicomweb = "http://127.0.0.1:18042/dicom-web";

    /** PixelMed logs through java.util.logging here; keep a strong reference so the level sticks. */
    static final Logger PIXELMED_LOG = Logger.getLogger("com.pixelmed");
    static final DicomDictionary DICT = AttributeList.getDictionary();
    static final String FIND = SOPClass.StudyRootQueryRetrieveInformationModelFind;
    static final Field SOCKET_FIELD;

    static {
        try {
            SOCKET_FIELD = Association.class.getDeclaredField("socket");
            SOCKET_FIELD.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The PS3.18 default study attributes, as the gateway's ReturnKeys.STUDY asks them. */
    static final AttributeTag[] STUDY_KEYS = {
        TagFromName.StudyDate, TagFromName.StudyTime, TagFromName.AccessionNumber, new AttributeTag(0x0008, 0x0056),
        TagFromName.ModalitiesInStudy, TagFromName.ReferringPhysicianName, TagFromName.TimezoneOffsetFromUTC,
        TagFromName.PatientName, TagFromName.PatientID, TagFromName.PatientBirthDate, TagFromName.PatientSex,
        TagFromName.StudyInstanceUID, TagFromName.StudyID, TagFromName.NumberOfStudyRelatedSeries,
        TagFromName.NumberOfStudyRelatedInstances};

    /** maxDirect: most direct associations the PACS may be given at once. */
    record Pacs(String aet, String host, int port, int maxDirect) { }

    /** Outcome of one (target, level) cell. */
    static final class Cell {
        final String target;
        final int clients;
        final List<Long> okNanos = Collections.synchronizedList(new ArrayList<>());
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final AtomicInteger issued = new AtomicInteger();
        long wallNanos;
        // CPU time of the timed phase
        double clientCpuMs = Double.NaN, gatewayCpuMs = Double.NaN, pacsCpuMs = Double.NaN;
        double machineBusy = Double.NaN;   // share of all CPUs busy during the timed phase (any process)
        volatile boolean capped;
        boolean skipped;

        Cell(String target, int clients) {
            this.target = target;
            this.clients = clients;
        }

        void error(String kind) {
            errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }

        long errorCount() {
            return errors.values().stream().mapToLong(LongAdder::sum).sum();
        }

        double percentileMs(double p) {
            List<Long> sorted = new ArrayList<>(okNanos);
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            Collections.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * sorted.size());   // nearest rank
            return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1)) / 1e6;
        }
    }

    /** One client's way to run one search; returns the number of matches or throws. */
    interface Searcher extends AutoCloseable {
        int search() throws Exception;

        @Override
        default void close() {
        }
    }

    interface SearcherFactory {
        Searcher open() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        parse(args);
        PIXELMED_LOG.setLevel(Level.WARNING);
        List<Pacs> pacsList = new ArrayList<>(List.of(new Pacs(aet, host, port, Integer.MAX_VALUE)));
        if (withDcmqrscp) {
            pacsList.add(new Pacs("DCMQRSCP", host, dcmqrscpPort, dcmqrscpMaxAssoc));
        }
        Map<String, String> keys = parseQuery(query);
        if (sporadic > 0 || settleBlocks > 0) {
            System.exit(againstOrthanc(keys));
        }
        int maxLevel = Arrays.stream(levels).max().orElse(1);
        long start = System.nanoTime();

        System.out.printf(Locale.ROOT, "QIDO-RS study search: gateway %s vs direct C-FIND on a warm association%n",
                gateway);
        System.out.printf(Locale.ROOT, "query: %s  (limit=%d on the gateway)  levels %s  %d timed searches per target "
                + "and level, %d warm-up  Java %s, %d CPUs%n",
                query.isEmpty() ? "(none: every study)" : abbreviate(query), limit, Arrays.toString(levels), requests, warmup,
                Runtime.version(), Runtime.getRuntime().availableProcessors());

        List<Cell> cells = new ArrayList<>();
        Map<String, Integer> expectedByAet = new LinkedHashMap<>();
        boolean failedCheck = false;
        for (Pacs pacs : pacsList) {
            SearcherFactory direct = () -> new DirectSearcher(pacs, identifier(keys));
            String url = gateway + "/aets/" + pacs.aet() + "/studies?" + gatewayQuery(keys);
            SearcherFactory viaGateway = () -> new GatewaySearcher(url);
            // Reference count: one direct C-FIND and one gateway search must agree.
            int directCount, gatewayCount;
            try (Searcher d = direct.open(); Searcher g = viaGateway.open()) {
                directCount = d.search();
                gatewayCount = g.search();
                long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(cellCapS);
                for (int i = 0; i < warmup && System.nanoTime() < warmupEnd; i++) {
                    d.search();
                    g.search();
                }
            } catch (Exception e) {
                System.out.printf("%s: check failed: %s%n", pacs.aet(), describe(e));
                failedCheck = true;
                continue;
            }
            System.out.printf(Locale.ROOT, "%s: %d matches direct, %d via the gateway (GET %s, %d characters)%n",
                    pacs.aet(), directCount, gatewayCount, abbreviate(url), url.length());
            if (directCount != gatewayCount || gatewayCount >= limit) {
                System.out.println(pacs.aet() + ": match counts differ (or reach the limit): not comparable, skipped");
                failedCheck = true;
                continue;
            }
            expectedByAet.put(pacs.aet(), directCount);
            for (int clients : levels) {
                if (clients > pacs.maxDirect()) {
                    Cell skipped = new Cell("direct " + pacs.aet(), clients);
                    skipped.skipped = true;
                    cells.add(skipped);
                    System.out.printf("  skipped: direct %s x%d (more than %d associations; --dcmqrscp-max-assoc)%n",
                            pacs.aet(), clients, pacs.maxDirect());
                } else {
                    cells.add(runCell("direct " + pacs.aet(), clients, direct, directCount));
                }
                cells.add(runCell("gateway " + pacs.aet(), clients, viaGateway, directCount));
            }
        }

        printTable(cells, expectedByAet);
        System.out.printf(Locale.ROOT, "total time %.1f s%n", (System.nanoTime() - start) / 1e9);
        long errors = cells.stream().mapToLong(Cell::errorCount).sum();
        System.out.flush();
        System.exit(failedCheck ? 2 : errors > 0 ? 1 : 0);
    }

    // ---- sporadic mode: one client, the gateway against Orthanc's own DICOMweb ----

    /** Latencies of one target in one mode, and its errors. */
    static final class Series {
        final List<Long> nanos = new ArrayList<>();
        int errors;
        String lastError;

        double percentileMs(double p) {
            if (nanos.isEmpty()) {
                return Double.NaN;
            }
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * sorted.size());
            return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1)) / 1e6;
        }

        void time(Searcher searcher, int expected) {
            long t0 = System.nanoTime();
            try {
                int matches = searcher.search();
                long t1 = System.nanoTime();
                if (matches == expected) {
                    nanos.add(t1 - t0);
                } else {
                    errors++;
                    lastError = "matches " + matches + " != " + expected;
                }
            } catch (Exception e) {
                errors++;
                lastError = describe(e);
            }
        }
    }

    /** Both targets, searched in pairs: {@code pairs} of them, {@code pause} ms after each pair. */
    static Series[] pairs(Searcher gatewaySearch, Searcher orthancSearch, int pairs, int pause, int expected)
            throws InterruptedException {
        Series[] series = {new Series(), new Series()};
        for (int i = 0; i < pairs; i++) {
            int first = i % 2; // alternating, so that neither target always follows the other's request
            series[first].time(first == 0 ? gatewaySearch : orthancSearch, expected);
            series[1 - first].time(first == 0 ? orthancSearch : gatewaySearch, expected);
            if (pause > 0) {
                Thread.sleep(pause);
            }
        }
        return series;
    }

    static int againstOrthanc(Map<String, String> keys) throws Exception {
        String gatewayUrl = gateway + "/aets/" + aet + "/studies?" + gatewayQuery(keys);
        String orthancUrl = orthancDicomweb + "/studies?" + gatewayQuery(keys);
        System.out.printf(Locale.ROOT, "QIDO-RS study search, one client: gateway (%s) vs Orthanc's own DICOMweb (%s)"
                + "%nquery: %s  Java %s, %d CPUs%n", aet, orthancDicomweb,
                query.isEmpty() ? "(none: every study)" : abbreviate(query), Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        int errors = 0;
        try (GatewaySearcher viaGateway = new GatewaySearcher(gatewayUrl);
                GatewaySearcher orthanc = new GatewaySearcher(orthancUrl)) {
            long start = System.nanoTime();
            int expected = orthanc.search();
            int gatewayCount = viaGateway.search();
            if (expected != gatewayCount || expected >= limit) {
                System.out.printf("match counts differ: Orthanc %d, gateway %d (or reach the limit %d)%n", expected,
                        gatewayCount, limit);
                return 2;
            }
            System.out.printf("%d matches each way%n", expected);
            if (settleBlocks > 0) {
                errors += settle(viaGateway, orthanc, expected, start);
            }
            Series[] warm = pairs(viaGateway, orthanc, warmup, 0, expected);
            errors += warm[0].errors + warm[1].errors;
            Map<String, Series[]> modes = new LinkedHashMap<>();
            if (backToBack > 0) {
                modes.put("back to back", pairs(viaGateway, orthanc, backToBack, 0, expected));
            }
            if (sporadic > 0) {
                modes.put(pauseMs + " ms pauses", pairs(viaGateway, orthanc, sporadic, pauseMs, expected));
            }
            System.out.printf(Locale.ROOT, "after %d warm-up pairs:%n%-16s %-8s %6s %6s %8s %8s %10s %10s%n", warmup,
                    "mode", "target", "n", "errors", "p50 ms", "p90 ms", "gw-o p50", "gw-o p90");
            for (Map.Entry<String, Series[]> mode : modes.entrySet()) {
                Series g = mode.getValue()[0];
                Series o = mode.getValue()[1];
                errors += g.errors + o.errors;
                System.out.printf(Locale.ROOT, "%-16s %-8s %6d %6d %8.2f %8.2f %10.2f %10.2f%n", mode.getKey(),
                        "gateway", g.nanos.size(), g.errors, g.percentileMs(50), g.percentileMs(90),
                        g.percentileMs(50) - o.percentileMs(50), g.percentileMs(90) - o.percentileMs(90));
                System.out.printf(Locale.ROOT, "%-16s %-8s %6d %6d %8.2f %8.2f%n", "", "Orthanc", o.nanos.size(),
                        o.errors, o.percentileMs(50), o.percentileMs(90));
                for (Series s : mode.getValue()) {
                    if (s.lastError != null) {
                        System.out.println("  last error: " + s.lastError);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "total time %.1f s%n", (System.nanoTime() - start) / 1e9);
        }
        return errors > 0 ? 1 : 0;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Back-to-back pairs in blocks from the first search on: how long the gateway's figures take to settle. */
    static int settle(Searcher viaGateway, Searcher orthanc, int expected, long start) throws InterruptedException {
        System.out.printf(Locale.ROOT, "settling: back-to-back pairs in blocks of %d from the first search%n"
                + "%6s %10s %10s %12s %12s %9s%n", block, "block", "searches", "seconds", "gateway p50", "Orthanc p50",
                "gw-o");
        List<Double> differences = new ArrayList<>();
        List<Double> orthancP50 = new ArrayList<>();
        List<String> ends = new ArrayList<>();
        int errors = 0;
        for (int b = 1; b <= settleBlocks; b++) {
            Series[] pair = pairs(viaGateway, orthanc, block, 0, expected);
            errors += pair[0].errors + pair[1].errors;
            double g = pair[0].percentileMs(50);
            double o = pair[1].percentileMs(50);
            double seconds = (System.nanoTime() - start) / 1e9;
            differences.add(g - o);
            orthancP50.add(o);
            ends.add(String.format(Locale.ROOT, "%d gateway searches, %.1f s", b * block, seconds));
            System.out.printf(Locale.ROOT, "%6d %10d %10.1f %12.2f %12.2f %9.2f%n", b, b * block, seconds, g, o, g - o);
        }
        // The difference, not the gateway's p50 alone: the load of the shared machine moves both targets alike.
        double reference = median(differences.subList(Math.max(0, differences.size() - 5), differences.size()));
        double band = Math.max(1.0, 0.1 * median(orthancP50.subList(Math.max(0, orthancP50.size() - 5),
                orthancP50.size())));
        int settled = differences.size() - 1;
        while (settled > 0 && Math.abs(differences.get(settled - 1) - reference) <= band) {
            settled--;
        }
        System.out.printf(Locale.ROOT, "settled from block %d on (gateway - Orthanc p50 within %.2f ms of %.2f, the "
                + "median of the last blocks): after the first %s%n", settled + 1, band, reference,
                settled == 0 ? "0 searches" : ends.get(settled - 1));
        return errors;
    }

    /** Runs one cell: every client opens its searcher and warms it up, then all start together on the timed searches. */
    static Cell runCell(String target, int clients, SearcherFactory factory, int expected) throws InterruptedException {
        Cell cell = new Cell(target, clients);
        CyclicBarrier ready = new CyclicBarrier(clients + 1);
        AtomicInteger remaining = new AtomicInteger(requests);
        AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);   // set when the clients are released
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "bench-client");
            t.setDaemon(true);   // a hung client never keeps the JVM alive
            return t;
        });
        long[] endNanos = new long[clients];
        for (int c = 0; c < clients; c++) {
            int index = c;
            pool.submit(() -> {
                Searcher searcher = null;
                String setupError = null;
                try {
                    searcher = factory.open();
                    searcher.search();                      // warm-up: connection / association, JIT
                } catch (Exception e) {
                    setupError = "setup: " + describe(e);
                }
                try {
                    ready.await(cellCapS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    setupError = setupError != null ? setupError : "barrier: " + describe(e);
                }
                try {
                    while (remaining.getAndDecrement() > 0) {
                        if (System.nanoTime() > deadline.get()) {
                            cell.capped = true;
                            break;
                        }
                        cell.issued.incrementAndGet();
                        if (setupError != null) {
                            cell.error(setupError);   // this client's share fails: no connection / association
                            continue;
                        }
                        long t0 = System.nanoTime();
                        try {
                            int matches = searcher.search();
                            long t1 = System.nanoTime();
                            if (matches == expected) {
                                cell.okNanos.add(t1 - t0);
                            } else {
                                cell.error("matches " + matches + " != " + expected);
                            }
                        } catch (Exception e) {
                            cell.error(describe(e));
                        }
                    }
                } finally {
                    endNanos[index] = System.nanoTime();
                    if (searcher != null) {
                        searcher.close();
                    }
                }
                return null;
            });
        }
        long t0;
        try {
            ready.await(cellCapS, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println(target + " x" + clients + ": clients not ready in time: " + describe(e));
        }
        t0 = System.nanoTime();
        deadline.set(t0 + TimeUnit.SECONDS.toNanos(cellCapS));
        long clientCpu0 = clientCpuNanos();
        long gatewayCpu0 = processCpuMs(gatewayPid);
        long pacsCpu0 = processCpuMs(pacsPid);
        long[] machine0 = machineTicks();
        pool.shutdown();
        if (!pool.awaitTermination(cellCapS + 2L * timeoutS, TimeUnit.SECONDS)) {
            cell.error("client threads still busy after the cap (hang?)");
            pool.shutdownNow();
        }
        long last = t0;
        for (long e : endNanos) {
            last = Math.max(last, e);
        }
        cell.wallNanos = last - t0;
        cell.clientCpuMs = (clientCpuNanos() - clientCpu0) / 1e6;
        if (gatewayPid > 0) {
            cell.gatewayCpuMs = processCpuMs(gatewayPid) - gatewayCpu0;
        }
        if (pacsPid > 0) {
            cell.pacsCpuMs = processCpuMs(pacsPid) - pacsCpu0;
        }
        long[] machine1 = machineTicks();
        if (machine1[1] > machine0[1]) {
            cell.machineBusy = (double) (machine1[0] - machine0[0]) / (machine1[1] - machine0[1]);
        }
        System.out.printf(Locale.ROOT, "  %tT done: %-16s x%-3d %4d searches, %d errors, p50 %.2f ms%n",
                new java.util.Date(), target, clients, cell.issued.get(), cell.errorCount(), cell.percentileMs(50));
        System.out.flush();
        return cell;
    }

    /** CPU time of this JVM (the benchmark clients). */
    static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of a process (Linux /proc, clock ticks of 10 ms), or 0 for pid 0 or when it cannot be read. */
    static long processCpuMs(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;   // utime + stime
        } catch (IOException | RuntimeException e) {
            System.out.println("cannot read the CPU time of process " + pid + ": " + describe(e));
            return 0;
        }
    }

    /** Busy and total clock ticks of all CPUs since boot (/proc/stat), or zeros where that cannot be read. */
    static long[] machineTicks() {
        try {
            String[] fields = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim()
                    .split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {   // user nice system idle iowait irq softirq steal
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    static String perSearch(double cpuMs, int searches) {
        return Double.isNaN(cpuMs) ? "-" : String.format(Locale.ROOT, "%.2f", cpuMs / searches);
    }

    static void printTable(List<Cell> cells, Map<String, Integer> expectedByAet) {
        System.out.println();
        expectedByAet.forEach((a, n) -> System.out.printf("%s: %d matching studies per search%n", a, n));
        System.out.println();
        System.out.println("| target | concurrency | requests | errors | p50 ms | p95 ms | max ms | throughput req/s |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Cell c : cells) {
            if (c.skipped) {
                System.out.printf("| %s | %d | skipped | | | | | |%n", c.target, c.clients);
                continue;
            }
            double seconds = c.wallNanos / 1e9;
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.2f | %.2f | %.2f | %.0f |%n", c.target, c.clients,
                    c.issued.get(), c.errorCount(), c.percentileMs(50), c.percentileMs(95), c.percentileMs(100),
                    seconds > 0 ? c.okNanos.size() / seconds : 0.0);
        }
        System.out.println();
        System.out.println("| PACS | concurrency | p50 overhead gateway - direct, ms | p95 overhead, ms |");
        System.out.println("|---|---:|---:|---:|");
        for (Cell g : cells) {
            if (!g.target.startsWith("gateway ")) {
                continue;
            }
            String pacs = g.target.substring("gateway ".length());
            for (Cell d : cells) {
                if (d.target.equals("direct " + pacs) && d.clients == g.clients && !d.skipped) {
                    System.out.printf(Locale.ROOT, "| %s | %d | %+.2f | %+.2f |%n", pacs, g.clients,
                            g.percentileMs(50) - d.percentileMs(50), g.percentileMs(95) - d.percentileMs(95));
                }
            }
        }
        System.out.println();
        System.out.println("| target | concurrency | CPU ms per search: benchmark client | gateway process "
                + "| PACS process | all CPUs busy |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Cell c : cells) {
            int n = c.okNanos.size() + (int) c.errorCount();
            if (c.skipped || n == 0) {
                continue;
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %s | %s | %s |%n", c.target, c.clients,
                    c.clientCpuMs / n, perSearch(c.gatewayCpuMs, n),
                    c.target.endsWith(" " + aet) ? perSearch(c.pacsCpuMs, n) : "-",
                    Double.isNaN(c.machineBusy) ? "-" : String.format(Locale.ROOT, "%.0f %%", 100 * c.machineBusy));
        }
        boolean anyErrors = false;
        for (Cell c : cells) {
            if (c.errorCount() > 0 || c.capped) {
                if (!anyErrors) {
                    System.out.println();
                    System.out.println("errors:");
                    anyErrors = true;
                }
                System.out.printf("  %s x%d:%s%n", c.target, c.clients, c.capped ? " (stopped by --cell-cap-s)" : "");
                new TreeMap<>(c.errors).forEach((k, v) -> System.out.printf("    %5d  %s%n", v.sum(), k));
            }
        }
    }

    // ---- direct C-FIND on one reused association ----

    static final class DirectSearcher implements Searcher {
        final Association association;
        final AttributeList identifier;

        DirectSearcher(Pacs pacs, AttributeList identifier) throws Exception {
            LinkedList<PresentationContext> contexts = new LinkedList<>();
            LinkedList<String> syntaxes = new LinkedList<>();
            syntaxes.add(TransferSyntax.ExplicitVRLittleEndian);
            syntaxes.add(TransferSyntax.ImplicitVRLittleEndian);
            contexts.add(new PresentationContext((byte) 1, FIND, syntaxes));
            association = AssociationFactory.createNewAssociation(pacs.host(), pacs.port(), pacs.aet(), callingAet,
                    maxPdu, AssociationFactory.getDefaultReceiveBufferSize(),
                    AssociationFactory.getDefaultSendBufferSize(), contexts, new LinkedList<>(), false, null, null);
            Socket socket = (Socket) SOCKET_FIELD.get(association);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutS * 1000);
            this.identifier = identifier;
        }

        @Override
        public int search() throws Exception {
            int[] matches = {0};
            new FindSOPClassSCU(association, FIND, identifier, new IdentifierHandler() {
                @Override
                public void doSomethingWithIdentifier(AttributeList match) {
                    matches[0]++;
                }
            });
            return matches[0];
        }

        @Override
        public void close() {
            try {
                association.release();
            } catch (Exception e) {
                try {
                    association.abort();
                } catch (Exception ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** The C-FIND identifier the gateway builds for GET /studies?{keys}. */
    static AttributeList identifier(Map<String, String> keys) throws Exception {
        AttributeList list = new AttributeList();
        for (AttributeTag tag : STUDY_KEYS) {
            put(list, tag, null);
        }
        for (Map.Entry<String, String> key : keys.entrySet()) {
            put(list, tagOf(key.getKey()), key.getValue());
        }
        put(list, TagFromName.QueryRetrieveLevel, "STUDY");
        put(list, TagFromName.SpecificCharacterSet, "ISO_IR 192");
        return list;
    }

    static void put(AttributeList list, AttributeTag tag, String value) throws Exception {
        byte[] vr = DICT.getValueRepresentationFromTag(tag);
        if (vr == null) {
            vr = tag.equals(new AttributeTag(0x0008, 0x0056)) ? ValueRepresentation.CS : ValueRepresentation.UN;
        }
        Attribute attribute = AttributeFactory.newAttribute(tag, vr);
        if (value != null) {
            // a UID list (PS3.18 §8.3.4.1): comma-separated in QIDO, multi-valued in C-FIND, as the gateway sends it
            attribute.addValue(ValueRepresentation.isUniqueIdentifierVR(vr) ? value.replace(',', '\\') : value);
        }
        list.put(attribute);
    }

    static AttributeTag tagOf(String key) {
        if (key.matches("[0-9A-Fa-f]{8}")) {
            return new AttributeTag(Integer.parseInt(key.substring(0, 4), 16), Integer.parseInt(key.substring(4), 16));
        }
        AttributeTag tag = DICT.getTagFromName(key);
        if (tag == null) {
            throw new IllegalArgumentException("unknown attribute keyword in --query: " + key);
        }
        return tag;
    }

    // ---- the gateway ----

    /**
     * One keep-alive HTTP/1.1 connection of its own (TCP_NODELAY), a blocking GET per search, the body read whole
     * (Content-Length or chunked). Not java.net.http.HttpClient: its selector thread and futures cost this JVM
     * ~1 ms of CPU per search, twice the direct C-FIND's client, and every core the client takes is one the gateway
     * and the PACS on this machine do not get.
     */
    static final class GatewaySearcher implements Searcher {
        final URI uri;
        final byte[] request;
        Socket socket;
        InputStream in;

        GatewaySearcher(String url) {
            this.uri = URI.create(url);
            this.request = ("GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port(uri)
                    + "\r\nAccept: application/dicom+json\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        static int port(URI uri) {
            return uri.getPort() > 0 ? uri.getPort() : 80;
        }

        @Override
        public int search() throws Exception {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(timeoutS * 1000);
                socket.connect(new InetSocketAddress(uri.getHost(), port(uri)), 5000);
                in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            }
            try {
                socket.getOutputStream().write(request);
                String statusLine = line();
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                    throw new IOException("not an HTTP response: " + statusLine);
                }
                int status = Integer.parseInt(parts[1]);
                long length = -1;
                boolean chunked = false, close = false;
                for (String header = line(); !header.isEmpty(); header = line()) {
                    String lower = header.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(lower.substring(15).trim());
                    } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    } else if (lower.startsWith("connection:") && lower.contains("close")) {
                        close = true;
                    }
                }
                byte[] body = chunked ? chunkedBody() : in.readNBytes((int) Math.max(length, 0));
                if (close) {
                    close();
                }
                if (status == 204) {
                    return 0;
                }
                if (status != 200) {
                    String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
                    throw new IOException("HTTP " + status + " " + text.substring(0, Math.min(120, text.length())));
                }
                return countTopLevelObjects(body);
            } catch (IOException | RuntimeException e) {
                close(); // the connection may be out of step
                throw e;
            }
        }

        byte[] chunkedBody() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(n));
                line(); // the CRLF after the chunk
            }
        }

        /** One header line, without its CRLF; the end of the stream in the middle of a response throws. */
        String line() throws IOException {
            StringBuilder text = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("connection closed by the gateway");
                }
                if (b != '\r') {
                    text.append((char) b);
                }
            }
            return text.toString();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a broken connection
                }
                socket = null;
            }
        }
    }

    /** Number of objects in a JSON array; throws if the array is not closed (a truncated stream). */
    static int countTopLevelObjects(byte[] json) throws IOException {
        int depth = 0, count = 0;
        boolean inString = false, escaped = false, closed = false;
        for (byte b : json) {
            char c = (char) b;
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '[', '{' -> {
                    if (c == '{' && depth == 1) {
                        count++;
                    }
                    depth++;
                }
                case ']', '}' -> {
                    depth--;
                    if (depth == 0) {
                        closed = true;
                    }
                }
                default -> { }
            }
        }
        if (!closed || depth != 0) {
            throw new IOException("truncated JSON body (" + json.length + " bytes, array not closed)");
        }
        return count;
    }

    static String gatewayQuery(Map<String, String> keys) {
        StringBuilder q = new StringBuilder();
        keys.forEach((k, v) -> q.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        return q.append("limit=").append(limit).toString();
    }

    static Map<String, String> parseQuery(String q) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (q.isBlank()) {
            return keys;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--query: expected keyword=value, got '" + pair + "'");
            }
            String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals("limit") || key.equals("offset") || key.equals("includefield")
                    || key.equals("fuzzymatching")) {
                throw new IllegalArgumentException("--query: only match keys (use --limit for the limit): " + key);
            }
            tagOf(key);
            keys.put(key, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return keys;
    }

    /** A query for the log: long UID lists shortened. */
    static String abbreviate(String text) {
        return text.length() <= 160 ? text : text.substring(0, 100) + "..." + text.substring(text.length() - 40);
    }

    static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("\\s+", " ");
        if (message.length() > 140) {
            message = message.substring(0, 140) + "...";
        }
        return e.getClass().getSimpleName() + message;
    }

    static void parse(String[] args) {
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--gateway" -> gateway = args[++i].replaceAll("/+$", "");
                    case "--aet" -> aet = args[++i];
                    case "--host" -> host = args[++i];
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--dcmqrscp" -> withDcmqrscp = true;
                    case "--dcmqrscp-port" -> dcmqrscpPort = Integer.parseInt(args[++i]);
                    case "--dcmqrscp-max-assoc" -> dcmqrscpMaxAssoc = Integer.parseInt(args[++i]);
                    case "--concurrency" -> levels = Arrays.stream(args[++i].split(",")).map(String::trim)
                            .mapToInt(Integer::parseInt).toArray();
                    case "--requests" -> requests = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--query" -> query = args[++i];
                    case "--limit" -> limit = Integer.parseInt(args[++i]);
                    case "--calling-aet" -> callingAet = args[++i];
                    case "--max-pdu" -> maxPdu = Integer.parseInt(args[++i]);
                    case "--timeout-s" -> timeoutS = Integer.parseInt(args[++i]);
                    case "--cell-cap-s" -> cellCapS = Integer.parseInt(args[++i]);
                    case "--gateway-pid" -> gatewayPid = Long.parseLong(args[++i]);
                    case "--pacs-pid" -> pacsPid = Long.parseLong(args[++i]);
                    case "--sporadic" -> sporadic = Integer.parseInt(args[++i]);
                    case "--pause-ms" -> pauseMs = Integer.parseInt(args[++i]);
                    case "--back-to-back" -> backToBack = Integer.parseInt(args[++i]);
                    case "--orthanc-dicomweb" -> orthancDicomweb = args[++i].replaceAll("/+$", "");
                    case "--settle-blocks" -> settleBlocks = Integer.parseInt(args[++i]);
                    case "--block" -> block = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (Arrays.stream(levels).anyMatch(l -> l < 1 || l > 500) || requests < 1 || requests > 100_000
                    || warmup < 0 || limit < 1 || timeoutS < 1 || cellCapS < 1 || sporadic < 0 || sporadic > 10_000
                    || pauseMs < 0 || pauseMs > 10_000 || backToBack < 0 || settleBlocks < 0 || block < 1) {
                throw new IllegalArgumentException("out of range (levels 1..500, requests 1..100000)");
            }
            parseQuery(query);
        } catch (RuntimeException e) {
            System.err.println("QidoBench: " + e.getMessage() + " (options: see the header of bench/QidoBench.java)");
            System.exit(2);
        }
    }
}
