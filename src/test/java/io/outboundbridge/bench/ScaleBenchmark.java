package io.outboundbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.ledger.LedgerSettings;
import io.outboundbridge.ledger.LocalPostgres;
import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.SandboxSettings;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.TestKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The benchmark of issue 14 (a main that prints figures, not a test): lists side by side and instances side by side.
 *
 * <ul>
 * <li>(a) 300 lists of 20 rows dropped at once, the sandbox answering at once: lists/s and ms per list of the
 *     packaged jar ({@code bridge.parallel-lists} 4, the default, and 1), against the naive baseline in the same
 *     run;</li>
 * <li>(b) 300 lists of 2,000 rows dropped at once, the sandbox answering every call after 50 ms: one instance with
 *     {@code bridge.parallel-lists} 1 and 4, then 2 and 3 instances (4 each) on one throw-away PostgreSQL ledger and
 *     shared folders: lists/s and the ratio to one instance;</li>
 * <li>(c) takeover: two instances, the one working on a list killed with SIGKILL while the sandbox holds one of its
 *     appends; the time from the kill until the list is in the archive with its result.json, filed by the other;
 *     over 5 kills, median and max.</li>
 * </ul>
 *
 * <p>(b) with several instances and (c) need instance claims ({@code bridge.instance.lease} in
 * config/application.properties); without them those rows say so. Run with {@code bench/run.sh --only=scale} (or
 * the whole benchmark); keys: {@code scale-lists} (300), {@code scale-small-rows} (20), {@code scale-rows} (2000),
 * {@code scale-latency} (50 ms), {@code scale-kills} (5), {@code scale-lease} (5000 ms, for (c)), {@code scale-parts}
 * (abc), {@code keep}.
 */
