package io.outboundbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.ledger.FileEntry;
import io.outboundbridge.ledger.FileState;
import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.LedgerSettings;
import io.outboundbridge.run.OutcomeReport;
import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger that lost history, with the real routes/ and config/ booted as {@code run} boots them: its folder put
 * back from an older copy, the service refuses to start naming the lists the outcome files show were sent;
 * {@code ledger-restore} records them, and the same contents dropped again are refused as duplicates, nothing sent.
 */
class LedgerRestoreTest {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";

    @TempDir
    Path tmp;

    Folders folders;
    SandboxVendor sandbox;
    InProcessBridge bridge;

    @BeforeEach
    void setUp() {
        folders = new Folders(tmp);
        sandbox = Sandboxes.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        sandbox.close();
    }

    static String rows(String prefix, int n) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 1; i <= n; i++) {
            sb.append("客户").append(i).append(",,").append(prefix).append(i).append(",,138")
                    .append(String.format("%08d", i)).append(",,,,,\n");
        }
        return sb.toString();
    }

    void start() throws Exception {
        bridge = InProcessBridge.start(folders, sandbox, Map.of());
    }

    void stop() throws Exception {
        bridge.close();
        bridge = null;
    }

    /** Why the service refuses to start, as {@code run} prints it. */
    String refusal() {
        Throwable failure = catchThrowable(this::start);
        assertThat(failure).as("the service refuses to start").isNotNull();
        return BridgeLauncher.reason(failure);
    }

    Path ledgerFolder() {
        return tmp.resolve("data/ledger");
    }

    static void copyFolder(Path from, Path to) throws Exception {
        if (Files.exists(to)) {
            try (Stream<Path> old = Files.walk(to)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    CommandLineTest.Run ledgerRestore() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("application.properties"), "bridge.archive=" + folders.archive() + "\n"
                + "bridge.error=" + folders.error() + "\nbridge.data=" + tmp.resolve("data") + "\n");
        return CommandLineTest.run("ledger-restore", "--config", config.toString());
    }

    @Test
    void should_refuse_to_start_on_a_ledger_put_back_from_an_older_copy_until_ledger_restore_records_its_lists()
            throws Exception {
        start();
        stop();
        Path backup = tmp.resolve("ledger-backup");
        copyFolder(ledgerFolder(), backup);

        start();
        folders.drop("a.csv", rows("A", 3));
        Outcome a = folders.awaitOutcome("a.csv");
        sandbox.enqueue(Fault.code("29002").onAppend());
        folders.drop("b.csv", rows("B", 1500));
        Outcome b = folders.awaitOutcome("b.csv");
        folders.drop("c.csv", HEADER + "客户1,,C1,,12345,,,,,\n");
        Outcome c = folders.awaitOutcome("c.csv");
        stop();
        assertThat(a.archived()).isTrue();
        assertThat(b.kind()).isEqualTo("error");
        assertThat(b.report().path("customersSent").asLong()).isEqualTo(1000);
        assertThat(c.report().path("stage").asText()).isEqualTo("validate");
        int calls = sandbox.calls().size();

        copyFolder(backup, ledgerFolder());
        folders.drop("a-again.csv", rows("A", 3));
        String refused = refusal();

        assertThat(refused).contains("the ledger lacks 2 list(s)",
                "archive/" + day(a) + "/a.csv.result.json [default-a=" + a.taskIds().get(0) + "]",
                "error/" + day(b) + "/b.csv.error.json [default-b=" + b.taskIds().get(0) + "]",
                "ledger-restore --config ", "--days 7").doesNotContain("c.csv");
        assertThat(Folders.filesUnder(folders.inbox())).as("nothing taken from the inbox")
                .extracting(p -> p.getFileName().toString()).containsExactly("a-again.csv");

        CommandLineTest.Run restore = ledgerRestore();

        assertThat(restore.exit()).as(restore.out() + restore.err()).isZero();
        assertThat(restore.out()).contains("recorded  archive/" + day(a) + "/a.csv.result.json",
                "recorded  error/" + day(b) + "/b.csv.error.json", "2 list(s) recorded in the ledger");

        start();
        Outcome again = folders.awaitOutcome("a-again.csv");
        folders.drop("b-again.csv", rows("B", 1500));
        Outcome bAgain = folders.awaitOutcome("b-again.csv");

        assertThat(again.kind()).isEqualTo("error");
        assertThat(again.report().path("stage").asText()).isEqualTo("duplicate");
        assertThat(again.report().path("message").asText()).contains("a.csv", a.taskIds().get(0).toString());
        // b failed after the vendor confirmed 1000 of its customers: dropped again, its run (restored from its
        // error.json) resumes under the same task id with the 500 it had not sent
        assertThat(bAgain.archived()).as(bAgain.report().toString()).isTrue();
        assertThat(bAgain.taskIds()).containsExactly(b.taskIds().get(0));
        assertThat(sandbox.task("default-b").orElseThrow().externalCustomerIds()).as("every customer of b once")
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 1500).mapToObj(i -> "B" + i)
                        .toList());
        assertThat(sandbox.calls()).as("nothing of a sent again; b's last append only").hasSize(calls + 1);

        assertThat(ledgerRestore().out()).as("a second run finds nothing to record")
                .contains("0 list(s) recorded in the ledger, 3 held already");
    }

    @Test
    void should_still_refuse_to_start_on_a_corrupt_ledger_file_naming_it() throws Exception {
        start();
        stop();
        Path file = ledgerFolder().resolve("ledger.mv.db");
        Files.write(file, new byte[(int) Files.size(file)]);

        String refused = refusal();

        assertThat(refused).contains("corrupt", file.toString());
    }

    @Test
    void should_start_without_a_check_when_the_setting_is_0() throws Exception {
        start();
        folders.drop("a.csv", rows("A", 3));
        folders.awaitOutcome("a.csv");
        stop();
        try (Stream<Path> files = Files.walk(ledgerFolder())) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }

        bridge = InProcessBridge.start(folders, sandbox, Map.of("bridge.ledger.reconcile-days", "0"));

        assertThat(bridge.context().getStatus().isStarted()).isTrue();
        stop();
        assertThat(refusal()).contains("a.csv.result.json");
    }

    @Test
    void should_refuse_a_wrong_number_of_days_with_exit_2_naming_the_setting() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("bad-config"));
        Files.writeString(config.resolve("application.properties"), "bridge.ledger.reconcile-days=a week\n");

        CommandLineTest.Run r = CommandLineTest.run("ledger-restore", "--config", config.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("bridge.ledger.reconcile-days", "'a week'");
    }

    @Test
    void should_warn_of_a_list_sent_twice_and_exit_1_for_an_outcome_file_the_ledger_contradicts() throws Exception {
        String x = "a".repeat(64);
        String w = "b".repeat(64);
        try (Ledger ledger = Ledger.open(LedgerSettings.embedded(tmp.resolve("data")))) {
            sentAndDone(ledger, x, "x-again.csv", "default-x(2)", 7009L);
            sentAndDone(ledger, w, "w.csv", "default-z", 7100L);
        }
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
        Path day = Files.createDirectories(folders.archive().resolve(today));
        writeReport(day.resolve("x.csv.result.json"), x, "x.csv", "default-x", 7001L);
        writeReport(day.resolve("y.csv.result.json"), "c".repeat(64), "y.csv", "default-z", 7200L);

        CommandLineTest.Run r = ledgerRestore();

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("recorded  archive/" + today + "/x.csv.result.json [default-x=7001]",
                "warning: the ledger holds the same content as x-again.csv", "twice",
                "1 list(s) recorded in the ledger", "1 sent twice", "1 could not be recorded");
        assertThat(r.err()).contains("cannot record archive/" + today + "/y.csv.result.json",
                "default-z belongs to w.csv");
    }

    private static void sentAndDone(Ledger ledger, String sha, String file, String task, long id) throws Exception {
        FileEntry f = ledger.begin(sha, file, "default", Instant.now());
        ledger.taskPlanned(f.id(), 1, ledger.uniqueTaskName(task));
        ledger.requestSent(f.id(), 1, 1, 3);
        ledger.taskCreated(f.id(), 1, id, "10000", "ok");
        ledger.finish(f.id(), FileState.DONE, 3, 3, 0, null, Instant.now());
    }

    private static void writeReport(Path file, String sha, String name, String task, long id) throws Exception {
        new ObjectMapper().writeValue(file.toFile(), new OutcomeReport("archived", name, name, sha, "default", 3L, 3L,
                0L, List.of(new OutcomeReport.TaskSummary(task, id, 3, 1)), 3L, null, null, null, null, null,
                Instant.now().toString(), Instant.now().toString()));
    }

    static String day(Outcome o) {
        return o.list().getParent().getFileName().toString();
    }
}
