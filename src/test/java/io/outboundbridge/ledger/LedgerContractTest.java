package io.outboundbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.outboundbridge.task.VendorRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every ledger database must do; run on H2 ({@link LedgerH2Test}) and PostgreSQL ({@link LedgerPostgresTest}).
 * Each test gets an empty database of its own.
 */
abstract class LedgerContractTest {

    static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    static final int RACERS = 8;

    private final List<Ledger> opened = new ArrayList<>();
    LedgerSettings settings;
    Ledger ledger;

    /** Settings of a new, empty database. */
    abstract LedgerSettings newDatabase() throws Exception;

    @BeforeEach
    void openLedger() throws Exception {
        settings = newDatabase();
        ledger = open("service-1");
    }

    @AfterEach
    void closeLedgers() {
        opened.forEach(Ledger::close);
    }

    Ledger open(String owner) {
        Ledger l = Ledger.open(settings, CLOCK, owner);
        opened.add(l);
        return l;
    }

    /** Another instance on the same database, holding its claims for {@code leaseMillis}. */
    Ledger instance(String id, long leaseMillis) {
        Ledger l = Ledger.open(settings, CLOCK, id, leaseMillis);
        opened.add(l);
        return l;
    }

    static String sha(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** A run with task 1 created (vendor id 7001) and its first append confirmed: 1,500 customers sent. */
    FileEntry halfSent(String content, String fileName) throws Exception {
        FileEntry f = ledger.begin(sha(content), fileName, "default", T0);
        String name = ledger.uniqueTaskName("default-" + fileName);
        ledger.taskPlanned(f.id(), 1, name);
        ledger.requestSent(f.id(), 1, 1, 1000);
        ledger.taskCreated(f.id(), 1, 7001L, "10000", "请求成功");
        ledger.requestSent(f.id(), 1, 2, 500);
        ledger.requestConfirmed(f.id(), 1, 2, "10000", "请求成功");
        return f;
    }

    /** A connection of its own to the test's database, beside the ledger's. */
    Connection connect() throws Exception {
        return DriverManager.getConnection(settings.url(), settings.user(), settings.password());
    }

    long count(String sql) throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String text(String sql) throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A text of {@code length} chars: CJK with a character outside the BMP (two chars) now and then. */
    static String longText(int length) {
        StringBuilder b = new StringBuilder(length);
        while (b.length() < length) {
            b.append(b.length() % 7 == 0 && b.length() + 2 <= length ? "\uD83D\uDCDE" : "消");
        }
        return b.toString();
    }

    // ---- schema

    @Test
    void should_create_the_schema_on_open() throws Exception {
        assertThat(count("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '1' AND \"success\""))
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM ledger_file")).isZero();
    }

    @Test
    void should_keep_data_and_schema_when_reopened() throws Exception {
        FileEntry f = ledger.begin(sha("a"), "a.csv", "default", T0);
        long history = count("SELECT COUNT(*) FROM \"flyway_schema_history\"");
        ledger.close();

        Ledger again = open("service-1");

        assertThat(again.resumable(sha("a"))).contains(f);
        assertThat(count("SELECT COUNT(*) FROM \"flyway_schema_history\"")).isEqualTo(history);
        assertThat(count("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '1'")).isEqualTo(1);
    }

    @Test
    void should_name_the_url_and_not_the_password_when_it_cannot_open() {
        LedgerSettings wrong = new LedgerSettings(settings.url(), settings.user(), "wrong-Pa55word");

        assertThatThrownBy(() -> Ledger.open(wrong))
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining("cannot open the ledger at " + settings.safeUrl())
                .hasMessageContaining("as user " + settings.user())
                .hasMessageNotContaining("wrong-Pa55word");
    }

    @Test
    void should_open_in_the_background_and_make_every_call_wait_until_it_is_open() throws Exception {
        LedgerSettings fresh = newDatabase();

        Ledger background = Ledger.openInBackground(fresh);
        opened.add(background);
        FileEntry f = background.begin(sha("a"), "a.csv", "default", T0);

        background.awaitOpen();
        assertThat(background.resumable(sha("a"))).contains(f);
    }

    @Test
    void should_report_a_ledger_that_cannot_be_opened_in_the_background_when_it_is_awaited() {
        LedgerSettings wrong = new LedgerSettings(settings.url(), settings.user(), "wrong-Pa55word");

        Ledger background = Ledger.openInBackground(wrong);

        assertThatThrownBy(background::awaitOpen)
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining("cannot open the ledger at " + settings.safeUrl())
                .hasMessageNotContaining("wrong-Pa55word");
        assertThatThrownBy(() -> background.recent(1)).isInstanceOf(LedgerException.class);
        background.close(); // nothing to close, and no error
    }

    // ---- files and duplicates

    @Test
    void should_begin_a_new_content() throws Exception {
        FileEntry f = ledger.begin(sha("a"), "vip/a.csv", "vip", T0);

        assertThat(f).isEqualTo(new FileEntry(f.id(), sha("a"), "vip/a.csv", "vip", FileState.IN_PROGRESS,
                "service-1", T0, null));
        assertThat(ledger.resumable(sha("a"))).contains(f);
    }

    @Test
    void should_refuse_a_content_already_done_naming_the_earlier_file_day_and_tasks() throws Exception {
        FileEntry first = halfSent("a", "a.csv");
        ledger.finish(first.id(), FileState.DONE, 1500, 1500, 0, null, T0.plusSeconds(60));

        DuplicateContentException e = catchThrowableOfType(DuplicateContentException.class,
                () -> ledger.begin(sha("a"), "copy-of-a.csv", "default", T0.plusSeconds(86_400)));

        DuplicateContent earlier = e.earlier();
        assertThat(earlier.fileId()).isEqualTo(first.id());
        assertThat(earlier.fileName()).isEqualTo("a.csv");
        assertThat(earlier.state()).isEqualTo(FileState.DONE);
        assertThat(earlier.start()).isEqualTo(T0);
        assertThat(earlier.end()).isEqualTo(T0.plusSeconds(60));
        assertThat(earlier.day(ZoneId.of("Asia/Shanghai"))).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(earlier.tasks()).containsExactly(new TaskRef(1, "default-a.csv", 7001L));
        assertThat(e.getMessage()).contains("copy-of-a.csv", "a.csv");
    }

    @Test
    void should_record_a_refused_duplicate_as_failed_with_stage_duplicate() throws Exception {
        FileEntry first = ledger.begin(sha("a"), "a.csv", "default", T0);

        DuplicateContentException e = catchThrowableOfType(DuplicateContentException.class,
                () -> ledger.begin(sha("a"), "again.csv", "default", T0.plusSeconds(5)));

        assertThat(e.fileId()).isNotEqualTo(first.id());
        FileSummary refused = ledger.recent(1).get(0);
        assertThat(refused.fileId()).isEqualTo(e.fileId());
        assertThat(refused.fileName()).isEqualTo("again.csv");
        assertThat(refused.state()).isEqualTo(FileState.FAILED);
        assertThat(refused.stage()).isEqualTo("duplicate");
        assertThat(ledger.resumable(sha("a")).orElseThrow().id()).isEqualTo(first.id());
    }

    @Test
    void should_refuse_a_content_in_progress() throws Exception {
        halfSent("a", "a.csv");

        DuplicateContentException e = catchThrowableOfType(DuplicateContentException.class,
                () -> ledger.begin(sha("a"), "b.csv", "default", T0));

        assertThat(e.earlier().state()).isEqualTo(FileState.IN_PROGRESS);
        assertThat(e.earlier().end()).isNull();
        assertThat(e.earlier().tasks()).containsExactly(new TaskRef(1, "default-a.csv", 7001L));
    }

    @Test
    void should_claim_again_a_content_whose_run_failed() throws Exception {
        FileEntry first = ledger.begin(sha("a"), "a.csv", "default", T0);
        ledger.finish(first.id(), FileState.FAILED, 10, 0, 10, "validate", T0.plusSeconds(1));

        FileEntry second = ledger.begin(sha("a"), "a.csv", "default", T0.plusSeconds(2));

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.state()).isEqualTo(FileState.IN_PROGRESS);
        assertThat(ledger.resumable(sha("a"))).contains(second);
    }

