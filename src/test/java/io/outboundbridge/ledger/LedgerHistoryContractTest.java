package io.outboundbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A ledger that lost history, checked against and completed from outcome files: on H2
 * ({@link LedgerHistoryH2Test}) and PostgreSQL ({@link LedgerHistoryPostgresTest}), each test on an empty database
 * of its own.
 */
abstract class LedgerHistoryContractTest {

    static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    private final List<Ledger> opened = new ArrayList<>();
    LedgerSettings settings;
    Ledger ledger;

    /** Settings of a new, empty database. */
    abstract LedgerSettings newDatabase() throws Exception;

    @BeforeEach
    void openLedger() throws Exception {
        settings = newDatabase();
        ledger = Ledger.open(settings, CLOCK, "service-1");
        opened.add(ledger);
    }

    @AfterEach
    void closeLedgers() {
        opened.forEach(Ledger::close);
    }

    static String sha(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** A .result.json of {@code content} filed as {@code file}. */
    static PastRun result(String content, String file, PastRun.Task... tasks) throws Exception {
        long customers = List.of(tasks).stream().mapToLong(PastRun.Task::customers).sum();
        return new PastRun("archive/2026-03-01/" + file + ".result.json", sha(content), file, "default", true,
                customers, customers, 0L, null, customers, List.of(tasks), T0, T0.plusSeconds(60));
    }

    /** An .error.json of {@code content} that stopped at {@code stage}. */
    static PastRun error(String content, String file, String stage, PastRun.Task... tasks) throws Exception {
        long customers = List.of(tasks).stream().mapToLong(PastRun.Task::customers).sum();
        return new PastRun("error/2026-03-01/" + file + ".error.json", sha(content), file, "default", false, 5000L,
                5000L, 0L, stage, customers, List.of(tasks), T0, T0.plusSeconds(60));
    }

    static PastRun.Task task(String name, Long id, long customers, int requests) {
        return new PastRun.Task(name, id, customers, requests);
    }

    /** Content {@code content} sent and done as the service does it: task 7001, a create and an append, 1,500. */
    FileEntry sent(String content, String file, String taskName, long taskId) throws Exception {
        FileEntry f = ledger.begin(sha(content), file, "default", T0);
        String name = ledger.uniqueTaskName(taskName);
        ledger.taskPlanned(f.id(), 1, name);
        ledger.requestSent(f.id(), 1, 1, 1000);
        ledger.taskCreated(f.id(), 1, taskId, "10000", "ok");
        ledger.requestSent(f.id(), 1, 2, 500);
        ledger.requestConfirmed(f.id(), 1, 2, "10000", "ok");
        return f;
    }

    // ---- the check

    @Test
    void should_find_nothing_missing_in_a_ledger_that_holds_every_run() throws Exception {
        FileEntry f = sent("a", "a.csv", "default-a", 7001L);
        ledger.finish(f.id(), FileState.DONE, 1500, 1500, 0, null, T0.plusSeconds(60));

        assertThat(ledger.unrecorded(List.of(result("a", "a.csv", task("default-a", 7001L, 1500, 2)))))
                .isEmpty();
    }

    @Test
    void should_find_nothing_missing_when_a_crash_came_between_the_report_and_the_end_of_the_run()
            throws Exception {
        sent("a", "a.csv", "default-a", 7001L);

        assertThat(ledger.unrecorded(List.of(result("a", "a.csv", task("default-a", 7001L, 1500, 2))))).isEmpty();
    }

    @Test
    void should_find_the_runs_with_confirmed_customers_that_an_empty_ledger_lacks() throws Exception {
        PastRun done = result("a", "a.csv", task("default-a", 7001L, 3, 1));
        PastRun failedAfterAnAppend = error("b", "b.csv", "append", task("default-b", 7002L, 1000, 1));
        PastRun createdOnly = error("c", "c.csv", "append", task("default-c", 7003L, 0, 0));
        PastRun refusedAtCreate = error("d", "d.csv", "create", task("default-d", null, 0, 0));
        PastRun invalid = error("e", "e.csv", "validate");

        assertThat(ledger.unrecorded(List.of(done, failedAfterAnAppend, createdOnly, refusedAtCreate, invalid)))
                .containsExactly(done, failedAfterAnAppend, createdOnly);
    }

    @Test
    void should_find_a_run_the_ledger_holds_with_fewer_tasks_or_customers() throws Exception {
        sent("a", "a.csv", "default-a", 7001L);
        sent("b", "b.csv", "default-b", 7002L);

        PastRun moreCustomers = result("a", "a.csv", task("default-a", 7001L, 2500, 3));
        PastRun moreTasks = result("b", "b.csv", task("default-b", 7002L, 1500, 2),
                task("default-b-2", 7003L, 10, 1));

        assertThat(ledger.unrecorded(List.of(moreCustomers, moreTasks))).containsExactly(moreCustomers, moreTasks);
    }

    @Test
    void should_find_a_content_the_ledger_holds_under_another_run_that_sent_it_again() throws Exception {
        FileEntry again = sent("a", "a-again.csv", "default-a(2)", 7009L);
        ledger.finish(again.id(), FileState.DONE, 1500, 1500, 0, null, T0.plusSeconds(60));

        PastRun first = result("a", "a.csv", task("default-a", 7001L, 1500, 2));

        assertThat(ledger.unrecorded(List.of(first))).containsExactly(first);
    }

    @Test
    void should_want_a_content_that_went_through_held_by_a_run_not_only_failed_or_refused_ones() throws Exception {
        FileEntry holder = ledger.begin(sha("a"), "a.csv", "default", T0);
        catchThrowableOfType(DuplicateContentException.class,
                () -> ledger.begin(sha("a"), "again.csv", "default", T0));
        ledger.finish(holder.id(), FileState.FAILED, 1, 0, 1, "validate", T0);
        PastRun done = result("a", "a.csv");

        assertThat(ledger.unrecorded(List.of(done))).containsExactly(done);

        ledger.restore(done);
        assertThat(ledger.unrecorded(List.of(done))).isEmpty();
        assertThatThrownBy(() -> ledger.begin(sha("a"), "a.csv", "default", T0))
                .isInstanceOf(DuplicateContentException.class);
    }

    @Test
    void should_check_contents_in_batches_beyond_one_statement() throws Exception {
        List<PastRun> reports = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            reports.add(result("list-" + i, "list-" + i + ".csv", task("default-list-" + i, 10_000L + i, 5, 1)));
        }
        ledger.restore(reports.get(0));
        ledger.restore(reports.get(1_100));

        List<PastRun> unrecorded = ledger.unrecorded(reports);

        assertThat(unrecorded).hasSize(1_198).doesNotContain(reports.get(0), reports.get(1_100));
    }

