package io.outboundbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.observe.ManagementAddress;
import io.outboundbridge.sandbox.SandboxSettings;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.sign.GeneratedKeys;
import io.outboundbridge.sign.KeyPairFiles;
import io.outboundbridge.sign.PemKeys;
import io.outboundbridge.sign.RequestSigner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the real service against the embedded sandbox vendor with a throw-away key pair, on sample
 * lists shipped in the jar; prints what became of each list.
 */
@Command(name = "demo", description = "Run the service on sample lists against the embedded sandbox vendor and "
        + "print where each list went.")
final class DemoCommand implements Callable<Integer> {

    static final List<String> SAMPLES = List.of("clean.csv", "with-invalid-rows.csv", "big-2500.csv",
            "refused-by-vendor.csv");
    /** The vendor already has a task of this name, as if created from its console: it refuses to create it again. */
    static final String TAKEN_TASK_NAME = "default-refused-by-vendor";
    private static final String APP_ID = "demo-app";

    @Option(names = "--config", description = "config folder (profiles/)", defaultValue = "config")
    Path config;

    @Option(names = "--routes", description = "routes folder", defaultValue = "routes")
    Path routes;

    @Option(names = "--dir", description = "where the demo's inbox, archive and error folders go (default data/demo/<time>)")
    Path dir;

    @Option(names = "--timeout", description = "seconds to wait for every list", defaultValue = "120")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Path home = dir != null ? dir
                : Path.of("data", "demo", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(home);
        GeneratedKeys keys = KeyPairFiles.generate(home.resolve("keys"));
        SandboxSettings settings = SandboxSettings.builder().appId(APP_ID)
                .publicKey(PemKeys.readPublicKey(keys.publicKeyFile())).build();
        try (SandboxVendor sandbox = SandboxVendor.start(settings)) {
            System.out.println("Sandbox vendor on " + sandbox.baseUrl() + "; demo folder " + home.toAbsolutePath());
            takeTaskName(sandbox, keys.privateKeyFile());
            Main main;
            try {
                main = BridgeLauncher.create(config, routes, overrides(home, sandbox, keys.privateKeyFile()));
                main.start();
                ManagementAddress.log(main.getCamelContext());
            } catch (Exception e) {
                System.err.println("demo: the service cannot start: " + BridgeLauncher.reason(e));
                return 2;
            }
            try {
                dropSamples(home.resolve("inbox"));
                Map<String, JsonNode> outcomes = awaitOutcomes(home);
                printTable(outcomes, sandbox);
                printMetrics(main);
                return outcomes.size() == SAMPLES.size() ? 0 : 1;
            } finally {
                main.stop();
            }
        }
    }

