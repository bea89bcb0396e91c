package io.outboundbridge.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.sandbox.RecordedCall;
import io.outboundbridge.sandbox.SandboxSettings;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.sign.PemKeys;
import io.outboundbridge.sign.RequestSigner;
import io.outboundbridge.sign.SignTemplate;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.TestKeys;
import io.outboundbridge.task.Profile;
import io.outboundbridge.task.ProfileLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * The benchmark of issue 3 (a main that prints figures, not a test): the packaged service and a naive baseline route,
 * side by side in one run, against the sandbox vendor in this JVM (no injected latency, calls not recorded in full).
 *
 * <ul>
 * <li>parse+validate+plan rows/s in this JVM ({@link PipelineBench});</li>
 * <li>the sandbox's own answer time per 1000-customer call ({@link SandboxProbe});</li>
 * <li>the packaged jar ({@code target/outbound-bridge.jar}) in its own process at {@code -Xmx128m}, started the
 *     documented way ({@code bin/outbound-bridge}: the jar with the build's class-data sharing archive): start-up to
 *     first poll, warm 20,000-row lists and one 1,000,000-row list from drop to archive, peak RSS, and its own time
 *     per vendor call; for context, its start-up with a plain {@code java -jar} too;</li>
 * <li>the same for the naive baseline ({@link NaiveBaseline}, at {@code -Xmx1g}), and whether it survives the
 *     1,000,000-row list at {@code -Xmx128m}.</li>
 * </ul>
 *
 * <p>Run with {@code bench/run.sh [--key=value ...]}; keys: {@code big-rows} (1000000), {@code big-runs} (4: the service gets big lists of other ids one after
 * another; the target is on the median of those after the first, which is shown beside), {@code small-rows} (20000),
 * {@code warmups} (3), {@code runs} (5), {@code pipeline-runs} (5), {@code startups} (3), {@code naive}
 * (true), {@code naive-128} (true), {@code service-xmx} (128m), {@code service-jvm} (extra JVM options for the service), {@code naive-xmx} (1g), {@code keep} (false: the
 * temp folder is deleted at the end).
 */
public final class BridgeBenchmark {

    private static final ZoneId BRIDGE_ZONE = ZoneId.of("Asia/Shanghai");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> options;
    private final Path repo;
    private final Path home;
    private final Map<String, String> figures = new LinkedHashMap<>();
    private SandboxVendor sandbox;
    private SandboxProbe probe;

    private BridgeBenchmark(Map<String, String> options, Path repo, Path home) {
        this.options = options;
        this.repo = repo;
        this.home = home;
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String a = arg.startsWith("--") ? arg.substring(2) : arg;
            int eq = a.indexOf('=');
            options.put(eq < 0 ? a : a.substring(0, eq), eq < 0 ? "true" : a.substring(eq + 1));
        }
        Path repo = InProcessBridge.repo();
        Path home = Files.createTempDirectory("outbound-bridge-bench");
        BridgeBenchmark bench = new BridgeBenchmark(options, repo, home);
        try {
            bench.run();
        } finally {
            if (bench.sandbox != null) {
                bench.sandbox.close();
            }
            if (!bench.flag("keep", false)) {
                PipelineBench.deleteTree(home);
            } else {
                System.err.println("kept " + home);
            }
        }
        System.exit(0);
    }

    /** Logs of this JVM (the sandbox logs every call at INFO) down to WARN: they would cost the sandbox time. */
    static void quietLogging() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    }

    private int number(String key, int fallback) {
        return Integer.parseInt(options.getOrDefault(key, Integer.toString(fallback)).replace("_", ""));
    }

    private boolean flag(String key, boolean fallback) {
        return Boolean.parseBoolean(options.getOrDefault(key, Boolean.toString(fallback)));
    }

    private void run() throws Exception {
        int bigRows = number("big-rows", 1_000_000);
        int smallRows = number("small-rows", 20_000);
        Path jar = repo.resolve("target/outbound-bridge.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("packaged jar not found: " + jar + " (mvn -o -q package -DskipTests)");
        }
        Properties defaults = new Properties();
        try (InputStream in = Files.newInputStream(repo.resolve("config/application.properties"))) {
            defaults.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        String phonePattern = defaults.getProperty("bridge.phone.pattern");
        Profile profile = ProfileLoader.loadAll(repo.resolve("config/profiles")).get("default");

        section("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + "; work folder " + home);
        load("start");
        Path big = home.resolve("lists/big.csv");
        long t0 = System.nanoTime();
        long bigBytes = BenchRows.write(big, bigRows, "big");
        System.err.printf("generated %,d rows (%,d bytes) in %.1f s%n", bigRows, bigBytes, (System.nanoTime() - t0) / 1e9);

        section("parse+validate+plan in this JVM, one thread, " + String.format("%,d", bigRows) + " rows");
        Path warm = home.resolve("lists/warm.csv");
        BenchRows.write(warm, Math.min(bigRows, 100_000), "warm");
        PipelineBench.Rates rates = new PipelineBench(big, warm, home.resolve("pipeline"), phonePattern,
                profile.phoneGroupIdentify()).measure(number("pipeline-runs", 5), 3, true);
        System.gc();

        // no injected faults or latency; customers not recorded in full; calls logged at DEBUG
        sandbox = SandboxVendor.start(SandboxSettings.builder().appId(Sandboxes.APP_ID)
                .publicKey(TestKeys.publicKey()).recordCustomers(false).logCalls(false).build());
        RequestSigner signer = new RequestSigner(Sandboxes.APP_ID,
                PemKeys.readPrivateKey(TestKeys.get().privateKeyFile()), SignTemplate.DEFAULT, "SHA256withRSA",
                java.time.Clock.systemUTC());
        probe = new SandboxProbe(sandbox.baseUrl(), signer, profile, phonePattern, home.resolve("probe"));
        probe.run(3);
        sandbox.reset();

        Path stage = home.resolve("lists");
        List<Path> smallLists = new ArrayList<>();
        int warmups = number("warmups", 3);
        int runs = number("runs", 5);
        for (int i = 0; i < warmups + runs; i++) {
            Path f = stage.resolve("list-" + i + ".csv");
            BenchRows.write(f, smallRows, "r" + i);
            smallLists.add(f);
        }

        Side ours = new Side("ours");
        load("before ours");
        ours.answer = probeSandbox();
        measureService(ours, jar, big, smallLists, warmups);
        sandbox.reset();
        Side naive = new Side("naive");
        Side naive128 = null;
        if (flag("naive", true)) {
            load("before the naive baseline");
            naive.answer = probeSandbox();
            measureNaive(naive, big, smallLists, warmups, options.getOrDefault("naive-xmx", "1g"), true);
            sandbox.reset();
            if (flag("naive-128", true)) {
                naive128 = new Side("naive-128");
                measureNaive(naive128, big, List.of(), 0, "128m", false);
                sandbox.reset();
            }
        }
        load("end");
        printTable(bigRows, smallRows, rates, ours, naive, naive128, warmups, runs);
    }

    private final List<String> loads = new ArrayList<>();

    /**
     * Notes the machine's load average (other processes on these cores skew every figure): printed under the table.
     */
    private void load(String when) {
        try {
            String[] avg = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            String note = when + " " + avg[0] + "/" + avg[1];
            loads.add(note);
            System.err.println("  load average (1 min/5 min) " + note);
        } catch (IOException | RuntimeException e) {
            loads.add(when + " ?");
        }
    }

    /**
     * The sandbox's answer time per call just before a side is measured (200 calls in the mix of a 20,000-customer
     * list), so that side's own time per call subtracts an answer time taken in the same state of this JVM.
     */
    private SandboxProbe.Result probeSandbox() throws IOException {
        section("sandbox answer time, plain HttpClient loop (" + sandbox.baseUrl() + ")");
        System.gc();
        probe.run(1);
        SandboxProbe.Result answer = probe.run(10);
        System.err.printf("  %d calls: mean %.2f ms, median %.2f ms, p90 %.2f ms, body %,d bytes on average%n",
                answer.calls(), answer.meanMs(), answer.medianMs(), answer.p90Ms(), answer.meanBodyBytes());
        sandbox.reset();
        return answer;
    }

    // ---------------------------------------------------------------- the service

    private void measureService(Side side, Path jar, Path big, List<Path> smallLists, int warmups) throws Exception {
        String xmx = options.getOrDefault("service-xmx", "128m");
        int startups = Math.max(1, number("startups", 3));
        List<String> run = List.of("run", "--config", repo.resolve("config").toString(), "--routes",
                repo.resolve("routes").toString());
        section("service, plain java -jar (no class-data sharing archive), -Xmx" + xmx + ", " + startups + " start(s)");
        for (int k = 0; k < startups; k++) {
            Folders folders = new Folders(home.resolve("service-plain-" + k));
            String startupList = "startup-plain-" + k + ".csv";
            BenchRows.write(folders.inbox().resolve(startupList), 10, "p" + k);
            List<String> command = new ArrayList<>(List.of(JvmProcess.java()));
            command.addAll(serviceJvmOptions(folders, xmx));
            command.addAll(List.of("-jar", jar.toString()));
            command.addAll(run);
            try (JvmProcess p = JvmProcess.start(command, folders.home(), folders.home().resolve("bridge.log"))) {
                double[] times = startup(side, p, "Picked up list " + startupList);
                side.plainStartupToStarted.add(times[0]);
                side.plainStartupToPoll.add(times[1]);
                awaitServiceOutcome(p, folders, startupList, 60_000);
            }
        }
        section("service: bin/outbound-bridge (the jar with its class-data sharing archive), -Xmx" + xmx + ", "
                + startups + " start(s)");
        Path launcher = repo.resolve("bin/outbound-bridge");
        JvmProcess service = null;
        Folders folders = null;
        String startupList = null;
        for (int k = 0; k < startups; k++) {
            folders = new Folders(home.resolve("service-" + k));
            startupList = "startup-" + k + ".csv";
            BenchRows.write(folders.inbox().resolve(startupList), 10, "s" + k);
            List<String> command = new ArrayList<>(List.of(launcher.toString()));
            command.addAll(run);
            // the launcher's JVM options; the same JDK as this JVM (the one the build trained the archive with)
            Map<String, String> environment = Map.of("JAVA_OPTS", String.join(" ", serviceJvmOptions(folders, xmx)),
                    "JAVA_HOME", System.getProperty("java.home"));
            JvmProcess p = JvmProcess.start(command, environment, folders.home(), folders.home().resolve("bridge.log"));
            double[] times = startup(side, p, "Picked up list " + startupList);
            side.startupToStarted.add(times[0]);
            side.startupToPoll.add(times[1]);
            if (k < startups - 1) {
                awaitServiceOutcome(p, folders, startupList, 60_000);
                p.close();
            } else {
                service = p;
            }
        }
        try {
            awaitServiceOutcome(service, folders, startupList, 60_000);
            Folders f = folders;
            JvmProcess s = service;
            Drops drops = new Drops() {
                @Override
                public Path inbox() {
                    return f.inbox();
                }

                @Override
                public long awaitDone(String name, long timeoutMillis) throws Exception {
                    return awaitServiceOutcome(s, f, name, timeoutMillis);
                }

                @Override
                public long pickedUpAt(String name) throws IOException {
                    return Instant.parse(serviceReport(f, name).path("start").asText()).toEpochMilli();
                }
            };
            measureDrops(side, service, drops, big, smallLists, warmups, "ours");
        } finally {
            service.close();
        }
    }

    /** -Xmx and the test settings as -D options (values without spaces: temp folders, URLs, numbers). */
    private List<String> serviceJvmOptions(Folders folders, String xmx) {
        List<String> options = new ArrayList<>(List.of("-Xmx" + xmx));
        // extra JVM options for the service, e.g. --service-jvm=-XX:StartFlightRecording=filename=ours.jfr
        for (String extra : this.options.getOrDefault("service-jvm", "").split(" ")) {
            if (!extra.isBlank()) {
                options.add(extra);
            }
        }
        Map<String, String> settings = new TreeMap<>(InProcessBridge.testSettings(folders, sandbox));
        // the management endpoint as shipped (on), on any free port
        settings.put("camel.management.enabled", "true");
        settings.put("camel.management.port", "0");
        settings.forEach((key, value) -> options.add("-D" + key + "=" + value));
        return options;
    }

    /** Waits for {@code name} in the archive with its result.json; returns the epoch millis it was seen there. */
    private long awaitServiceOutcome(JvmProcess p, Folders folders, String name, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        List<Path> days = dayFolders();
        while (System.currentTimeMillis() < deadline) {
            for (Path day : days) {
                Path archived = folders.archive().resolve(day).resolve(name);
                if (Files.exists(archived) && Files.exists(archived.resolveSibling(name + ".result.json"))) {
                    return System.currentTimeMillis();
                }
                Path error = folders.error().resolve(day).resolve(name + ".error.json");
                if (Files.exists(error)) {
                    throw new IllegalStateException(name + " went to error: " + Files.readString(error) + "\n"
                            + p.tail(40));
                }
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the service died while processing " + name + "\n" + p.tail(60));
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("no outcome for " + name + " within " + timeoutMillis + " ms\n" + p.tail(60));
    }

    private JsonNode serviceReport(Folders folders, String name) throws IOException {
        for (Path day : dayFolders()) {
            Path report = folders.archive().resolve(day).resolve(name + ".result.json");
            if (Files.exists(report)) {
                return JSON.readTree(report.toFile());
            }
        }
        throw new IllegalStateException("no result.json for " + name);
    }

    /** The day folders a list may be filed in (processing day in bridge.timezone; around midnight, either). */
    private static List<Path> dayFolders() {
        LocalDate today = LocalDate.now(BRIDGE_ZONE);
        return List.of(Path.of(today.toString()), Path.of(today.minusDays(1).toString()),
                Path.of(today.plusDays(1).toString()));
    }

    // ---------------------------------------------------------------- the naive baseline

    private void measureNaive(Side side, Path big, List<Path> smallLists, int warmups, String xmx, boolean full)
            throws Exception {
        section("naive baseline: Camel Main + one YAML route, -Xmx" + xmx);
        Path dir = home.resolve("naive-" + xmx);
        Path inbox = dir.resolve("inbox");
        Path done = dir.resolve("done");
        Path failed = dir.resolve("failed");
        BenchRows.write(inbox.resolve("startup.csv"), 10, "n" + xmx);
        List<String> command = new ArrayList<>(List.of(JvmProcess.java(), "-Xmx" + xmx, "-XX:+ExitOnOutOfMemoryError",
                "-Dnaive.inbox=" + inbox, "-Dnaive.done=" + done, "-Dnaive.failed=" + failed,
                "-Dnaive.base-url=" + sandbox.baseUrl(), "-Dnaive.app-id=" + Sandboxes.APP_ID,
                "-Dnaive.private-key=" + TestKeys.get().privateKeyFile(),
                "-Dnaive.profiles=" + repo.resolve("config/profiles"),
                "-cp", System.getProperty("java.class.path"), NaiveBaseline.class.getName()));
        JvmProcess p = JvmProcess.start(command, dir, dir.resolve("naive.log"));
        try {
            if (full) {
                double[] times = startup(side, p, "Picked up startup.csv");
                side.startupToStarted.add(times[0]);
                side.startupToPoll.add(times[1]);
            } else if (p.awaitLogLine("Picked up startup.csv", 60_000) < 0) {
                throw new IllegalStateException("the naive baseline did not start\n" + p.tail(40));
            }
            Drops drops = new Drops() {
                @Override
                public Path inbox() {
                    return inbox;
                }

                @Override
                public long awaitDone(String name, long timeoutMillis) throws Exception {
                    long deadline = System.currentTimeMillis() + timeoutMillis;
                    while (System.currentTimeMillis() < deadline) {
                        if (Files.exists(done.resolve(name))) {
                            return System.currentTimeMillis();
                        }
                        if (Files.exists(failed.resolve(name))) {
                            throw new IllegalStateException(name + " failed in the naive baseline\n" + p.tail(40));
                        }
                        if (!p.isAlive()) {
                            throw new NaiveDied(p.exitValue(), p.tail(15));
                        }
                        Thread.sleep(2);
                    }
                    throw new IllegalStateException("naive: no outcome for " + name + "\n" + p.tail(40));
                }

                @Override
                public long pickedUpAt(String name) throws InterruptedException {
                    return p.awaitLogLine("Picked up " + name, 5_000);
                }
            };
            drops.awaitDone("startup.csv", 60_000);
            try {
                measureDrops(side, p, drops, big, smallLists, warmups, "naive-" + xmx);
            } catch (NaiveDied e) {
                side.died = String.format("died (exit %d) %.1f s after the drop: %s", e.exit,
                        (System.currentTimeMillis() - side.bigDroppedAt) / 1000.0,
                        e.tail.contains("OutOfMemoryError") ? "java.lang.OutOfMemoryError" : "see its log");
                System.err.println("  " + side.died);
            }
        } finally {
            p.close();
        }
    }

    private static final class NaiveDied extends Exception {
        final int exit;
        final String tail;

        NaiveDied(int exit, String tail) {
            super("naive baseline exited with " + exit);
            this.exit = exit;
            this.tail = tail;
        }
    }

    // ---------------------------------------------------------------- shared measurements

    /** What one side of the comparison measured. */
    static final class Side {
        final String name;
        final List<Double> startupToPoll = new ArrayList<>();
        final List<Double> startupToStarted = new ArrayList<>();
        /** Ours only: started with a plain java -jar, without the class-data sharing archive. */
        final List<Double> plainStartupToPoll = new ArrayList<>();
        final List<Double> plainStartupToStarted = new ArrayList<>();
        final List<Drop> small = new ArrayList<>();
        /** Every big list, in order. */
        final List<Drop> bigs = new ArrayList<>();
        String died;
        long bigDroppedAt;
        long idleRssKb;
        SandboxProbe.Result answer;

        Side(String name) {
            this.name = name;
        }

        /** The last big list, or null. */
        Drop big() {
            return bigs.isEmpty() ? null : bigs.get(bigs.size() - 1);
        }

        /** The first big list after start-up (JIT still compiling the hot path), or null. */
        Drop bigFirst() {
            return bigs.isEmpty() ? null : bigs.get(0);
        }
    }

    /** One list from drop to archive. */
    record Drop(long rows, long dropToDoneMs, long pickupToDoneMs, long peakRssKb, long sampledRssKb, int calls,
            double cycleMs, long pickupToFirstCallMs, long sendingMs, long lastCallToDoneMs,
            double cpuMsPerCall, double sandboxMsPerCall) {
    }

    interface Drops {
        Path inbox();

        long awaitDone(String name, long timeoutMillis) throws Exception;

        long pickedUpAt(String name) throws Exception;
    }

    /** Seconds from spawning {@code p} to Camel's {@code started in}, and to {@code firstPollLine}. */
    private static double[] startup(Side side, JvmProcess p, String firstPollLine) throws Exception {
        long started = p.awaitLogLine("started in", 60_000);
        long polled = p.awaitLogLine(firstPollLine, 60_000);
        if (started < 0 || polled < 0) {
            throw new IllegalStateException(side.name + " did not start\n" + p.tail(40));
        }
        double[] times = {(started - p.spawnedAtMillis()) / 1000.0, (polled - p.spawnedAtMillis()) / 1000.0};
        System.err.printf("  start-up: Camel started %.2f s, first poll (list picked up) %.2f s after spawn%n",
                times[0], times[1]);
        return times;
    }

    private void measureDrops(Side side, JvmProcess p, Drops drops, Path big, List<Path> smallLists, int warmups,
            String prefix) throws Exception {
        side.idleRssKb = p.statusKb("VmRSS");
        for (int i = 0; i < warmups; i++) {
            dropSmall(side, p, drops, smallLists.get(i), prefix, "warm-up");
        }
        measureBig(side, p, drops, big, prefix);
        // the measured small lists come after the big ones: by then every path of the service is compiled
        for (int i = warmups; i < smallLists.size(); i++) {
            side.small.add(dropSmall(side, p, drops, smallLists.get(i), prefix, "run"));
        }
    }

    private Drop dropSmall(Side side, JvmProcess p, Drops drops, Path list, String prefix, String what)
            throws Exception {
        Drop d = drop(p, drops, list, prefix + "-" + list.getFileName(), 60_000, side);
        System.err.printf("  %-7s %,d rows: drop->archive %d ms, pick-up->archive %d ms, peak RSS %d MB, %d calls,"
                + " %.2f ms/call, sandbox %.2f ms/call%n", what, d.rows(), d.dropToDoneMs(), d.pickupToDoneMs(),
                d.peakRssKb() / 1024, d.calls(), d.cycleMs(), d.sandboxMsPerCall());
        return d;
    }

    private void measureBig(Side side, JvmProcess p, Drops drops, Path big, String prefix) throws Exception {
        int bigRuns = side.name.startsWith("ours") ? Math.max(1, number("big-runs", 4)) : 1;
        for (int k = 0; k < bigRuns; k++) {
            // another content each time: the service sends a content only once
            Path list = k == 0 ? big : bigTwin(big, k);
            Drop d = drop(p, drops, list, prefix + "-big" + (k == 0 ? "" : "-" + (k + 1)) + ".csv", 600_000, side);
            side.bigs.add(d);
            System.err.printf("  big #%d %,d rows: drop->archive %d ms, pick-up->archive %d ms (to first call %d ms,"
                    + " sending %d ms, after last call %d ms), peak RSS %d MB (sampled %d MB), %d calls, %.2f ms/call,"
                    + " service CPU %.2f ms/call%n", k + 1, d.rows(), d.dropToDoneMs(), d.pickupToDoneMs(),
                    d.pickupToFirstCallMs(), d.sendingMs(), d.lastCallToDoneMs(), d.peakRssKb() / 1024,
                    d.sampledRssKb() / 1024, d.calls(), d.cycleMs(), d.cpuMsPerCall());
        }
    }

    /** A list like {@code big} with other ids (the same size and shape), written once beside it. */
    private static Path bigTwin(Path big, int k) throws IOException {
        Path twin = big.resolveSibling("big-" + (k + 1) + ".csv");
        if (!Files.exists(twin)) {
            BenchRows.write(twin, (int) countRows(big), "big" + (k + 1));
        }
        return twin;
    }

    /** Drops {@code source} (hard-linked, else copied, outside the inbox, then renamed in) and waits for its outcome. */
    private Drop drop(JvmProcess p, Drops drops, Path source, String name, long timeoutMillis, Side side)
            throws Exception {
        Path staged = home.resolve("staging").resolve(name);
        Files.createDirectories(staged.getParent());
        Files.deleteIfExists(staged);
        try {
            Files.createLink(staged, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, staged, StandardCopyOption.COPY_ATTRIBUTES);
        }
        long rows = countRows(source);
        int callsBefore = sandbox.calls().size();
        boolean resetWorked = p.resetPeakRss();
        p.startSampling(10);
        long dropped = System.currentTimeMillis();
        side.bigDroppedAt = dropped;
        Files.move(staged, drops.inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
        long doneAt;
        try {
            doneAt = drops.awaitDone(name, timeoutMillis);
        } finally {
            p.stopSampling();
        }
        long sampled = p.stopSampling();
        long hwm = resetWorked ? p.statusKb("VmHWM") : sampled;
        long pickedUp = drops.pickedUpAt(name);
        List<RecordedCall> calls = sandbox.calls();
        calls = calls.subList(callsBefore, calls.size());
        for (RecordedCall c : calls) {
            if (c.httpStatus() != 200 || !"10000".equals(c.code())) {
                throw new IllegalStateException("a call was not accepted: " + c);
            }
        }
        double cycle = 0;
        long toFirst = 0;
        long sending = 0;
        long afterLast = 0;
        if (!calls.isEmpty()) {
            Instant first = calls.get(0).arrivedAt();
            Instant last = calls.get(calls.size() - 1).arrivedAt();
            cycle = calls.size() < 2 ? 0 : java.time.Duration.between(first, last).toNanos() / 1e6 / (calls.size() - 1);
            toFirst = first.toEpochMilli() - pickedUp;
            sending = last.toEpochMilli() - first.toEpochMilli();
            afterLast = doneAt - last.toEpochMilli();
            long[] reading = p.maxRssBetween(dropped, first.toEpochMilli());
            long[] sendingRss = p.maxRssBetween(first.toEpochMilli(), doneAt);
            System.err.printf("    peak RSS sampled before the first call %d MB (file-backed %d MB), from it to the"
                    + " archive %d MB (file-backed %d MB)%n", reading[0] / 1024, reading[1] / 1024,
                    sendingRss[0] / 1024, sendingRss[1] / 1024);
        }
        double cpuPerCall = -1;
        if (calls.size() > 1) {
            long cpu = p.cpuMillisBetween(calls.get(0).arrivedAt().toEpochMilli(),
                    calls.get(calls.size() - 1).arrivedAt().toEpochMilli());
            cpuPerCall = cpu < 0 ? -1 : (double) cpu / (calls.size() - 1);
        }
        // the sandbox's own time for these very calls, from each request's arrival to its answer written
        long[] handling = sandbox.recentHandlingNanos();
        double sandboxPerCall = calls.isEmpty() || calls.size() > handling.length ? Double.NaN
                : java.util.Arrays.stream(handling, handling.length - calls.size(), handling.length).average()
                        .orElse(Double.NaN) / 1e6;
        return new Drop(rows, doneAt - dropped, doneAt - pickedUp, hwm, Math.max(sampled, 0), calls.size(), cycle,
                toFirst, sending, afterLast, cpuPerCall, sandboxPerCall);
    }

    private static final Map<Path, Long> ROWS = new HashMap<>();

    private static long countRows(Path file) throws IOException {
        Long known = ROWS.get(file);
        if (known == null) {
            known = BenchRows.count(file);
            ROWS.put(file, known);
        }
        return known;
    }

    // ---------------------------------------------------------------- the table

    private void printTable(int bigRows, int smallRows, PipelineBench.Rates rates, Side ours, Side naive, Side naive128, int warmups, int runs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"metric", "ours", "naive baseline", "target", "met?"});
        rows.add(new String[] {String.format("parse+validate+plan, rows/s (in-process, %,d rows, median of %s)",
                bigRows, options.getOrDefault("pipeline-runs", "5")),
            rate(rates.ours()), rate(rates.bindy()) + " (Bindy whole-file unmarshal only)", ">= 300,000",
            met(rates.ours() >= 300_000)});
        rows.add(new String[] {"  context: our reader (splitter + Bindy binding) / splitter alone, rows/s",
            rate(rates.reader()) + " / " + rate(rates.splitter()), "", "", ""});
        String small = String.format("%,d rows", smallRows);
        rows.add(new String[] {small + ", pick-up -> archive, warm (median of " + runs + ", after " + warmups
                + " warm-up lists and the big lists)",
            seconds(median(ours.small, Drop::pickupToDoneMs)), seconds(median(naive.small, Drop::pickupToDoneMs)),
            "<= 0.4 s", met(median(ours.small, Drop::pickupToDoneMs) <= 400)});
        rows.add(new String[] {small + ", drop -> archive, warm (median; includes poll + read lock)",
            seconds(median(ours.small, Drop::dropToDoneMs)), seconds(median(naive.small, Drop::dropToDoneMs)), "", ""});
        rows.add(new String[] {small + ", peak RSS (VmHWM, highest of the runs)",
            mb(max(ours.small, Drop::peakRssKb)), mb(max(naive.small, Drop::peakRssKb)), "", ""});
        String bigName = String.format("%,d rows", bigRows);
        if (ours.bigFirst() != null && ours.bigFirst() != ours.big()) {
            rows.add(new String[] {bigName + ", pick-up -> archive, first big list after start-up (JIT still warming)",
                seconds(ours.bigFirst().pickupToDoneMs()) + " (sending " + seconds(ours.bigFirst().sendingMs()) + ")", "-",
                "", ""});
        }
        // the service warm: the big lists after the first, when there are several
        List<Drop> warmBigs = ours.bigs.size() > 1 ? ours.bigs.subList(1, ours.bigs.size()) : ours.bigs;
        long warmBig = warmBigs.isEmpty() ? -1 : median(warmBigs, Drop::pickupToDoneMs);
        rows.add(new String[] {bigName + ", pick-up -> archive" + (ours.bigs.size() > 1 ? ", warm: median of big lists 2 to "
                + ours.bigs.size() + " (" + String.join(" / ", warmBigs.stream().map(d -> seconds(d.pickupToDoneMs()))
                        .toList()) + ")" : ""),
            warmBigs.isEmpty() ? "-" : seconds(warmBig),
            naive.big() == null ? "-" : seconds(naive.big().pickupToDoneMs()), "<= 6 s",
            met(!warmBigs.isEmpty() && warmBig <= 6000)});
        rows.add(new String[] {bigName + ", drop -> archive (last big list)", ours.big() == null ? "-" : seconds(ours.big().dropToDoneMs()),
            naive.big() == null ? "-" : seconds(naive.big().dropToDoneMs()), "", ""});
        long oursPeak = ours.bigs.isEmpty() ? -1 : max(ours.bigs, Drop::peakRssKb);
        rows.add(new String[] {bigName + ", peak RSS (VmHWM from drop to archive; highest of the big lists)",
            ours.big() == null ? "-" : mb(oursPeak) + " (-Xmx" + options.getOrDefault("service-xmx", "128m") + ")",
            naive.big() == null ? "-" : mb(naive.big().peakRssKb()) + " (-Xmx" + options.getOrDefault("naive-xmx", "1g") + ")",
            "<= 300 MB", met(ours.big() != null && oursPeak <= 300 * 1024)});
        if (naive128 != null) {
            rows.add(new String[] {bigName + ", naive baseline at -Xmx128m", "",
                naive128.died != null ? naive128.died
                        : naive128.big() == null ? "-" : "survived: " + seconds(naive128.big().pickupToDoneMs()), "", ""});
        }
        rows.add(new String[] {bigName + ", phases of the last big list: pick-up -> first call / sending / last call -> archive",
            phases(ours.big()), phases(naive.big()), "", ""});
        rows.add(new String[] {"sandbox answer time per 1000-customer call (plain client loop before each side;"
                + " mean / median)", answer(ours.answer), answer(naive.answer), "", ""});
        // the literal measure: calls that go one after another (a 20,000-row list is one task), where the interval
        // between two calls' arrivals is the sandbox's answer plus everything the service does before the next call
        rows.add(new String[] {"own time per vendor call (" + small + " lists = one task, calls one after another,"
                + " after the big lists: mean call-to-call - the sandbox's own time for the same calls)",
            ms(ownSmall(ours)), ms(ownSmall(naive)), "<= 2.5 ms", met(ownSmall(ours) <= 2.5)});
        rows.add(new String[] {"  context: the sandbox's own time per call in those lists / the service's CPU ms per"
                + " call (its JIT and GC threads included)",
            ms(sandboxSmall(ours)) + " / " + ms(cpuSmall(ours)), ms(sandboxSmall(naive)) + " / " + ms(cpuSmall(naive)),
            "", ""});
        // with tasks side by side, calls overlap and call-to-call no longer measures one call: the service's CPU does
        double cpuBig = ours.big() == null ? Double.NaN : ours.big().cpuMsPerCall();
        rows.add(new String[] {"  context: " + bigName + ", service CPU ms per call while sending (tasks side by side;"
                + " JIT and GC threads included)",
            ms(cpuBig), ms(naive.big() == null ? Double.NaN : naive.big().cpuMsPerCall()), "", ""});
        rows.add(new String[] {"start-up to first poll (spawn -> first list picked up; median of "
                + ours.startupToPoll.size() + ")", seconds(medianD(ours.startupToPoll)),
            seconds(medianD(naive.startupToPoll)), "<= 1.5 s", met(medianD(ours.startupToPoll) <= 1.5)});
        rows.add(new String[] {"start-up to Camel started (spawn -> 'started in')", seconds(medianD(ours.startupToStarted)),
            seconds(medianD(naive.startupToStarted)), "", ""});
        rows.add(new String[] {"  ours with a plain java -jar (no class-data sharing archive): to first poll / to started",
            seconds(medianD(ours.plainStartupToPoll)) + " / " + seconds(medianD(ours.plainStartupToStarted)), "", "",
            ""});
        rows.add(new String[] {"idle RSS after start-up and one small list", mb(ours.idleRssKb), mb(naive.idleRssKb), "", ""});

        int[] widths = new int[5];
        for (String[] r : rows) {
            for (int c = 0; c < 5; c++) {
                widths[c] = Math.max(widths[c], r[c].length());
            }
        }
        StringBuilder out = new StringBuilder("\n");
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            out.append("| ");
            for (int c = 0; c < 5; c++) {
                out.append(String.format("%-" + widths[c] + "s", r[c])).append(c < 4 ? " | " : " |");
            }
            out.append('\n');
            if (i == 0) {
                out.append('|');
                for (int c = 0; c < 5; c++) {
                    out.append("-".repeat(widths[c] + 2)).append('|');
                }
                out.append('\n');
            }
        }
        out.append(String.format("%nours: bin/outbound-bridge run (target/outbound-bridge.jar with its class-data sharing"
                + " archive), -Xmx%s, poll delay 50 ms, read lock min age"
                + " 100 ms; naive: NaiveBaseline (naive-baseline.camel.yaml) at -Xmx%s; sandbox in the benchmark JVM,"
                + " recordCustomers(false), no faults; %d cores%n", options.getOrDefault("service-xmx", "128m"),
                options.getOrDefault("naive-xmx", "1g"), Runtime.getRuntime().availableProcessors()));
        out.append("load average (1 min/5 min; above " + Runtime.getRuntime().availableProcessors()
                + " means other processes competed for the cores): " + String.join(", ", loads) + "\n");
        System.out.print(out);
        System.out.flush();
    }

    interface Field {
        long of(Drop d);
    }

    private static long median(List<Drop> drops, Field f) {
        if (drops.isEmpty()) {
            return -1;
        }
        long[] v = drops.stream().mapToLong(f::of).sorted().toArray();
        return v[v.length / 2];
    }

    private static long max(List<Drop> drops, Field f) {
        return drops.stream().mapToLong(f::of).max().orElse(-1);
    }

    private static double medianD(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v[v.length / 2];
    }

    /** Mean over the measured small lists of (mean call-to-call - the sandbox's own mean time for the same calls). */
    private static double ownSmall(Side side) {
        return side.small.stream().mapToDouble(d -> d.cycleMs() - d.sandboxMsPerCall()).average().orElse(Double.NaN);
    }

    private static double sandboxSmall(Side side) {
        return side.small.stream().mapToDouble(Drop::sandboxMsPerCall).average().orElse(Double.NaN);
    }

    private static double cpuSmall(Side side) {
        return side.small.stream().mapToDouble(Drop::cpuMsPerCall).filter(v -> v >= 0).average().orElse(Double.NaN);
    }

    private static String answer(SandboxProbe.Result a) {
        return a == null ? "-" : String.format(Locale.ROOT, "%.2f / %.2f ms (%,d-byte bodies)", a.meanMs(),
                a.medianMs(), a.meanBodyBytes());
    }

    private static String phases(Drop d) {
        return d == null ? "-" : String.format("%s / %s / %s", seconds(d.pickupToFirstCallMs()), seconds(d.sendingMs()),
                seconds(d.lastCallToDoneMs()));
    }

    private static String rate(double r) {
        return r < 0 ? "n/a" : String.format("%,.0f", r);
    }

    private static String seconds(long millis) {
        return millis < 0 ? "-" : String.format(Locale.ROOT, "%.3f s", millis / 1000.0);
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%.2f s", s);
    }

    private static String ms(double m) {
        return Double.isNaN(m) || m < 0 ? "-" : String.format(Locale.ROOT, "%.2f ms", m);
    }

    private static String mb(long kb) {
        return kb <= 0 ? "-" : String.format("%d MB", Math.round(kb / 1024.0));
    }

    private static String met(boolean ok) {
        return ok ? "yes" : "NO";
    }

    private static void section(String title) {
        System.err.println("== " + title);
    }
}