    // ---- restoring

    @Test
    void should_record_a_run_that_went_through_so_that_its_content_is_refused_as_a_duplicate() throws Exception {
        PastRun report = result("a", "vip/a.csv", task("default-a", 7001L, 2500, 3));

        PastRun.Restoration restored = ledger.restore(report);

        assertThat(restored).isEqualTo(new PastRun.Restoration(PastRun.Restored.RECORDED, null));
        assertThat(ledger.unrecorded(List.of(report))).isEmpty();
        FileSummary run = ledger.latestRun(sha("a")).orElseThrow();
        assertThat(run.state()).isEqualTo(FileState.DONE);
        assertThat(run.fileName()).isEqualTo("vip/a.csv");
        assertThat(run.start()).isEqualTo(T0);
        assertThat(run.end()).isEqualTo(T0.plusSeconds(60));
        assertThat(run.rows()).isEqualTo(2500);
        assertThat(run.tasks()).containsExactly(new TaskProgress(1, "default-a", 7001L, 3, 3, 2500));
        DuplicateContentException again = catchThrowableOfType(DuplicateContentException.class,
                () -> ledger.begin(sha("a"), "a-again.csv", "default", T0.plusSeconds(3600)));
        assertThat(again.earlier().fileName()).isEqualTo("vip/a.csv");
        assertThat(again.earlier().tasks()).containsExactly(new TaskRef(1, "default-a", 7001L));
        assertThat(ledger.uniqueTaskName("default-a")).as("the name stays taken").isEqualTo("default-a(2)");
    }

    @Test
    void should_record_a_failed_run_with_the_tasks_and_customers_the_vendor_confirmed() throws Exception {
        PastRun report = error("b", "b.csv", "append", task("default-b", 7002L, 2000, 2),
                task("default-b-2", null, 0, 0));

        assertThat(ledger.restore(report).how()).isEqualTo(PastRun.Restored.RECORDED);

        assertThat(ledger.unrecorded(List.of(report))).isEmpty();
        FileSummary run = ledger.latestRun(sha("b")).orElseThrow();
        assertThat(run.state()).isEqualTo(FileState.FAILED);
        assertThat(run.stage()).isEqualTo("append");
        assertThat(run.customersConfirmed()).isEqualTo(2000);
        assertThat(run.tasks()).containsExactly(new TaskProgress(1, "default-b", 7002L, 2, 2, 2000),
                new TaskProgress(2, "default-b-2", null, 0, 0, 0));
        assertThat(ledger.progress(run.fileId()).task(1).orElseThrow().lastConfirmedSequence()).isEqualTo(2);
        assertThat(ledger.uniqueTaskName("default-b-2")).isEqualTo("default-b-2(2)");
        // a failed content is free to claim, as any failed run's: what the service does with it is the run's call
        assertThat(ledger.begin(sha("b"), "b.csv", "default", T0.plusSeconds(3600)).state())
                .isEqualTo(FileState.IN_PROGRESS);
    }