    private static Map<String, String> overrides(Path home, SandboxVendor sandbox, Path privateKey) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("bridge.inbox", home.resolve("inbox").toString());
        o.put("bridge.processing", home.resolve("processing").toString());
        o.put("bridge.archive", home.resolve("archive").toString());
        o.put("bridge.error", home.resolve("error").toString());
        o.put("bridge.work", home.resolve("work").toString());
        o.put("bridge.data", home.resolve("data").toString());
        o.put("bridge.inbox.read-lock-min-age", "200");
        o.put("bridge.inbox.poll-delay", "200");
        o.put("vendor.base-url", sandbox.baseUrl().toString());
        o.put("vendor.app-id", APP_ID);
        o.put("vendor.private-key", privateKey.toString());
        o.put("vendor.retry.initial-delay", "100");
        // any free port: a demo next to a running service (on 9876) must not fail on a taken port
        o.put("camel.management.port", "0");
        return o;
    }

    /** What an operator's Prometheus would scrape now: the bridge's own series of /observe/metrics. */
    private static void printMetrics(Main main) {
        Optional<URI> base = ManagementAddress.of(main.getCamelContext());
        if (base.isEmpty()) {
            return;
        }
        URI metrics = base.get().resolve("/observe/metrics");
        try {
            HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofLines());
            System.out.println();
            System.out.println("GET " + metrics + " (bridge_* series):");
            r.body().filter(l -> l.startsWith("bridge_") && !l.contains("_bucket{")).forEach(System.out::println);
        } catch (IOException e) {
            System.out.println("(metrics not read from " + metrics + ": " + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates the task the refused sample will ask for, through the vendor API like anyone else. */
    private static void takeTaskName(SandboxVendor sandbox, Path privateKey) throws Exception {
        String body;
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/taken-task.json")) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${name}", TAKEN_TASK_NAME);
        }
        String path = "/speech/openapi/v1/task/outbound/create";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var signed = new RequestSigner(APP_ID, PemKeys.readPrivateKey(privateKey), "{appId}{timestamp}",
                "SHA256withRSA", Clock.systemUTC()).sign("POST", path, bytes);
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .header("appId", signed.appId()).header("timestamp", signed.timestamp()).header("sign", signed.sign())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (!answer.body().contains("\"10000\"")) {
            throw new IllegalStateException("sandbox refused the demo's set-up task: " + answer.body());
        }
    }

    private static void dropSamples(Path inbox) throws IOException {
        Files.createDirectories(inbox);
        for (String name : SAMPLES) {
            Path part = inbox.resolve(name + ".part");
            try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name)) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(part, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private Map<String, JsonNode> awaitOutcomes(Path home) throws IOException, InterruptedException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, JsonNode> found = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        while (found.size() < SAMPLES.size() && System.nanoTime() < deadline) {
            for (String name : SAMPLES) {
                if (!found.containsKey(name)) {
                    Optional<Path> report = outcome(home, name);
                    if (report.isPresent()) {
                        found.put(name, mapper.readTree(report.get().toFile()));
                    }
                }
            }
            Thread.sleep(100);
        }
        return found;
    }

    /** The report of a list once both it and the list itself are in their outcome folder. */
    private static Optional<Path> outcome(Path home, String name) throws IOException {
        for (String kind : List.of("archive", "error")) {
            Path root = home.resolve(kind);
            if (!Files.isDirectory(root)) {
                continue;
            }
            String suffix = kind.equals("archive") ? ".result.json" : ".error.json";
            try (Stream<Path> files = Files.walk(root)) {
                Optional<Path> report = files.filter(f -> f.getFileName().toString().equals(name + suffix)).findFirst();
                if (report.isPresent() && Files.exists(report.get().resolveSibling(name))) {
                    return report;
                }
            }
        }
        return Optional.empty();
    }

    private static void printTable(Map<String, JsonNode> outcomes, SandboxVendor sandbox) {
        String format = "%-24s %-9s %-28s %9s %8s  %s%n";
        System.out.println();
        System.out.printf(format, "FILE", "OUTCOME", "TASK IDS", "CUSTOMERS", "REJECTS", "NOTE");
        for (String name : SAMPLES) {
            JsonNode r = outcomes.get(name);
            if (r == null) {
                System.out.printf(format, name, "PENDING", "-", "-", "-", "not filed in time");
                continue;
            }
            List<String> ids = new ArrayList<>();
            r.path("tasks").forEach(t -> {
                if (t.hasNonNull("taskId")) {
                    ids.add(t.path("taskId").asText());
                }
            });
            boolean failed = "failed".equals(r.path("outcome").asText());
            String note = failed ? r.path("stage").asText() + ": " + r.path("vendorCode").asText("") + " "
                    + r.path("message").asText() : "";
            System.out.printf(format, name, failed ? "error" : "archive", ids.isEmpty() ? "-" : String.join(",", ids),
                    r.path("customersSent").asText("0"), r.path("rejected").asText("0"), note.trim());
        }
        System.out.println();
        System.out.println("The sandbox vendor holds " + sandbox.tasks().size() + " tasks and "
                + sandbox.totalCustomers() + " customers.");
    }
}
