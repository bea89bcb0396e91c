package io.outboundbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.sandbox.SandboxSettings;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.TestKeys;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What scraping {@code /observe/metrics} every second costs a big list (issue 15): the packaged service started the
 * documented way (bin/outbound-bridge, -Xmx128m, management on a free port) against the sandbox in this JVM, one
 * 1,000,000-row list to warm it up, then lists of other ids one after another, alternately without and with a
 * scraper thread (one GET a second, the body read whole). Prints pick-up -> archive of each and the ratio of the
 * medians. Run by bench/run.sh (BENCH_ONLY=management bench/run.sh for only this and the start-ups).
 * Arguments: rows (1000000), pairs (2).
 */
public final class ScrapeBench {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        BridgeBenchmark.quietLogging();
        Path repo = InProcessBridge.repo();
        Path home = Files.createTempDirectory("scrape-bench");
        try (SandboxVendor sandbox = SandboxVendor.start(SandboxSettings.builder().appId(Sandboxes.APP_ID)
                .publicKey(TestKeys.publicKey()).recordCustomers(false).logCalls(false).build())) {
            Folders folders = new Folders(home.resolve("service"));
            Files.createDirectories(folders.inbox());
            int port = freePort();
            List<String> jvm = new ArrayList<>(List.of("-Xmx128m"));
            Map<String, String> settings = new TreeMap<>(InProcessBridge.testSettings(folders, sandbox));
            settings.put("camel.management.enabled", "true");
            settings.put("camel.management.port", String.valueOf(port));
            settings.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
            List<String> command = List.of(repo.resolve("bin/outbound-bridge").toString(), "run", "--config",
                    repo.resolve("config").toString(), "--routes", repo.resolve("routes").toString());
            Map<String, String> env = Map.of("JAVA_OPTS", String.join(" ", jvm), "JAVA_HOME",
                    System.getProperty("java.home"));
            URI metrics = URI.create("http://127.0.0.1:" + port + "/observe/metrics");
            try (JvmProcess p = JvmProcess.start(command, env, folders.home(), folders.home().resolve("bridge.log"))) {
                p.awaitLogLine("management on", 60_000);
                System.err.printf("service up; scraping %s when asked%n", metrics);
                Path staged = home.resolve("lists");
                once(p, folders, staged, rows, "warm", null);
                List<Long> plain = new ArrayList<>();
                List<Long> scraped = new ArrayList<>();
                long scrapes = 0;
                long bytes = 0;
                for (int k = 0; k < pairs; k++) {
                    plain.add(once(p, folders, staged, rows, "plain-" + k, null));
                    Scraper scraper = new Scraper(metrics);
                    scraped.add(once(p, folders, staged, rows, "scraped-" + k, scraper));
                    scrapes += scraper.count.get();
                    bytes += scraper.bytes.get();
                }
                long a = median(plain);
                long b = median(scraped);
                System.out.printf("1,000,000-row list pick-up -> archive, without scraping: median %.3f s %s%n",
                        a / 1000.0, plain);
                System.out.printf("the same while /observe/metrics is scraped every second: median %.3f s %s "
                        + "(%d scrapes, %,d bytes each on average)%n", b / 1000.0, scraped, scrapes,
                        scrapes == 0 ? 0 : bytes / scrapes);
                System.out.printf("ratio scraped / not scraped: %.3f (%+.1f %%)%n", (double) b / a,
                        ((double) b / a - 1) * 100);
                // the same cost in the service's CPU, which other processes on the cores disturb less than wall time
                double perScrape = cpuPerScrape(p, metrics);
                long listCpu = median(LIST_CPU);
                double scrapesPerList = a / 1000.0;
                System.out.printf("service CPU per scrape (idle service, 100 scrapes against 10 s without): %.2f ms; "
                        + "a list of %.1f s scraped every second: %.0f ms of its %,d ms CPU (%.2f %%)%n", perScrape,
                        scrapesPerList, perScrape * scrapesPerList, listCpu,
                        perScrape * scrapesPerList / listCpu * 100);
            }
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The service's CPU ms for each list not scraped. */
    private static final List<Long> LIST_CPU = new ArrayList<>();

    /** CPU ms of the service per scrape: 100 scrapes 100 ms apart, less the same 10 s without. */
    private static double cpuPerScrape(JvmProcess p, URI metrics) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long c0 = p.cpuMillis();
        Thread.sleep(10_000);
        long c1 = p.cpuMillis();
        for (int i = 0; i < 100; i++) {
            http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofByteArray());
            Thread.sleep(100);
        }
        long c2 = p.cpuMillis();
        System.err.printf("  idle 10 s: %d ms CPU; 100 scrapes in about 10 s: %d ms CPU%n", c1 - c0, c2 - c1);
        return ((c2 - c1) - (c1 - c0)) / 100.0;
    }

    /** Drops a fresh list of {@code rows} and returns pick-up (its report's start) -> seen in the archive, in ms. */
    private static long once(JvmProcess p, Folders folders, Path staged, int rows, String tag, Scraper scraper)
            throws Exception {
        String name = "scrape-" + tag + ".csv";
        Path list = staged.resolve(name);
        BenchRows.write(list, rows, tag);
        if (scraper != null) {
            scraper.start();
        }
        long cpu = p.cpuMillis();
        try {
            Files.move(list, folders.inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.currentTimeMillis() + 300_000;
            while (System.currentTimeMillis() < deadline) {
                Path report = find(folders.archive(), name + ".result.json");
                if (report != null && Files.exists(report.resolveSibling(name))) {
                    long seen = System.currentTimeMillis();
                    JsonNode r = new ObjectMapper().readTree(report.toFile());
                    long took = seen - Instant.parse(r.path("start").asText()).toEpochMilli();
                    long used = p.cpuMillis() - cpu;
                    if (scraper == null && !tag.equals("warm")) {
                        LIST_CPU.add(used);
                    }
                    System.err.printf("  %s: %.3f s, service CPU %,d ms%s%n", name, took / 1000.0, used,
                            scraper == null ? "" : " (" + scraper.count.get() + " scrapes)");
                    return took;
                }
                if (find(folders.error(), name + ".error.json") != null || !p.isAlive()) {
                    throw new IllegalStateException(name + " failed\n" + p.tail(40));
                }
                Thread.sleep(2);
            }
            throw new IllegalStateException("no outcome for " + name + "\n" + p.tail(40));
        } finally {
            if (scraper != null) {
                scraper.interrupt();
                scraper.join();
            }
        }
    }

    private static Path find(Path folder, String name) throws java.io.IOException {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try (Stream<Path> days = Files.list(folder)) {
            return days.map(d -> d.resolve(name)).filter(Files::exists).findFirst().orElse(null);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** One GET of the metrics a second, as Prometheus would, the body read whole. */
    private static final class Scraper extends Thread {
        private final URI uri;
        private final HttpClient http = HttpClient.newHttpClient();
        final AtomicLong count = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        Scraper(URI uri) {
            super("scraper");
            this.uri = uri;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!isInterrupted()) {
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                            .build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("scrape answered " + r.statusCode());
                    }
                    count.incrementAndGet();
                    bytes.addAndGet(r.body().length);
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                // the list is archived
            } catch (Exception e) {
                System.err.println("scraper stopped: " + e);
            }
        }
    }
}
