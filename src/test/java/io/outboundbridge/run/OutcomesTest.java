package io.outboundbridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outboundbridge.ledger.FileState;
import io.outboundbridge.ledger.Progress;
import io.outboundbridge.reading.Inspection;
import io.outboundbridge.reading.ListFailedException;
import io.outboundbridge.task.PlannedRequest;
import io.outboundbridge.vendor.VendorAnswer;
import io.outboundbridge.vendor.VendorRetryableException;
import io.outboundbridge.vendor.VendorUnreachableException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutcomesTest {

    private static final String DAY = "2026-12-06";

    @TempDir
    Path tmp;

    private final Outcomes outcomes = new Outcomes(Clock.fixed(Instant.parse("2026-12-06T02:00:00Z"), ZoneOffset.UTC),
            new OutcomeFiles());

    private ListRun run(String fileName) {
        ListRun run = new ListRun(fileName, DAY, tmp.resolve("processing").resolve(fileName), null, tmp.resolve("work"));
        run.recordInspection(new Inspection(3, 2, 1, Map.of(), "abc123", null, null, null, List.of()));
        return run;
    }

    private String archive() {
        return tmp.resolve("archive").toString();
    }

    private String error() {
        return tmp.resolve("error").toString();
    }

    private Path day(String folder) throws IOException {
        return Files.createDirectories(tmp.resolve(folder).resolve(DAY));
    }

    @Test
    void should_name_a_list_after_itself_in_an_empty_day_folder() {
        assertThat(Outcomes.claimName("vip/list.csv", tmp.resolve("none"))).isEqualTo("list.csv");
    }

    @Test
    void should_number_a_name_taken_by_a_list_or_by_a_report_alone() throws IOException {
        Path folder = day("archive");
        Files.writeString(folder.resolve("list.csv"), "");
        assertThat(Outcomes.claimName("list.csv", folder)).isEqualTo("list-2.csv");
        Files.writeString(folder.resolve("list-2.csv.error.json"), "{}");
        assertThat(Outcomes.claimName("list.csv", folder)).isEqualTo("list-3.csv");
        Files.writeString(folder.resolve("noext"), "");
        assertThat(Outcomes.claimName("noext", folder)).isEqualTo("noext-2");
        Files.writeString(folder.resolve(".hidden"), "");
        assertThat(Outcomes.claimName(".hidden", folder)).isEqualTo(".hidden-2");
    }

    @Test
    void should_file_a_success_in_the_archive_day_folder_with_its_report() throws IOException {
        Files.writeString(day("archive").resolve("list.csv"), "an earlier list of that name");
        ListRun run = run("vip/list.csv");

        OutcomeReport report = outcomes.report(run, null, archive(), error());

        assertThat(run.isFiledAsFailed()).isFalse();
        assertThat(run.getOutcomeFolder()).isEqualTo(tmp.resolve("archive").resolve(DAY));
        assertThat(run.getStoredAs()).isEqualTo("list-2.csv");
        assertThat(report.outcome()).isEqualTo("archived");
        assertThat(report.file()).isEqualTo("vip/list.csv");
        assertThat(report.storedAs()).isEqualTo("list-2.csv");
        assertThat(report.sha256()).isEqualTo("abc123");
        assertThat(report.rows()).isEqualTo(3);
        assertThat(report.stage()).isNull();
        assertThat(report.end()).isEqualTo("2026-12-06T02:00:00Z");
        assertThat(outcomes.report(run, null, archive(), error())).as("filed once").isNull();
    }

    @Test
    void should_file_a_failure_in_the_error_day_folder_with_its_stage_and_message() {
        ListRun run = run("list.csv");

        OutcomeReport report = outcomes.report(run,
                new IllegalStateException("wrapped", new ListFailedException("validate", "no valid rows to send")),
                archive(), error());

        assertThat(run.isFiledAsFailed()).isTrue();
        assertThat(run.getOutcomeFolder()).isEqualTo(tmp.resolve("error").resolve(DAY));
        assertThat(report.outcome()).isEqualTo("failed");
        assertThat(report.stage()).isEqualTo("validate");
        assertThat(report.message()).isEqualTo("no valid rows to send");
        assertThat(report.vendorCode()).isNull();
        assertThat(report.customersSent()).isZero();
    }

    @Test
    void should_name_the_exception_of_a_failure_that_is_not_ours() {
        OutcomeReport report = outcomes.report(run("list.csv"), new IllegalStateException("disk gone"), archive(),
                error());
        assertThat(report.stage()).isEqualTo("read");
        assertThat(report.message()).isEqualTo("IllegalStateException: disk gone");
    }

    @Test
    void should_say_the_outcome_is_unknown_when_a_create_got_no_answer() {
        ListRun run = run("list.csv");
        run.assignProfile("default", null, "default-list");
        TaskRecord task = run.task(1, "default-list");
        task.startRequest(new PlannedRequest(1, "default-list", 1, true, null));
        task.markStage("create");
        task.countAttempt();
        run.markFailed(task, new VendorRetryableException("read timed out"));

        OutcomeReport report = outcomes.report(run, run.getFailure(), archive(), error());

        assertThat(report.stage()).isEqualTo("create");
        assertThat(report.vendorOutcomeUnknown()).isTrue();
        assertThat(report.message()).startsWith("outcome unknown: an attempt to create task default-list got no "
                + "answer, so the vendor may have created it");
    }

    @Test
    void should_say_nothing_was_sent_when_no_attempt_could_connect() {
        ListRun run = run("list.csv");
        run.assignProfile("default", null, "default-list");
        TaskRecord task = run.task(1, "default-list");
        task.startRequest(new PlannedRequest(1, "default-list", 1, true, null));
        task.markStage("create");
        task.countAttempt();
        task.countNotSent();
        task.countAttempt();
        task.countNotSent();
        run.markFailed(task, VendorUnreachableException.of(new ConnectException("Connection refused")));

        OutcomeReport report = outcomes.report(run, run.getFailure(), archive(), error());

        assertThat(report.stage()).isEqualTo("create");
        assertThat(report.vendorOutcomeUnknown()).isNull();
        assertThat(report.vendorCode()).isNull();
        assertThat(report.message()).isEqualTo("the vendor could not be reached: connection refused; nothing was sent");
    }

    @Test
    void should_not_report_the_answer_to_an_earlier_request_for_an_append_that_was_not_sent() {
        ListRun run = run("list.csv");
        run.assignProfile("default", null, "default-list");
        TaskRecord task = run.task(1, "default-list");
        task.startRequest(new PlannedRequest(1, "default-list", 1, true, null));
        task.markStage("create");
        task.countAttempt();
        task.recordAnswer(new VendorAnswer(200, "10000", "请求成功", "7"));
        task.countAnswer();
        task.startRequest(new PlannedRequest(1, "default-list", 2, false, null));
        task.markStage("append");
        task.countAttempt();
        task.countNotSent();
        run.markFailed(task, VendorUnreachableException.of(new ConnectException("Connection refused")));

        OutcomeReport report = outcomes.report(run, run.getFailure(), archive(), error());

        assertThat(report.stage()).isEqualTo("append");
        assertThat(report.vendorCode()).isNull();
        assertThat(report.vendorMessage()).isNull();
        assertThat(report.message()).isEqualTo("the vendor could not be reached: connection refused; nothing was sent");
    }

    @Test
    void should_still_say_the_outcome_is_unknown_when_an_earlier_attempt_connected_and_got_no_answer() {
        ListRun run = run("list.csv");
        run.assignProfile("default", null, "default-list");
        TaskRecord task = run.task(1, "default-list");
        task.startRequest(new PlannedRequest(1, "default-list", 1, true, null));
        task.markStage("create");
        task.countAttempt();
        task.countAttempt();
        task.countNotSent();
        run.markFailed(task, VendorUnreachableException.of(new ConnectException("Connection refused")));

        OutcomeReport report = outcomes.report(run, run.getFailure(), archive(), error());

        assertThat(report.vendorOutcomeUnknown()).isTrue();
        assertThat(report.message()).startsWith("outcome unknown: an attempt to create task default-list got no answer")
                .endsWith("Last: the vendor could not be reached: connection refused; nothing was sent");
    }

    @Test
    void should_file_a_resumed_list_beside_the_report_written_before_the_stop() throws IOException {
        Path folder = day("archive");
        Files.writeString(folder.resolve("list.csv"), "another list of that name, filed earlier");
        Files.writeString(folder.resolve("list.csv.result.json"), "{}");
        Files.writeString(folder.resolve("list-2.csv.result.json"), "{}");
        ListRun run = run("list.csv");
        run.resumeFrom(7, 2, new Progress(7, FileState.IN_PROGRESS, List.of(), List.of()));

        outcomes.report(run, null, archive(), error());

        assertThat(run.getStoredAs()).isEqualTo("list-2.csv");
    }

    @Test
    void should_fail_again_a_list_recorded_as_failed_before_the_stop() throws IOException {
        Files.writeString(day("error").resolve("list.csv.error.json"), "{}");
        ListRun run = run("list.csv");
        run.markFinishedBefore("FAILED");

        assertThatThrownBy(() -> outcomes.recordedBefore(run, archive(), error()))
                .isInstanceOf(ListFailedException.class).hasMessageContaining("recorded as failed before the stop");
        assertThat(run.isFiledAsFailed()).isTrue();
        assertThat(run.getStoredAs()).isEqualTo("list.csv");
        assertThat(run.isOutcomeRecorded()).isTrue();
    }

    @Test
    void should_archive_a_list_recorded_as_done_before_the_stop_beside_its_report() throws IOException {
        Files.writeString(day("archive").resolve("list.csv.result.json"), "{}");
        ListRun run = run("list.csv");
        run.markFinishedBefore("DONE");

        outcomes.recordedBefore(run, archive(), error());

        assertThat(run.isFiledAsFailed()).isFalse();
        assertThat(run.getStoredAs()).isEqualTo("list.csv");
    }
}
