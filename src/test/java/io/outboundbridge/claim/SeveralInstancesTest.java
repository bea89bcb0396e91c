package io.outboundbridge.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outboundbridge.ledger.LedgerSettings;
import io.outboundbridge.ledger.LocalPostgres;
import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.RecordedTask;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.CapturedLogs;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.SftpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the real service in this JVM, each with its own id, work and data folders, sharing one PostgreSQL
 * ledger and the inbox, processing, archive and error folders: every list is taken by one of them, and a list whose
 * instance stopped mid-list is taken over by the other under the same task id.
 */
class SeveralInstancesTest {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,"
            + "mobile3,relation3\n";

    @TempDir
    Path tmp;

    @TempDir
    Path clusterDir;

    private LocalPostgres postgres;
    private SandboxVendor sandbox;
    private Folders folders;
    private final List<InProcessBridge> running = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sandbox = Sandboxes.start();
        folders = new Folders(tmp.resolve("shared"));
    }

    @AfterEach
    void stop() throws Exception {
        for (InProcessBridge bridge : running) {
            bridge.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private LedgerSettings postgres() throws Exception {
        assumeTrue(LocalPostgres.unavailable().isEmpty(), () -> LocalPostgres.unavailable().orElseThrow());
        postgres = LocalPostgres.start(clusterDir);
        return postgres.newDatabase();
    }

    /** An instance on the shared folders and ledger, with its own id, work and data folders. */
    private InProcessBridge instance(String id, LedgerSettings ledger, Map<String, String> more) throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("bridge.instance.id", id);
        s.put("bridge.instance.lease", "2000");
        s.put("bridge.instance.take-over-interval", "200");
        s.put("bridge.work", tmp.resolve(id + "/work").toString());
        s.put("bridge.data", tmp.resolve(id + "/data").toString());
        s.put("bridge.ledger.url", ledger.url());
        s.put("bridge.ledger.user", ledger.user());
        s.put("bridge.ledger.password", ledger.password());
        s.putAll(more);
        InProcessBridge bridge = InProcessBridge.start(folders, sandbox, s);
        running.add(bridge);
        return bridge;
    }

    static String rows(String prefix, int n) {
        return HEADER + IntStream.rangeClosed(1, n)
                .mapToObj(i -> prefix + i + ",," + prefix + i + ",," + (13800000000L + i) + ",,,,,")
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void should_file_each_list_of_a_burst_once_whichever_instance_takes_it() throws Exception {
        LedgerSettings ledger = postgres();
        instance("alpha", ledger, Map.of());
        instance("beta", ledger, Map.of());

        int lists = 16;
        for (int i = 1; i <= lists; i++) {
            folders.drop("burst-" + i + ".csv", rows("L" + i + "-", 3));
        }

        List<String> finishedBy = new ArrayList<>();
        for (int i = 1; i <= lists; i++) {
            Outcome outcome = folders.awaitOutcome("burst-" + i + ".csv", Duration.ofSeconds(60));
            assertThat(outcome.archived()).as(outcome.report().toString()).isTrue();
            finishedBy.add(outcome.report().path("instance").asText());
        }
        assertThat(finishedBy).allMatch(id -> id.equals("alpha") || id.equals("beta"));
        assertThat(sandbox.tasks()).hasSize(lists);
        assertThat(sandbox.totalCustomers()).isEqualTo(lists * 3);
        assertThat(sandbox.tasks().stream().flatMap(t -> t.externalCustomerIds().stream()))
                .as("every customer exactly once").doesNotHaveDuplicates().hasSize(lists * 3);
        assertThat(Folders.filesUnder(folders.error())).isEmpty();
        assertThat(Folders.filesUnder(folders.processing())).isEmpty();
        assertThat(Folders.filesUnder(folders.inbox())).isEmpty();
    }

    /**
     * Alpha's append is held by the sandbox and never answered, and its heartbeat stops: as for an instance killed,
     * paused or cut off from the database, its claims lapse while its list sits in processing. (Stopping alpha's
     * context instead would not do: a forced stop fails the list in flight, and its consumer files it.)
     */
    @Test
    void should_take_over_the_list_of_an_instance_that_stopped_mid_list_under_the_same_task_id() throws Exception {
        LedgerSettings ledger = postgres();
        InProcessBridge alpha = instance("alpha", ledger, Map.of("camel.main.shutdown-timeout", "1",
                "vendor.read-timeout", "120000"));
        sandbox.enqueue(Fault.hold("stopped").onAppend());
        folders.drop("big.csv", rows("B", 2500));
        assertThat(sandbox.awaitHeld("stopped", Duration.ofSeconds(30))).isTrue();
        instance("beta", ledger, Map.of());
        assertThat(Folders.find(folders.processing(), "big.csv")).as("alpha holds it in processing").hasSize(1);
        assertThat(status(ledger)).containsPattern("(?m)^big\\.csv\\s+alpha \\(fence 1\\)\\s+\\d{4}-")
                .containsPattern("(?m)^alpha\\s+.*live$").containsPattern("(?m)^beta\\s+.*live$");

        alpha.context().hasService(ClaimHeartbeat.class).stop();

        Outcome outcome = folders.awaitOutcome("big.csv", Duration.ofSeconds(60));
        assertThat(outcome.archived()).as(outcome.report().toString()).isTrue();
        assertThat(outcome.report().path("instance").asText()).isEqualTo("beta");
        assertThat(sandbox.tasks()).extracting(RecordedTask::name).containsExactly("default-big");
        RecordedTask task = sandbox.task("default-big").orElseThrow();
        assertThat(task.externalCustomerIds()).as("every customer exactly once, in order")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 2500).mapToObj(i -> "B" + i).toList());
        assertThat(outcome.taskIds()).containsExactly(task.id());
        assertThat(sandbox.calls().stream().filter(c -> c.path().endsWith("/create")).count())
                .as("the task is not created again").isEqualTo(1);
        assertThat(Folders.filesUnder(folders.processing())).isEmpty();
        assertThat(Folders.filesUnder(folders.inbox())).isEmpty();

        // alpha wakes: the append it had in flight reaches the vendor (the one-request window, as for a crash), and
        // then alpha records, sends and files nothing more
        try (CapturedLogs logs = CapturedLogs.start()) {
            sandbox.release("stopped");
            await().atMost(Duration.ofSeconds(30)).until(() -> logs.text().contains("(alpha) lost its claim"));
        }
        RecordedTask after = sandbox.task("default-big").orElseThrow();
        assertThat(after.externalCustomerIds()).as("the held append, once more; nothing after it")
                .hasSize(3500).filteredOn("B1001"::equals).hasSize(2);
        assertThat(after.externalCustomerIds()).filteredOn("B2001"::equals).hasSize(1);
        assertThat(Folders.find(folders.error(), "big.csv.error.json")).isEmpty();
        assertThat(Folders.find(folders.archive(), "big.csv")).hasSize(1);
    }

    @Test
    void should_file_each_list_of_a_partner_sftp_inbox_once_with_two_instances_polling_it() throws Exception {
        LedgerSettings ledger = postgres();
        try (SftpServer server = SftpServer.start(tmp.resolve("sftp"))) {
            for (String id : List.of("alpha", "beta")) {
                Map<String, String> s = new HashMap<>(new Folders(tmp.resolve(id + "/local")).settings());
                s.put("bridge.inbox.uri", server.uri("inbox", "partner.test.passphrase", ""));
                s.put("partner.test.passphrase", SftpServer.PASSPHRASE);
                s.put("bridge.inbox.partner", "acme");
                s.put("bridge.sftp.reconnect-delay", "50");
                instance(id, ledger, s);
            }
            int lists = 8;
            for (int i = 1; i <= lists; i++) {
                server.upload("inbox/p-" + i + ".csv", rows("P" + i + "-", 3));
            }

            String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> IntStream.rangeClosed(1, lists)
                    .allMatch(i -> server.files().contains("archive/" + today + "/p-" + i + ".csv.result.json")));

            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (int i = 1; i <= lists; i++) {
                String by = json.readTree(server.read("archive/" + today + "/p-" + i + ".csv.result.json"))
                        .path("instance").asText();
                assertThat(by).isIn("alpha", "beta");
            }
            assertThat(sandbox.tasks()).hasSize(lists);
            assertThat(sandbox.tasks().stream().flatMap(t -> t.externalCustomerIds().stream()))
                    .as("every customer exactly once").doesNotHaveDuplicates().hasSize(lists * 3);
            assertThat(server.files()).noneMatch(f -> f.startsWith("error/") || f.startsWith("inbox/")
                    || f.startsWith("processing/"));
        }
    }

    @Test
    void should_refuse_a_second_instance_on_the_embedded_ledger_and_its_processing_folder() throws Exception {
        InProcessBridge first = InProcessBridge.start(folders, sandbox, Map.of("bridge.instance.id", "first"));
        running.add(first);

        Throwable refused = catchThrowable(() -> running.add(InProcessBridge.start(folders, sandbox,
                Map.of("bridge.instance.id", "second", "bridge.data", tmp.resolve("second-data").toString()))));

        assertThat(causes(refused)).anySatisfy(m -> assertThat(m)
                .contains("another instance works on the processing folder " + folders.processing())
                .contains("several instances need a shared PostgreSQL ledger, bridge.ledger.url"));
        folders.drop("after.csv", rows("A", 2));
        Outcome outcome = folders.awaitOutcome("after.csv", Duration.ofSeconds(30));
        assertThat(outcome.archived()).isTrue();
        assertThat(outcome.report().path("instance").asText()).isEqualTo("first");
    }

    /** What {@code status} prints for the shared ledger. */
    private String status(LedgerSettings ledger) throws Exception {
        Path config = java.nio.file.Files.createDirectories(tmp.resolve("status-config"));
        java.nio.file.Files.writeString(config.resolve("application.properties"), "bridge.ledger.url=" + ledger.url()
                + "\nbridge.ledger.user=" + ledger.user() + "\nbridge.ledger.password=" + ledger.password() + "\n");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new picocli.CommandLine(new io.outboundbridge.cli.OutboundBridge())
                    .execute("status", "--config", config.toString());
        } finally {
            System.setOut(old);
        }
        String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        return printed;
    }

    private static List<String> causes(Throwable t) {
        List<String> messages = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            messages.add(String.valueOf(c.getMessage()));
        }
        return messages;
    }
}