public final class ScaleBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> options;
    private final Path repo;
    private final Path home;
    private final Path jar;
    private final boolean claims;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private ScaleBenchmark(Map<String, String> options, Path repo, Path home) throws IOException {
        this.options = options;
        this.repo = repo;
        this.home = home;
        this.jar = repo.resolve("target/outbound-bridge.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("packaged jar not found: " + jar + " (mvn -o -q package -DskipTests)");
        }
        Properties defaults = new Properties();
        try (InputStream in = Files.newInputStream(repo.resolve("config/application.properties"))) {
            defaults.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        this.claims = defaults.getProperty("bridge.instance.lease") != null;
    }

    public static void main(String[] args) throws Exception {
        BridgeBenchmark.quietLogging();
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String a = arg.startsWith("--") ? arg.substring(2) : arg;
            int eq = a.indexOf('=');
            options.put(eq < 0 ? a : a.substring(0, eq), eq < 0 ? "true" : a.substring(eq + 1));
        }
        Path home = Files.createTempDirectory("outbound-bridge-scale");
        // the PostgreSQL cluster runs as user postgres when this runs as root: it must reach its folder
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        ScaleBenchmark bench = new ScaleBenchmark(options, InProcessBridge.repo(), home);
        try {
            bench.run();
        } finally {
            if (!Boolean.parseBoolean(options.getOrDefault("keep", "false"))) {
                PipelineBench.deleteTree(home);
            } else {
                System.err.println("kept " + home);
            }
        }
        System.exit(0);
    }

    private int number(String key, int fallback) {
        return Integer.parseInt(options.getOrDefault(key, Integer.toString(fallback)).replace("_", ""));
    }

    private void run() throws Exception {
        String parts = options.getOrDefault("scale-parts", "abc");
        long started = System.nanoTime();
        String load = load();
        if (parts.contains("a")) {
            partA();
        }
        if (parts.contains("b") || parts.contains("c")) {
            if (LocalPostgres.unavailable().isPresent()) {
                rows.add(new String[] {"(b), (c)", "not run: " + LocalPostgres.unavailable().get(), "", ""});
            } else {
                Path pgDir = Files.createDirectories(home.resolve("pg"));
                try (LocalPostgres pg = LocalPostgres.start(pgDir)) {
                    if (parts.contains("b")) {
                        partB(pg);
                    }
                    if (parts.contains("c")) {
                        partC(pg);
                    }
                }
            }
        }
        printTable(load, load(), (System.nanoTime() - started) / 1e9);
    }

    // ---------------------------------------------------------------- (a) many small lists, no latency

    private void partA() throws Exception {
        int lists = number("scale-lists", 300);
        int smallRows = number("scale-small-rows", 20);
        section("(a) " + lists + " lists of " + smallRows + " rows at once, sandbox without latency");
        Path stage = home.resolve("stage-a");
        writeLists(stage, "a", lists, smallRows);
        try (SandboxVendor sandbox = sandbox(Duration.ZERO)) {
            double ours4 = 0;
            for (int parallel : new int[] {4, 1}) {
                Folders folders = new Folders(home.resolve("a-ours-" + parallel));
                Map<String, String> settings = serviceSettings(folders, sandbox, null, parallel, null);
                try (JvmProcess p = startService(folders.home(), settings, "128m")) {
                    double seconds = dropAndAwait(stage, folders.inbox(), List.of(p),
                            () -> countFiles(folders.archive(), ".result.json"), () -> countFiles(folders.error(),
                                    ".error.json"), lists);
                    if (parallel == 4) {
                        ours4 = seconds;
                    }
                    rows.add(new String[] {String.format("(a) %d x %d rows, ours, bridge.parallel-lists %d%s", lists,
                            smallRows, parallel, parallel == 4 ? " (default)" : ""), rate(lists, seconds),
                            parallel == 4 ? "<= 10 ms a list" : "", parallel == 4 ? met(seconds * 1000 / lists <= 10) : ""});
                }
                moveBack(folders.archive(), stage);
                sandbox.reset();
            }
            Path naive = home.resolve("a-naive");
            try (JvmProcess p = startNaive(naive, sandbox)) {
                double seconds = dropAndAwait(stage, naive.resolve("inbox"), List.of(p),
                        () -> countFiles(naive.resolve("done"), ".csv"), () -> countFiles(naive.resolve("failed"),
                                ".csv"), lists);
                rows.add(new String[] {String.format("(a) %d x %d rows, naive baseline (no validation, ledger or "
                        + "reports)", lists, smallRows), rate(lists, seconds), "", ""});
                rows.add(new String[] {"(a) ours (parallel lists 4) / naive, time", String.format("%.2f", ours4 / seconds),
                        "", ""});
            }
        }
    }

    // ---------------------------------------------------------------- (b) lists and instances side by side

    private void partB(LocalPostgres pg) throws Exception {
        int lists = number("scale-lists", 300);
        int listRows = number("scale-rows", 2000);
        int latency = number("scale-latency", 50);
        section("(b) " + lists + " lists of " + listRows + " rows at once, sandbox answering after " + latency + " ms");
        Path stage = home.resolve("stage-b");
        writeLists(stage, "b", lists, listRows);
        double one = 0;
        double oneP1 = 0;
        try (SandboxVendor sandbox = sandbox(Duration.ofMillis(latency))) {
            int[][] setups = {{1, 1}, {1, 4}, {2, 4}, {3, 4}};
            for (int[] setup : setups) {
                int instances = setup[0];
                int parallel = setup[1];
                String label = String.format("(b) %d x %d rows, %d instance%s, bridge.parallel-lists %d", lists,
                        listRows, instances, instances == 1 ? "" : "s", parallel);
                if (instances > 1 && !claims) {
                    rows.add(new String[] {label, "not run: needs instance claims (the claims branch)", "", ""});
                    continue;
                }
                Path shared = home.resolve("b-" + instances + "-" + parallel);
                Folders folders = new Folders(shared);
                LedgerSettings ledger = pg.newDatabase();
                List<JvmProcess> processes = new ArrayList<>();
                try {
                    for (int i = 1; i <= instances; i++) {
                        processes.add(startService(shared.resolve("instance-" + i),
                                serviceSettings(folders, sandbox, ledger, parallel, "bench-" + i), "256m"));
                    }
                    double seconds = dropAndAwait(stage, folders.inbox(), processes,
                            () -> countFiles(folders.archive(), ".result.json"),
                            () -> countFiles(folders.error(), ".error.json"), lists);
                    String target = "";
                    String ratio = "";
                    String met = "";
                    if (instances == 1 && parallel == 1) {
                        oneP1 = seconds;
                    } else if (instances == 1) {
                        one = seconds;
                        ratio = String.format("%.2fx parallel lists 1", oneP1 / seconds);
                        target = ">= 3x parallel lists 1";
                        met = met(oneP1 / seconds >= 3);
                    } else {
                        ratio = String.format("%.2fx one instance", one / seconds);
                        double want = instances == 2 ? 1.8 : 2.5;
                        target = ">= " + want + "x one instance";
                        met = met(one / seconds >= want);
                    }
                    rows.add(new String[] {label, rate(lists, seconds) + (ratio.isEmpty() ? "" : "; " + ratio), target,
                            met});
                    if (instances > 1) {
                        rows.add(new String[] {"    lists filed by each instance", filedBy(folders.archive()), "", ""});
                    }
                } finally {
                    processes.forEach(JvmProcess::close);
                }
                moveBack(folders.archive(), stage);
                sandbox.reset();
            }
        }
    }

    // ---------------------------------------------------------------- (c) takeover

    private void partC(LocalPostgres pg) throws Exception {
        int kills = number("scale-kills", 5);
        int lease = number("scale-lease", 5000);
        section("(c) takeover after kill -9, " + kills + " kills, bridge.instance.lease " + lease + " ms");
        String label = String.format("(c) takeover: kill -9 of the instance mid-list -> list filed by the other "
                + "(lease %d ms; %d kills)", lease, kills);
        if (!claims) {
            rows.add(new String[] {label, "not run: needs instance claims (the claims branch)", "", ""});
            return;
        }
        Path shared = home.resolve("c");
        Folders folders = new Folders(shared);
        LedgerSettings ledger = pg.newDatabase();
        List<Double> times = new ArrayList<>();
        try (SandboxVendor sandbox = sandbox(Duration.ZERO)) {
            Map<String, JvmProcess> running = new LinkedHashMap<>();
            int started = 0;
            try {
                for (int k = 1; k <= kills; k++) {
                    while (running.size() < 2) {
                        started++;
                        String id = "bench-c" + started;
                        Map<String, String> settings = serviceSettings(folders, sandbox, ledger, 4, id);
                        settings.put("bridge.instance.lease", Integer.toString(lease));
                        running.put(id, startService(shared.resolve(id), settings, "256m"));
                    }
                    String list = "takeover-" + k + ".csv";
                    String hold = "kill-" + k;
                    // the create goes through; the first append is held: the kill comes mid-list, with a request in
                    // flight (the one that may reach the vendor twice)
                    sandbox.enqueue(Fault.hold(hold).onAppend());
                    Path staged = home.resolve("stage-c").resolve(list);
                    BenchRows.write(staged, 3000, "c" + k);
                    Files.move(staged, folders.inbox().resolve(list), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    if (!sandbox.awaitHeld(hold, Duration.ofSeconds(60))) {
                        throw new IllegalStateException("no append of " + list + " reached the sandbox");
                    }
                    String victim = null;
                    for (Map.Entry<String, JvmProcess> e : running.entrySet()) {
                        if (e.getValue().log().contains("Picked up list " + list)) {
                            victim = e.getKey();
                        }
                    }
                    if (victim == null) {
                        throw new IllegalStateException("no instance logged picking up " + list);
                    }
                    JvmProcess dying = running.remove(victim);
                    long killedAt = System.nanoTime();
                    kill9(dying);
                    JsonNode report = awaitReport(folders.archive(), list, Duration.ofMillis(lease + 60_000L),
                            running.values());
                    double seconds = (System.nanoTime() - killedAt) / 1e9;
                    String by = report.path("instance").asText("?");
                    System.err.printf("  kill %d: %s killed, %s filed by %s after %.2f s%n", k, victim, list, by,
                            seconds);
                    if (by.equals(victim)) {
                        throw new IllegalStateException(list + " filed by the killed instance " + victim);
                    }
                    times.add(seconds);
                    dying.close();
                    // the held request's connection is gone: let it go
                    sandbox.release(hold);
                }
            } finally {
                running.values().forEach(JvmProcess::close);
            }
        }
        List<Double> sorted = times.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        double max = sorted.get(sorted.size() - 1);
        double target = lease / 1000.0 + 5;
        rows.add(new String[] {label, String.format("median %.2f s, max %.2f s (each: %s)", median, max,
                String.join(", ", times.stream().map(t -> String.format("%.2f", t)).toList())),
                String.format("<= lease + 5 s = %.1f s", target), met(max <= target)});
    }

    // ---------------------------------------------------------------- helpers

    private static SandboxVendor sandbox(Duration latency) {
        return SandboxVendor.start(SandboxSettings.builder().appId(Sandboxes.APP_ID).publicKey(TestKeys.publicKey())
                .recordCustomers(false).logCalls(false).answerLatency(latency).build());
    }

    /** The test settings, a ledger (null: the embedded H2 in the instance's data folder) and the instance id. */
    private static Map<String, String> serviceSettings(Folders folders, SandboxVendor sandbox, LedgerSettings ledger,
            int parallelLists, String instance) {
        Map<String, String> s = new HashMap<>(InProcessBridge.testSettings(folders, sandbox));
        s.put("bridge.parallel-lists", Integer.toString(parallelLists));
        s.put("vendor.read-timeout", "60000");
        if (ledger != null) {
            s.put("bridge.ledger.url", ledger.url());
            s.put("bridge.ledger.user", ledger.user());
            s.put("bridge.ledger.password", ledger.password());
        }
        if (instance != null) {
            s.put("bridge.instance.id", instance);
            // each instance its own scratch and data folders; the inbox, processing, archive and error are shared
            s.put("bridge.work", folders.home().resolve(instance).resolve("work").toString());
            s.put("bridge.data", folders.home().resolve(instance).resolve("data").toString());
        }
        return s;
    }

    private JvmProcess startService(Path dir, Map<String, String> settings, String xmx) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of(JvmProcess.java(), "-Xmx" + xmx));
        new TreeMap<>(settings).forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString(), "run", "--config", repo.resolve("config").toString(),
                "--routes", repo.resolve("routes").toString()));
        JvmProcess p = JvmProcess.start(command, dir, dir.resolve("bridge.log"));
        if (p.awaitLogLine("started in", 90_000) < 0) {
            String tail = p.tail(40);
            p.close();
            throw new IllegalStateException("the service did not start\n" + tail);
        }
        return p;
    }

    private JvmProcess startNaive(Path dir, SandboxVendor sandbox) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of(JvmProcess.java(), "-Xmx1g",
                "-Dnaive.inbox=" + dir.resolve("inbox"), "-Dnaive.done=" + dir.resolve("done"),
                "-Dnaive.failed=" + dir.resolve("failed"), "-Dnaive.base-url=" + sandbox.baseUrl(),
                "-Dnaive.app-id=" + Sandboxes.APP_ID, "-Dnaive.private-key=" + TestKeys.get().privateKeyFile(),
                "-Dnaive.profiles=" + repo.resolve("config/profiles"),
                "-cp", System.getProperty("java.class.path"), NaiveBaseline.class.getName()));
        JvmProcess p = JvmProcess.start(command, dir, dir.resolve("naive.log"));
        if (p.awaitLogLine("started in", 90_000) < 0) {
            String tail = p.tail(40);
            p.close();
            throw new IllegalStateException("the naive baseline did not start\n" + tail);
        }
        return p;
    }

    private static void writeLists(Path stage, String tag, int lists, int listRows) throws IOException {
        long t0 = System.nanoTime();
        for (int i = 1; i <= lists; i++) {
            BenchRows.write(stage.resolve(String.format("%s-%03d.csv", tag, i)), listRows, tag + i + "-");
        }
        System.err.printf("  wrote %d lists of %d rows in %.1f s%n", lists, listRows, (System.nanoTime() - t0) / 1e9);
    }

    interface Count {
        int get() throws IOException;
    }

    /**
     * Renames every staged list into the inbox (one folder, one file system: each rename is atomic; all of them take
     * a few ms) and waits until {@code done} counts them all; the seconds from the first rename to the last one
     * done, polled every 20 ms.
     */
    private static double dropAndAwait(Path stage, Path inbox, List<JvmProcess> processes, Count done, Count failed,
            int expected) throws Exception {
        Files.createDirectories(inbox);
        List<Path> staged;
        try (Stream<Path> files = Files.list(stage)) {
            staged = files.sorted().toList();
        }
        if (staged.size() != expected) {
            throw new IllegalStateException(stage + " holds " + staged.size() + " lists, not " + expected);
        }
        long t0 = System.nanoTime();
        for (Path list : staged) {
            Files.move(list, inbox.resolve(list.getFileName()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            int n = done.get();
            if (n >= expected) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.err.printf("  %d lists done in %.2f s%n", n, seconds);
                return seconds;
            }
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " lists failed\n" + processes.get(0).tail(40));
            }
            for (JvmProcess p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a service died\n" + p.tail(60));
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("not all " + expected + " lists were done within 10 minutes: " + done.get()
                + "\n" + processes.get(0).tail(40));
    }

    /** Files under {@code dir} whose name ends with {@code suffix} (0 while it does not exist). */
    private static int countFiles(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        } catch (UncheckedIOException e) {
            // a file renamed under the walk: counted at the next poll
            return 0;
        }
    }

    /** The lists back to the stage for the next setup (each setup has its own ledger, so the same lists are new). */
    private static void moveBack(Path filed, Path stage) throws IOException {
        try (Stream<Path> files = Files.walk(filed)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.getFileName().toString().endsWith(".csv") && !f.getFileName().toString().endsWith(".rejects.csv")) {
                    Files.move(f, stage.resolve(f.getFileName()));
                }
            }
        }
    }

    /** How many lists each instance filed, by the {@code instance} of their result.json. */
    private static String filedBy(Path archive) throws IOException {
        Map<String, Integer> by = new TreeMap<>();
        try (Stream<Path> files = Files.walk(archive)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".result.json")).toList()) {
                by.merge(JSON.readTree(f.toFile()).path("instance").asText("?"), 1, Integer::sum);
            }
        }
        return by.toString();
    }

    private static JsonNode awaitReport(Path archive, String list, Duration atMost,
            java.util.Collection<JvmProcess> running) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(archive)) {
                try (Stream<Path> files = Files.walk(archive)) {
                    for (Path report : files.filter(f -> f.getFileName().toString().equals(list + ".result.json"))
                            .toList()) {
                        if (Files.exists(report.resolveSibling(list))) {
                            return JSON.readTree(report.toFile());
                        }
                    }
                } catch (UncheckedIOException e) {
                    // renamed under the walk: looked at again at the next poll
                }
            }
            Thread.sleep(10);
        }
        StringBuilder tails = new StringBuilder();
        running.forEach(p -> tails.append(p.tail(30)).append('\n'));
        throw new IllegalStateException(list + " was not filed within " + atMost.toSeconds() + " s\n" + tails);
    }

    private static void kill9(JvmProcess p) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -9 " + p.pid() + " failed");
        }
        p.awaitExit(10_000);
    }

    private static String rate(int lists, double seconds) {
        return String.format(Locale.ROOT, "%.1f lists/s, %.1f ms a list (%.2f s)", lists / seconds,
                seconds * 1000 / lists, seconds);
    }

    private static String met(boolean met) {
        return met ? "yes" : "NO";
    }

    private static void section(String title) {
        System.err.println("== " + title);
    }

    private static String load() {
        try {
            String[] avg = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return avg[0] + "/" + avg[1];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private void printTable(String loadBefore, String loadAfter, double seconds) {
        String[] header = {"figure", "measured", "target", "met?"};
        int[] width = new int[4];
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (String[] r : all) {
            for (int i = 0; i < 4; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < all.size(); r++) {
            out.append('|');
            for (int i = 0; i < 4; i++) {
                out.append(' ').append(String.format("%-" + width[i] + "s", all.get(r)[i])).append(" |");
            }
            out.append('\n');
            if (r == 0) {
                out.append('|');
                for (int i = 0; i < 4; i++) {
                    out.append("-".repeat(width[i] + 2)).append('|');
                }
                out.append('\n');
            }
        }
        out.append(String.format("%d cores, Java %s; packaged jar, -Xmx128m (a) / -Xmx256m (b, c), poll delay 50 ms, "
                + "read lock min age 100 ms; sandbox in the benchmark JVM; (b) and (c) on one throw-away PostgreSQL; "
                + "scale part took %.0f s; load average (1 min/5 min) %s before, %s after%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), seconds, loadBefore,
                loadAfter));
        notes.forEach(n -> out.append(n).append('\n'));
        System.out.print(out);
    }
}