    @Test
    void should_let_exactly_one_of_racing_begins_claim_a_content() throws Exception {
        Ledger other = open("service-2");
        CyclicBarrier start = new CyclicBarrier(RACERS);
        List<Callable<Object>> racers = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            Ledger l = i % 2 == 0 ? ledger : other;
            String name = "racer-" + i + ".csv";
            racers.add(() -> {
                start.await(30, TimeUnit.SECONDS);
                try {
                    return l.begin(sha("same"), name, "default", T0);
                } catch (DuplicateContentException e) {
                    return e;
                }
            });
        }

        List<Object> results = runAll(racers);

        assertThat(results).filteredOn(FileEntry.class::isInstance).hasSize(1);
        FileEntry winner = (FileEntry) results.stream().filter(FileEntry.class::isInstance).findFirst().orElseThrow();
        assertThat(results).filteredOn(DuplicateContentException.class::isInstance).hasSize(RACERS - 1)
                .allSatisfy(r -> assertThat(((DuplicateContentException) r).earlier().fileId()).isEqualTo(winner.id()));
        assertThat(count("SELECT COUNT(*) FROM ledger_file WHERE claim IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void should_take_over_an_unfinished_run_when_resuming() throws Exception {
        FileEntry f = ledger.begin(sha("a"), "a.csv", "default", T0);
        Ledger restarted = open("service-1-restarted");

        FileEntry resumed = restarted.resume(sha("a"), T0.plusSeconds(600));

        assertThat(resumed.id()).isEqualTo(f.id());
        assertThat(resumed.owner()).isEqualTo("service-1-restarted");
        assertThat(resumed.resumed()).isEqualTo(T0.plusSeconds(600));
        assertThat(resumed.state()).isEqualTo(FileState.IN_PROGRESS);
    }

    @Test
    void should_refuse_to_resume_a_content_that_is_done_or_unknown() throws Exception {
        FileEntry f = ledger.begin(sha("a"), "a.csv", "default", T0);
        ledger.finish(f.id(), FileState.DONE, 1, 1, 0, null, T0);

        assertThat(ledger.resumable(sha("a"))).isEmpty();
        assertThatThrownBy(() -> ledger.resume(sha("a"), T0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ledger.resume(sha("never seen"), T0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void should_refuse_to_finish_a_run_twice() throws Exception {
        FileEntry f = ledger.begin(sha("a"), "a.csv", "default", T0);
        ledger.finish(f.id(), FileState.DONE, 1, 1, 0, null, T0);

        assertThatThrownBy(() -> ledger.finish(f.id(), FileState.FAILED, 1, 0, 1, "append", T0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ledger.begin(sha("a"), "a.csv", "default", T0))
                .isInstanceOf(DuplicateContentException.class);
    }

    // ---- task names

    @Test
    void should_suffix_a_task_name_already_in_the_ledger() {
        assertThat(ledger.uniqueTaskName("default-list")).isEqualTo("default-list");
        assertThat(ledger.uniqueTaskName("default-list")).isEqualTo("default-list(2)");
        assertThat(ledger.uniqueTaskName("default-list")).isEqualTo("default-list(3)");
        assertThat(ledger.uniqueTaskName("default-list-2")).isEqualTo("default-list-2");
    }

    @Test
    void should_keep_a_suffixed_50_character_name_within_50_characters() {
        String wanted = "外".repeat(50);

        String first = ledger.uniqueTaskName(wanted);
        String second = ledger.uniqueTaskName(wanted);

        assertThat(first).isEqualTo(wanted);
        assertThat(second).endsWith("(2)").isNotEqualTo(first);
        assertThat(VendorRules.length(second)).isLessThanOrEqualTo(VendorRules.TASK_NAME_MAX);
    }

    @Test
    void should_fit_a_wanted_name_longer_than_50_characters() {
        String name = ledger.uniqueTaskName("n".repeat(60));

        assertThat(VendorRules.length(name)).isEqualTo(VendorRules.TASK_NAME_MAX);
    }

    @Test
    void should_give_racing_callers_distinct_names() throws Exception {
        Ledger other = open("service-2");
        CyclicBarrier start = new CyclicBarrier(RACERS);
        List<Callable<Object>> racers = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            Ledger l = i % 2 == 0 ? ledger : other;
            racers.add(() -> {
                start.await(30, TimeUnit.SECONDS);
                return l.uniqueTaskName("default-list");
            });
        }

        Set<Object> names = new HashSet<>(runAll(racers));

        assertThat(names).hasSize(RACERS).contains("default-list", "default-list(" + RACERS + ")");
    }

    @Test
    void should_refuse_to_plan_a_name_that_was_not_reserved_or_belongs_to_another_task() throws Exception {
        FileEntry a = ledger.begin(sha("a"), "a.csv", "default", T0);
        FileEntry b = ledger.begin(sha("b"), "b.csv", "default", T0);
        String name = ledger.uniqueTaskName("default-a");
        ledger.taskPlanned(a.id(), 1, name);

        assertThatThrownBy(() -> ledger.taskPlanned(a.id(), 2, "never-reserved"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not reserved");
        assertThatThrownBy(() -> ledger.taskPlanned(b.id(), 1, name))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another task");
        assertThatThrownBy(() -> ledger.taskPlanned(a.id(), 1, ledger.uniqueTaskName("other")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already named");
    }

    @Test
    void should_accept_the_same_plan_twice() throws Exception {
        FileEntry a = ledger.begin(sha("a"), "a.csv", "default", T0);
        String name = ledger.uniqueTaskName("default-a");
        ledger.taskPlanned(a.id(), 1, name);

        ledger.taskPlanned(a.id(), 1, name);

        assertThat(ledger.progress(a.id()).tasks()).hasSize(1);
    }

    // ---- requests and progress

    @Test
    void should_report_progress_per_task_from_confirmed_requests() throws Exception {
        FileEntry f = halfSent("a", "a.csv");
        ledger.requestSent(f.id(), 1, 3, 1000);
        ledger.taskPlanned(f.id(), 2, ledger.uniqueTaskName("default-a.csv-2"));

        Progress p = ledger.progress(f.id());

        assertThat(p.state()).isEqualTo(FileState.IN_PROGRESS);
        assertThat(p.tasks()).containsExactly(
                new TaskProgress(1, "default-a.csv", 7001L, 2, 2, 1500),
                new TaskProgress(2, "default-a.csv-2", null, 0, 0, 0));
        assertThat(p.unanswered()).containsExactly(new UnansweredRequest(1, 3, 1000, 1, T0));
        assertThat(p.answerLost()).isTrue();
        assertThat(p.createOutcomeUnknown()).isEmpty();
        assertThat(p.confirmed(1, 2)).isTrue();
        assertThat(p.confirmed(1, 3)).isFalse();
        assertThat(p.confirmed(2, 1)).isFalse();
        assertThat(p.requestsConfirmed()).isEqualTo(2);
        assertThat(p.customersConfirmed()).isEqualTo(1500);
    }

    @Test
    void should_resume_after_a_crash_from_the_last_confirmed_request_with_the_same_task_id() throws Exception {
        FileEntry f = halfSent("a", "a.csv");
        ledger.requestSent(f.id(), 1, 3, 1000);
        ledger.close(); // the process dies: no finish, request 3's answer never recorded

        Ledger restarted = open("service-1-restarted");
        FileEntry resumed = restarted.resume(restarted.resumable(sha("a")).orElseThrow().sha256(), T0.plusSeconds(60));
        Progress p = restarted.progress(resumed.id());

        assertThat(resumed.id()).isEqualTo(f.id());
        assertThat(p.task(1).orElseThrow().vendorTaskId()).isEqualTo(7001L);
        assertThat(p.task(1).orElseThrow().lastConfirmedSequence()).isEqualTo(2);
        assertThat(p.task(1).orElseThrow().customersConfirmed()).isEqualTo(1500);
        assertThat(p.unanswered()).extracting(UnansweredRequest::sequence).containsExactly(3);
    }

    @Test
    void should_report_a_create_whose_answer_was_lost_as_outcome_unknown() throws Exception {
        FileEntry f = ledger.begin(sha("a"), "a.csv", "default", T0);
        ledger.taskPlanned(f.id(), 1, ledger.uniqueTaskName("default-a"));
        ledger.requestSent(f.id(), 1, 1, 1000);

        Progress lost = ledger.progress(f.id());
        ledger.requestSent(f.id(), 1, 1, 1000); // retried with the same name
        ledger.requestFailed(f.id(), 1, 1, "29002", "task name exists");
        Progress refused = ledger.progress(f.id());

        assertThat(lost.createOutcomeUnknown()).contains(new UnansweredRequest(1, 1, 1000, 1, T0));
        assertThat(lost.task(1).orElseThrow().vendorTaskId()).isNull();
        assertThat(refused.createOutcomeUnknown()).isEmpty();
        assertThat(refused.task(1).orElseThrow().taskName()).isEqualTo("default-a");
        assertThat(count("SELECT attempts FROM ledger_request WHERE file_id = " + f.id())).isEqualTo(2);
    }

    @Test
    void should_refuse_to_send_a_confirmed_request_again() throws Exception {
        FileEntry f = halfSent("a", "a.csv");

        assertThatThrownBy(() -> ledger.requestSent(f.id(), 1, 2, 500))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> ledger.requestSent(f.id(), 1, 1, 1000))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
    }

    @Test
    void should_send_again_a_request_the_vendor_refused() throws Exception {
        FileEntry f = halfSent("a", "a.csv");
        ledger.requestSent(f.id(), 1, 3, 1000);
        ledger.requestFailed(f.id(), 1, 3, "20001", "request failed");

        ledger.requestSent(f.id(), 1, 3, 1000);
        ledger.requestConfirmed(f.id(), 1, 3, "10000", "ok");

        assertThat(ledger.progress(f.id()).task(1).orElseThrow().customersConfirmed()).isEqualTo(2500);
    }

    @Test
    void should_record_a_confirmed_append_in_one_go_and_after_an_earlier_attempt() throws Exception {
        FileEntry f = halfSent("a", "a.csv");
        ledger.requestSent(f.id(), 1, 4, 1000);
        ledger.requestFailed(f.id(), 1, 4, "20001", "request failed");

        ledger.appendConfirmed(f.id(), 1, 3, 1000, "10000", "ok");
        ledger.appendConfirmed(f.id(), 1, 4, 900, "10000", "ok");

        Progress p = ledger.progress(f.id());
        assertThat(p.task(1).orElseThrow().lastConfirmedSequence()).isEqualTo(4);
        assertThat(p.task(1).orElseThrow().customersConfirmed()).isEqualTo(1000 + 500 + 1000 + 900);
        assertThat(p.unanswered()).isEmpty();
        String request = "FROM ledger_request WHERE file_id = " + f.id() + " AND task_index = 1 AND sequence_no = ";
        assertThat(count("SELECT attempts " + request + 3)).isEqualTo(1);
        assertThat(count("SELECT attempts " + request + 4)).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) " + request + "3 AND state = 'CONFIRMED' AND vendor_code = '10000'"
                + " AND sent_at IS NOT NULL AND answered_at IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void should_refuse_to_confirm_an_append_twice_or_before_its_task_has_a_vendor_id() throws Exception {
        FileEntry f = halfSent("a", "a.csv");
        ledger.taskPlanned(f.id(), 2, ledger.uniqueTaskName("default-a.csv-2"));

        assertThatThrownBy(() -> ledger.appendConfirmed(f.id(), 1, 2, 500, "10000", "ok"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> ledger.appendConfirmed(f.id(), 2, 2, 1000, "10000", "ok"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("vendor id");
        assertThatThrownBy(() -> ledger.appendConfirmed(f.id(), 3, 2, 1000, "10000", "ok"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not planned");
        assertThat(count("SELECT COUNT(*) FROM ledger_request WHERE file_id = " + f.id())).isEqualTo(2);
    }

    @Test
    void should_refuse_an_append_before_the_create_is_confirmed() throws Exception {
        FileEntry f = ledger.begin(sha("a"), "a.csv", "default", T0);
        ledger.taskPlanned(f.id(), 1, ledger.uniqueTaskName("default-a"));

        assertThatThrownBy(() -> ledger.requestSent(f.id(), 1, 2, 1000))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("vendor id");
        assertThatThrownBy(() -> ledger.requestSent(f.id(), 2, 1, 1000))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not planned");
    }

    @Test
    void should_confirm_a_create_only_with_its_task_id() throws Exception {
        FileEntry f = ledger.begin(sha("a"), "a.csv", "default", T0);
        ledger.taskPlanned(f.id(), 1, ledger.uniqueTaskName("default-a"));

        assertThatThrownBy(() -> ledger.taskCreated(f.id(), 1, 7001L, "10000", "ok"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not recorded as sent");
        assertThat(ledger.progress(f.id()).task(1).orElseThrow().vendorTaskId()).isNull();
        ledger.requestSent(f.id(), 1, 1, 10);
        assertThatThrownBy(() -> ledger.requestConfirmed(f.id(), 1, 1, "10000", "ok"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taskCreated");
        ledger.taskCreated(f.id(), 1, 7001L, "10000", "ok");
        ledger.taskCreated(f.id(), 1, 7001L, "10000", "ok");
        assertThatThrownBy(() -> ledger.taskCreated(f.id(), 1, 9999L, "10000", "ok"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another vendor task id");
    }

    @Test
    void should_refuse_an_answer_to_a_request_never_sent() throws Exception {
        FileEntry f = halfSent("a", "a.csv");

        assertThatThrownBy(() -> ledger.requestConfirmed(f.id(), 1, 9, "10000", "ok"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not recorded as sent");
        assertThatThrownBy(() -> ledger.requestFailed(f.id(), 1, 2, "29002", "bad"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CONFIRMED");
    }

    // ---- text from outside, bounded to its column

    @Test
    void should_record_a_vendor_message_longer_than_its_column_shortened_with_its_length() throws Exception {
        FileEntry f = halfSent("a", "a.csv");
        String request = "FROM ledger_request WHERE file_id = " + f.id() + " AND task_index = 1 AND sequence_no = ";
        String longMessage = "任务名称已存在 " + "x".repeat(2100 - 8);
        String fiveMegabytes = longText(5 * 1024 * 1024);

        ledger.requestSent(f.id(), 1, 3, 1000);
        ledger.requestFailed(f.id(), 1, 3, "29002", longMessage);
        ledger.appendConfirmed(f.id(), 1, 4, 1000, "10000", fiveMegabytes);

        String stored3 = text("SELECT vendor_message " + request + 3);
        assertThat(stored3).hasSizeLessThanOrEqualTo(LedgerSql.VENDOR_MESSAGE_MAX).startsWith("任务名称已存在 xxx")
                .endsWith("xx\u2026(2100 chars)");
        String stored4 = text("SELECT vendor_message " + request + 4);
        assertThat(stored4).hasSizeLessThanOrEqualTo(LedgerSql.VENDOR_MESSAGE_MAX)
                .startsWith(fiveMegabytes.substring(0, 1000))
                .endsWith("\u2026(" + fiveMegabytes.codePointCount(0, fiveMegabytes.length()) + " chars)");
        assertThat(ledger.progress(f.id()).task(1).orElseThrow().customersConfirmed()).isEqualTo(2500);
    }

    @Test
    void should_record_every_text_from_outside_shortened_to_its_column() throws Exception {
        String fileName = "partner/" + longText(1500) + ".csv";
        String profile = "p".repeat(300);
        Ledger longOwner = open("host-" + "h".repeat(300));

        FileEntry f = longOwner.begin(sha("a"), fileName, profile, T0);
        DuplicateContentException again = catchThrowableOfType(DuplicateContentException.class,
                () -> longOwner.begin(sha("a"), fileName + "-again", profile, T0));
        longOwner.taskPlanned(f.id(), 1, longOwner.uniqueTaskName("t"));
        longOwner.requestSent(f.id(), 1, 1, 10);
        longOwner.taskCreated(f.id(), 1, 7001L, "1".repeat(100), "ok\u0000" + "m".repeat(3000));
        longOwner.resume(sha("a"), T0);
        longOwner.finish(f.id(), FileState.DONE, 10, 10, 0, "s".repeat(100), T0);

        assertThat(f.fileName()).hasSizeLessThanOrEqualTo(LedgerSql.FILE_NAME_MAX).startsWith(fileName.substring(0, 900))
                .endsWith("\u2026(" + fileName.codePointCount(0, fileName.length()) + " chars)");
        assertThat(f.profile()).hasSize(LedgerSql.PROFILE_MAX).endsWith("\u2026(300 chars)");
        assertThat(f.owner()).hasSize(LedgerSql.OWNER_MAX);
        assertThat(longOwner.recent(2)).extracting(FileSummary::fileName)
                .containsExactly(LedgerRows.bounded(fileName + "-again", LedgerSql.FILE_NAME_MAX), f.fileName());
        assertThat(longOwner.resumable(sha("a"))).isEmpty();
        assertThat(text("SELECT stage FROM ledger_file WHERE id = " + f.id())).hasSize(LedgerSql.STAGE_MAX);
        String request = "FROM ledger_request WHERE file_id = " + f.id();
        assertThat(text("SELECT vendor_code " + request)).hasSize(LedgerSql.VENDOR_CODE_MAX).endsWith("(100 chars)");
        assertThat(text("SELECT vendor_message " + request)).hasSize(LedgerSql.VENDOR_MESSAGE_MAX)
                .startsWith("ok\uFFFDmmm").endsWith("\u2026(3003 chars)");
    }

    @Test
    void should_know_the_width_of_every_column_it_bounds() throws Exception {
        assertThat(width("ledger_file", "file_name")).isEqualTo(LedgerSql.FILE_NAME_MAX);
        assertThat(width("ledger_file", "profile")).isEqualTo(LedgerSql.PROFILE_MAX);
        assertThat(width("ledger_file", "owner")).isEqualTo(LedgerSql.OWNER_MAX);
        assertThat(width("ledger_file", "stage")).isEqualTo(LedgerSql.STAGE_MAX);
        assertThat(width("ledger_request", "vendor_code")).isEqualTo(LedgerSql.VENDOR_CODE_MAX);
        assertThat(width("ledger_request", "vendor_message")).isEqualTo(LedgerSql.VENDOR_MESSAGE_MAX);
    }

    private long width(String table, String column) throws Exception {
        return count("SELECT character_maximum_length FROM information_schema.columns WHERE LOWER(table_name) = '"
                + table + "' AND LOWER(column_name) = '" + column + "'");
    }

    // ---- status

    @Test
    void should_list_recent_files_newest_first_with_how_far_they_got() throws Exception {
        FileEntry done = ledger.begin(sha("done"), "done.csv", "default", T0);
        ledger.taskPlanned(done.id(), 1, ledger.uniqueTaskName("default-done"));
        ledger.requestSent(done.id(), 1, 1, 3);
        ledger.taskCreated(done.id(), 1, 6001L, "10000", "ok");
        ledger.finish(done.id(), FileState.DONE, 4, 3, 1, null, T0.plusSeconds(9));
        FileEntry running = halfSent("running", "running.csv");
        ledger.begin(sha("old"), "old.csv", "default", T0.minusSeconds(99));

        List<FileSummary> two = ledger.recent(2);
        List<FileSummary> all = ledger.recent(50);

        assertThat(two).extracting(FileSummary::fileName).containsExactly("old.csv", "running.csv");
        assertThat(all).extracting(FileSummary::fileName).containsExactly("old.csv", "running.csv", "done.csv");
        FileSummary r = all.get(1);
        assertThat(r.fileId()).isEqualTo(running.id());
        assertThat(r.state()).isEqualTo(FileState.IN_PROGRESS);
        assertThat(r.rows()).isNull();
        assertThat(r.end()).isNull();
        assertThat(r.requestsConfirmed()).isEqualTo(2);
        assertThat(r.customersConfirmed()).isEqualTo(1500);
        assertThat(r.tasks()).extracting(TaskProgress::vendorTaskId).containsExactly(7001L);
        FileSummary d = all.get(2);
        assertThat(d).isEqualTo(new FileSummary(done.id(), "done.csv", sha("done"), "default", FileState.DONE, T0,
                T0.plusSeconds(9), 4L, 3L, 1L, null, List.of(new TaskProgress(1, "default-done", 6001L, 1, 1, 3))));
    }

    static List<Object> runAll(List<Callable<Object>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- several instances: list claims and run leases, by the database's clock

    @Test
    void should_let_one_instance_hold_a_list_until_it_releases_it() {
        Ledger a = instance("a", 60_000);
        Ledger b = instance("b", 60_000);

        assertThat(a.claimList("vip/l.csv", true)).hasValue(1);
        assertThat(b.claimList("vip/l.csv", true)).isEmpty();
        assertThat(b.listClaim("vip/l.csv")).hasValueSatisfying(c -> {
            assertThat(c.instance()).isEqualTo("a");
            assertThat(c.lapsed()).isFalse();
            assertThat(c.leaseUntil()).isAfter(c.claimedAt());
        });
        assertThat(b.releaseList("vip/l.csv")).isFalse();
        assertThat(a.releaseList("vip/l.csv")).isTrue();

        assertThat(b.claimList("vip/l.csv", true)).hasValue(1);
        assertThat(b.listClaims()).extracting(ListClaim::key, ListClaim::instance)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("vip/l.csv", "b"));
    }

    @Test
    void should_take_its_own_claim_again_only_when_no_list_of_that_name_is_in_flight_here() {
        Ledger a = instance("a", 60_000);

        assertThat(a.claimList("l.csv", true)).hasValue(1);
        assertThat(a.claimList("l.csv", false)).isEmpty();
        assertThat(a.claimList("l.csv", true)).hasValue(2);
    }

    @Test
    void should_hand_a_lapsed_claim_to_another_instance_under_the_next_fence() {
        Ledger a = instance("a", 300);
        Ledger b = instance("b", 60_000);
        assertThat(a.claimList("l.csv", true)).hasValue(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> b.claimList("l.csv", false).isPresent());

        assertThat(b.listClaim("l.csv")).hasValueSatisfying(c -> {
            assertThat(c.instance()).isEqualTo("b");
            assertThat(c.fence()).isEqualTo(2);
        });
        // a's heartbeat finds it lost, and renews b's claim under b's fence only
        assertThat(a.renew(java.util.Map.of("l.csv", 1L), java.util.Map.of()).lostKeys()).containsExactly("l.csv");
        assertThat(b.renew(java.util.Map.of("l.csv", 2L), java.util.Map.of()).lostKeys()).isEmpty();
        assertThat(a.releaseList("l.csv")).isFalse();
    }

    @Test
    void should_let_another_instance_take_over_a_run_only_once_its_lease_lapsed_and_fence_out_the_old_owner()
            throws Exception {
        Ledger a = instance("a", 400);
        Ledger b = instance("b", 60_000);
        Ledger c = instance("c", 60_000);
        FileEntry f = a.begin(sha("x"), "x.csv", "default", T0);
        assertThat(f.fence()).isEqualTo(1);
        String name = a.uniqueTaskName("default-x");
        a.taskPlanned(f.id(), 1, name);
        a.requestSent(f.id(), 1, 1, 10, f.fence());
        a.taskCreated(f.id(), 1, 9001L, "10000", "ok", f.fence());
        assertThat(a.renew(java.util.Map.of(), java.util.Map.of(f.id(), 1L)).lostRuns()).isEmpty();

        await().atMost(Duration.ofSeconds(10)).until(() -> b.liveOwner(sha("x")).isEmpty());
        FileEntry taken = b.takeOver(sha("x"), T0).orElseThrow();

        assertThat(taken.owner()).isEqualTo("b");
        assertThat(taken.fence()).isEqualTo(2);
        assertThat(c.takeOver(sha("x"), T0)).as("b's lease is live").isEmpty();
        assertThat(c.liveOwner(sha("x"))).hasValue("b");
        assertThat(b.progress(f.id()).tasks()).extracting(TaskProgress::vendorTaskId).containsExactly(9001L);
        assertThat(a.renew(java.util.Map.of(), java.util.Map.of(f.id(), 1L)).lostRuns()).containsExactly(f.id());
        assertThatThrownBy(() -> a.requestSent(f.id(), 1, 2, 10, 1))
                .isInstanceOf(ClaimLostException.class).hasMessageContaining("taken over by b");
        b.requestSent(f.id(), 1, 2, 10, 2);
        b.requestConfirmed(f.id(), 1, 2, "10000", "ok");
    }

    @Test
    void should_see_the_instances_and_release_what_an_earlier_process_of_the_same_id_held() throws Exception {
        Ledger a = instance("a", 60_000);
        a.startInstance(false);
        assertThat(a.claimList("l.csv", false)).hasValue(1);
        FileEntry f = a.begin(sha("y"), "y.csv", "default", T0);
        assertThat(a.takeOver(sha("y"), T0)).isEmpty();

        Ledger restarted = instance("a", 60_000);
        restarted.startInstance(false);

        assertThat(restarted.listClaim("l.csv")).isEmpty();
        assertThat(restarted.takeOver(sha("y"), T0)).hasValueSatisfying(e -> assertThat(e.fence()).isEqualTo(2));
        assertThat(restarted.instances()).extracting(InstanceSeen::instanceId, InstanceSeen::live)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", true));
        restarted.stopInstance();
        assertThat(restarted.instances()).isEmpty();
        assertThat(f.id()).isPositive();
    }
}