    @Test
    void should_complete_a_run_that_the_ledger_holds_part_of() throws Exception {
        FileEntry f = sent("a", "a.csv", "default-a", 7001L);
        PastRun report = result("a", "a.csv", task("default-a", 7001L, 2500, 3), task("default-a-2", 7005L, 700, 1));

        assertThat(ledger.restore(report).how()).isEqualTo(PastRun.Restored.COMPLETED);

        assertThat(ledger.unrecorded(List.of(report))).isEmpty();
        Progress progress = ledger.progress(f.id());
        assertThat(progress.state()).isEqualTo(FileState.DONE);
        assertThat(progress.task(1).orElseThrow()).isEqualTo(new TaskProgress(1, "default-a", 7001L, 3, 3, 2500));
        assertThat(progress.task(2).orElseThrow()).isEqualTo(new TaskProgress(2, "default-a-2", 7005L, 1, 1, 700));
        assertThat(progress.unanswered()).isEmpty();
        assertThat(ledger.resumable(sha("a"))).isEmpty();
        assertThat(ledger.recent(10)).hasSize(1);
        assertThatThrownBy(() -> ledger.begin(sha("a"), "a.csv", "default", T0))
                .isInstanceOf(DuplicateContentException.class);
    }

    @Test
    void should_complete_a_run_begun_before_the_backup_that_had_no_task_yet() throws Exception {
        FileEntry f = ledger.begin(sha("a"), "a.csv", "default", T0);

        PastRun.Restoration restored = ledger.restore(error("a", "a.csv", "append", task("default-a", 7001L, 1000, 1)));

        assertThat(restored.how()).isEqualTo(PastRun.Restored.COMPLETED);
        FileSummary run = ledger.latestRun(sha("a")).orElseThrow();
        assertThat(run.fileId()).isEqualTo(f.id());
        assertThat(run.state()).isEqualTo(FileState.FAILED);
        assertThat(run.stage()).isEqualTo("append");
        assertThat(run.customersConfirmed()).isEqualTo(1000);
    }

    @Test
    void should_record_a_run_sent_again_beside_the_run_that_holds_its_content_and_say_so() throws Exception {
        FileEntry again = sent("a", "a-again.csv", "default-a(2)", 7009L);
        ledger.finish(again.id(), FileState.DONE, 1500, 1500, 0, null, T0.plusSeconds(60));
        PastRun first = result("a", "a.csv", task("default-a", 7001L, 1500, 2));

        PastRun.Restoration restored = ledger.restore(first);

        assertThat(restored).isEqualTo(new PastRun.Restoration(PastRun.Restored.SENT_TWICE, "a-again.csv"));
        assertThat(ledger.unrecorded(List.of(first))).isEmpty();
        assertThat(ledger.recent(10)).extracting(FileSummary::fileName, FileSummary::state, FileSummary::stage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a.csv", FileState.FAILED, "restored"),
                        org.assertj.core.groups.Tuple.tuple("a-again.csv", FileState.DONE, null));
        assertThatThrownBy(() -> ledger.begin(sha("a"), "a.csv", "default", T0))
                .isInstanceOf(DuplicateContentException.class);
    }

    @Test
    void should_leave_a_run_the_ledger_holds_as_it_is() throws Exception {
        PastRun report = result("a", "a.csv", task("default-a", 7001L, 2500, 3));
        ledger.restore(report);

        assertThat(ledger.restore(report).how()).isEqualTo(PastRun.Restored.ALREADY_KNOWN);

        assertThat(ledger.recent(10)).hasSize(1);
        assertThat(ledger.latestRun(sha("a")).orElseThrow().customersConfirmed()).isEqualTo(2500);
    }

    @Test
    void should_refuse_a_report_whose_task_name_belongs_to_another_content_and_record_nothing() throws Exception {
        sent("other", "other.csv", "default-a", 7001L);
        PastRun report = result("a", "a.csv", task("default-a", 7002L, 5, 1));

        assertThatThrownBy(() -> ledger.restore(report)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("archive/2026-03-01/a.csv.result.json").hasMessageContaining("other.csv");

        assertThat(ledger.recent(10)).extracting(FileSummary::fileName).containsExactly("other.csv");
    }

    @Test
    void should_refuse_a_report_whose_task_has_another_vendor_id_in_the_ledger() throws Exception {
        sent("a", "a.csv", "default-a", 7001L);

        assertThatThrownBy(() -> ledger.restore(result("a", "a.csv", task("default-a", 7777L, 5, 1))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("7001").hasMessageContaining("7777");
    }

    @Test
    void should_refuse_to_restore_a_run_the_vendor_confirmed_nothing_of() throws Exception {
        assertThatThrownBy(() -> ledger.restore(error("a", "a.csv", "validate")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ledger.recent(10)).isEmpty();
    }

    @Test
    void should_shorten_texts_of_a_report_to_their_columns() throws Exception {
        String longName = "partner/" + "名".repeat(1200) + ".csv";
        PastRun report = new PastRun("archive/2026-03-01/x.result.json", sha("a"), longName, "p".repeat(300), false,
                1L, 1L, 0L, "s".repeat(100), 1, List.of(task("default-x", 7001L, 1, 1)), T0, null);

        ledger.restore(report);

        FileSummary run = ledger.latestRun(sha("a")).orElseThrow();
        assertThat(run.fileName()).hasSize(LedgerSql.FILE_NAME_MAX);
        assertThat(run.profile()).hasSize(LedgerSql.PROFILE_MAX);
        assertThat(run.stage()).hasSize(LedgerSql.STAGE_MAX);
        assertThat(run.end()).isEqualTo(T0);
    }
}
