package io.outboundbridge.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.LedgerSettings;
import io.outboundbridge.ledger.PastRun;
import io.outboundbridge.ledger.PastRuns;
import io.outboundbridge.run.OutcomeReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger held against the outcome files at start-up: which outcome files are read, what the ledger must hold of
 * them, the message that stops the start, and how long it takes with thousands of outcome files.
 */
class StartupChecksTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final LocalDate TODAY = LocalDate.now(ZONE);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @TempDir
    Path tmp;

    Path archive;
    Path error;
    Ledger ledger;

    @BeforeEach
    void setUp() {
        archive = tmp.resolve("archive");
        error = tmp.resolve("error");
        ledger = Ledger.open(LedgerSettings.embedded(tmp.resolve("data")));
    }

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    static String sha(int n) {
        return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(32).putInt(28, n).array());
    }

    /** A report as the service writes it ({@code run/OutcomeReport}). */
    static OutcomeReport report(String file, int content, String stage, long customers,
            OutcomeReport.TaskSummary... tasks) {
        boolean failed = stage != null;
        return new OutcomeReport(failed ? "failed" : "archived", file, file.substring(file.lastIndexOf('/') + 1),
                sha(content), "default", 10L, 10L, 0L,
                List.of(tasks), customers, stage, null, null, failed ? "it failed" : null, null,
                Instant.parse("2026-03-01T02:00:00Z").toString(), Instant.parse("2026-03-01T02:01:00Z").toString());
    }

    static OutcomeReport.TaskSummary task(String name, Long id, long customers, int requests) {
        return new OutcomeReport.TaskSummary(name, id, customers, requests);
    }

    /** Writes {@code report} into the day folder {@code day} of archive (no stage) or error. */
    Path write(LocalDate day, OutcomeReport report) throws Exception {
        boolean failed = report.stage() != null;
        Path folder = Files.createDirectories((failed ? error : archive).resolve(day.toString()));
        Path file = folder.resolve(report.storedAs() + (failed ? ".error.json" : ".result.json"));
        JSON.writeValue(file.toFile(), report);
        return file;
    }

    StartupChecks checks(int days) {
        return new StartupChecks(ledger, archive, error, ZONE, days, "/etc/bridge");
    }

    @Test
    void should_read_the_outcome_files_of_the_last_days_as_the_service_writes_them() throws Exception {
        write(TODAY, report("vip/a.csv", 1, null, 2500, task("vip-a", 7001L, 2500, 3)));
        write(TODAY.minusDays(7), report("b.csv", 2, "append", 1000, task("default-b", 7002L, 1000, 1),
                task("default-b-2", null, 0, 0)));
        write(TODAY.minusDays(8), report("too-old.csv", 3, null, 5, task("default-old", 7003L, 5, 1)));
        write(TODAY, report("dup.csv", 1, "duplicate", 0));
        Files.writeString(archive.resolve(TODAY.toString()).resolve(".writing-c.csv.result.json"), "{\"half");
        Files.writeString(archive.resolve(TODAY.toString()).resolve("c.csv.rejects.csv"), "line,column\n");
        Files.createDirectories(archive.resolve("not-a-day"));
        Files.writeString(archive.resolve("not-a-day").resolve("x.csv.result.json"), "{}");
        Files.writeString(error.resolve(TODAY.toString()).resolve("junk.csv.error.json"), "not json");

        PastRuns.Reading reading = PastRuns.read(archive, error, TODAY, 7);

        assertThat(reading.runs()).extracting(PastRun::source, PastRun::fileName, PastRun::done, PastRun::stage,
                PastRun::customersSent).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("archive/" + TODAY + "/a.csv.result.json", "vip/a.csv",
                                true, null, 2500L),
                        org.assertj.core.groups.Tuple.tuple("error/" + TODAY.minusDays(7) + "/b.csv.error.json",
                                "b.csv", false, "append", 1000L));
        PastRun b = reading.runs().stream().filter(r -> !r.done()).findFirst().orElseThrow();
        assertThat(b.sha256()).isEqualTo(sha(2));
        assertThat(b.tasks()).containsExactly(new PastRun.Task("default-b", 7002L, 1000, 1),
                new PastRun.Task("default-b-2", null, 0, 0));
        assertThat(b.rows()).isEqualTo(10);
        assertThat(b.start()).isEqualTo(Instant.parse("2026-03-01T02:00:00Z"));
        assertThat(reading.unreadable()).singleElement().asString().startsWith("error/" + TODAY + "/junk.csv.error.json");
        assertThat(PastRuns.read(archive, error, TODAY, 0).runs()).isEmpty();
    }

    @Test
    void should_pass_a_ledger_that_holds_every_list_and_stop_one_that_lacks_a_list() throws Exception {
        OutcomeReport a = report("a.csv", 1, null, 5, task("default-a", 7001L, 5, 1));
        write(TODAY, a);
        assertThat(checks(7).lackingHistory()).hasValueSatisfying(message -> assertThat(message)
                .contains("archive/" + TODAY + "/a.csv.result.json [default-a=7001]", "ledger-restore --config "
                        + "/etc/bridge --days 7"));

        ledger.restore(PastRuns.read(archive, error, TODAY, 7).runs().get(0));

        assertThat(checks(7).lackingHistory()).isEmpty();
        assertThat(checks(0).lackingHistory()).isEmpty();
    }

    @Test
    void should_name_ten_lists_and_count_the_others() throws Exception {
        List<PastRun> lacking = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            lacking.add(new PastRun("archive/2026-03-01/l" + i + ".csv.result.json", sha(i), "l" + i + ".csv",
                    "default", true, 1L, 1L, 0L, null, 1, List.of(new PastRun.Task("default-l" + i, 100L + i, 1, 1)),
                    Instant.EPOCH, null));
        }

        String message = StartupChecks.message(lacking, 7, "config");

        assertThat(message).startsWith("the ledger lacks 12 list(s) the vendor confirmed customers of")
                .contains("bridge.ledger.reconcile-days", "l1.csv.result.json [default-l1=101]",
                        "l10.csv.result.json [default-l10=110] and 2 more.", "ledger-restore --config config --days 7")
                .doesNotContain("l11.csv");
    }

    @Test
    void should_refuse_a_wrong_number_of_days_naming_the_key() {
        assertThat(StartupChecks.days(key -> Optional.of("7"))).isEqualTo(7);
        assertThat(StartupChecks.days(key -> Optional.of(" 0 "))).isZero();
        for (String wrong : List.of("-1", "seven", "", "3651")) {
            assertThatThrownBy(() -> StartupChecks.days(key -> Optional.of(wrong)))
                    .hasMessageContaining("bridge.ledger.reconcile-days").hasMessageContaining("'" + wrong + "'");
        }
    }

    @Test
    void should_check_5000_outcome_files_against_a_ledger_of_5000_lists_in_a_few_seconds() throws Exception {
        int lists = 5000;
        List<OutcomeReport> reports = new ArrayList<>();
        for (int i = 0; i < lists; i++) {
            OutcomeReport r = i % 10 == 0
                    ? report("e" + i + ".csv", i, "append", 1000, task("default-e" + i, 100_000L + i, 1000, 1))
                    : report("l" + i + ".csv", i, null, 2500, task("default-l" + i, 100_000L + i, 2500, 3));
            reports.add(r);
            write(TODAY.minusDays(i % 8), r);
        }
        holdInTheLedger(reports);

        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long start = System.nanoTime();
        long cpu = os.getProcessCpuTime();
        Optional<String> lacking = checks(7).lackingHistory();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Duration cpuTook = Duration.ofNanos(os.getProcessCpuTime() - cpu);

        // the time on a busy machine says little: the CPU this process spent says what it costs
        System.out.printf("5000 outcome files checked against a ledger of 5000 lists in %d ms, %d ms of CPU (load"
                + " average %.1f)%n", took.toMillis(), cpuTook.toMillis(), os.getSystemLoadAverage());
        assertThat(lacking).isEmpty();
        // a bound for gross regressions only (a query per outcome file): the machine may be busy
        assertThat(took).isLessThan(Duration.ofSeconds(20));

        write(TODAY, report("new.csv", lists + 1, null, 2500, task("default-new", 999_999L, 2500, 3)));
        assertThat(checks(7).lackingHistory()).hasValueSatisfying(m -> assertThat(m).contains("lacks 1 list(s)",
                "new.csv.result.json [default-new=999999]"));
    }

    /** Records the reports' runs straight into the ledger's tables, in one transaction (restoring 5,000 takes long). */
    private void holdInTheLedger(List<OutcomeReport> reports) throws Exception {
        ledger.close();
        LedgerSettings settings = LedgerSettings.embedded(tmp.resolve("data"));
        String password = Files.readString(tmp.resolve("data/ledger/ledger.password")).strip();
        try (Connection c = DriverManager.getConnection(settings.url(), settings.user(), password)) {
            c.setAutoCommit(false);
            try (PreparedStatement file = c.prepareStatement("INSERT INTO ledger_file (id, sha256, file_name, profile,"
                    + " state, claim, owner, started_at) VALUES (?, ?, ?, 'default', ?, ?, 'test', ?)");
                    PreparedStatement name = c.prepareStatement("INSERT INTO ledger_task_name VALUES (?, ?)");
                    PreparedStatement task = c.prepareStatement("INSERT INTO ledger_task (file_id, task_index,"
                            + " task_name, vendor_task_id) VALUES (?, 1, ?, ?)");
                    PreparedStatement request = c.prepareStatement("INSERT INTO ledger_request (file_id, task_index,"
                            + " sequence_no, customers, state, attempts, sent_at) VALUES (?, 1, ?, ?, 'CONFIRMED', 1, ?)")) {
                java.time.OffsetDateTime t = Instant.EPOCH.atOffset(ZoneOffset.UTC);
                for (int i = 0; i < reports.size(); i++) {
                    OutcomeReport r = reports.get(i);
                    boolean done = r.stage() == null;
                    file.setLong(1, i + 1);
                    file.setString(2, r.sha256());
                    file.setString(3, r.file());
                    file.setString(4, done ? "DONE" : "FAILED");
                    file.setString(5, done ? r.sha256() : null);
                    file.setObject(6, t);
                    file.addBatch();
                    OutcomeReport.TaskSummary s = r.tasks().get(0);
                    name.setString(1, s.taskName());
                    name.setObject(2, t);
                    name.addBatch();
                    task.setLong(1, i + 1);
                    task.setString(2, s.taskName());
                    task.setLong(3, s.taskId());
                    task.addBatch();
                    for (int q = 1; q <= s.requests(); q++) {
                        request.setLong(1, i + 1);
                        request.setInt(2, q);
                        request.setInt(3, (int) Math.min(1000, s.customers() - (q - 1) * 1000L));
                        request.setObject(4, t);
                        request.addBatch();
                    }
                }
                file.executeBatch();
                name.executeBatch();
                task.executeBatch();
                request.executeBatch();
            }
            c.commit();
        }
        ledger = Ledger.open(settings);
    }

    @Test
    void should_keep_the_shipped_default_of_seven_days() throws Exception {
        java.util.Properties shipped = new java.util.Properties();
        try (java.io.Reader r = Files.newBufferedReader(io.outboundbridge.support.InProcessBridge.repo()
                .resolve("config/application.properties"))) {
            shipped.load(r);
        }
        assertThat(StartupChecks.days(key -> Optional.ofNullable(shipped.getProperty(key)))).isEqualTo(7);
    }
}
