package io.outboundbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.RecordedCall;
import io.outboundbridge.sandbox.RecordedTask;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.BridgeLogsOnFailure;
import io.outboundbridge.support.BridgeProcess;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar killed with SIGKILL at chosen moments (the sandbox holds a chosen request, so the moment is
 * certain), then started again on the same folders and ledger: every list ends in archive, each customer reaches
 * the vendor exactly once, under the task id it had before the crash.
 */
class CrashResumeIT {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";

    @RegisterExtension
    final BridgeLogsOnFailure logs = new BridgeLogsOnFailure();

    @TempDir
    Path tmp;

    SandboxVendor sandbox;
    Folders folders;

    @BeforeEach
    void setUp() {
        sandbox = Sandboxes.start();
        folders = new Folders(tmp.resolve("home"));
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    Map<String, String> settings() {
        Map<String, String> s = new HashMap<>(InProcessBridge.testSettings(folders, sandbox));
        s.put("vendor.read-timeout", "60000");
        return s;
    }

    static String rows(String prefix, int n) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 1; i <= n; i++) {
            sb.append("客户").append(i).append(",,").append(prefix).append(i).append(",,138")
                    .append(String.format("%08d", i)).append(",,,,,\n");
        }
        return sb.toString();
    }

    BridgeProcess start(String run) {
        return start(run, Map.of());
    }

    BridgeProcess start(String run, Map<String, String> extra) {
        Map<String, String> s = settings();
        s.putAll(extra);
        return logs.watch(BridgeProcess.start(tmp.resolve(run), InProcessBridge.repo().resolve("routes"), s));
    }

    /** Drops the list, kills the service once the sandbox holds a request for each hold fault, restarts, waits for the outcome. */
    Outcome crashWhileHeld(String list, String prefix, int rows, Fault... faults) {
        return crashWhileHeld(Map.of(), list, prefix, rows, faults);
    }

    Outcome crashWhileHeld(Map<String, String> extra, String list, String prefix, int rows, Fault... faults) {
        try (BridgeProcess first = start("run1", extra)) {
            sandbox.enqueue(faults);
            folders.drop(list, rows(prefix, rows));
            for (Fault f : faults) {
                if (f.kind() == Fault.Kind.HOLD) {
                    assertThat(sandbox.awaitHeld(f.holdName(), Duration.ofSeconds(30)))
                            .as("the request held by %s is held", f).isTrue();
                }
            }
            first.kill();
        }
        assertThat(Folders.find(folders.processing(), list)).as("the crash left the list in processing").hasSize(1);
        try (BridgeProcess second = start("run2", extra)) {
            Outcome outcome = second.awaitOutcome(folders, list);
            assertThat(Folders.filesUnder(folders.inbox())).isEmpty();
            assertThat(Folders.filesUnder(folders.processing())).isEmpty();
            return outcome;
        }
    }

    void assertEachCustomerOnceUnderOneTask(Outcome outcome, String taskName, String prefix, int rows) {
        assertThat(outcome.archived()).as(outcome.report().toString()).isTrue();
        assertThat(sandbox.tasks()).extracting(RecordedTask::name).containsExactly(taskName);
        RecordedTask task = sandbox.task(taskName).orElseThrow();
        assertThat(task.externalCustomerIds()).as("every customer exactly once, in order")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, rows).mapToObj(i -> prefix + i).toList());
        assertThat(outcome.taskIds()).containsExactly(task.id());
        assertThat(outcome.report().path("customersSent").asLong()).isEqualTo(rows);
    }

    @Test
    void should_resume_after_a_crash_while_the_create_is_in_flight() {
        Outcome outcome = crashWhileHeld("c1.csv", "A", 2500, Fault.hold("crash").onCreate());

        assertEachCustomerOnceUnderOneTask(outcome, "default-c1", "A", 2500);
    }

    @Test
    void should_resume_after_a_crash_right_after_the_create() {
        Outcome outcome = crashWhileHeld("c2.csv", "B", 2500, Fault.hold("crash").onAppend());

        assertEachCustomerOnceUnderOneTask(outcome, "default-c2", "B", 2500);
        List<RecordedCall> creates = sandbox.calls().stream().filter(c -> c.path().endsWith("/create")).toList();
        assertThat(creates).as("the task is not created again").hasSize(1);
    }

    @Test
    void should_resume_after_a_crash_between_appends() {
        Outcome outcome = crashWhileHeld("c3.csv", "C", 3500, Fault.delay(Duration.ZERO).onAppend(),
                Fault.hold("crash").onAppend());

        assertEachCustomerOnceUnderOneTask(outcome, "default-c3", "C", 3500);
    }

    @Test
    void should_resume_every_task_after_a_crash_while_tasks_were_sent_side_by_side() {
        Map<String, String> wide = Map.of("vendor.batch-size", "500", "vendor.max-customers-per-task", "1500",
                "vendor.parallel-tasks", "3");
        // each task's first append is held before the vendor processes it (whichever task comes first): the kill
        // comes while all three tasks have a request in flight
        Outcome outcome = crashWhileHeld(wide, "c5.csv", "F", 4500, Fault.hold("crash-a").onAppend(),
                Fault.hold("crash-b").onAppend(), Fault.hold("crash").onAppend());

        assertThat(outcome.archived()).as(outcome.report().toString()).isTrue();
        assertThat(sandbox.tasks()).extracting(RecordedTask::name)
                .containsExactlyInAnyOrder("default-c5", "default-c5-2", "default-c5-3");
        for (int t = 1; t <= 3; t++) {
            RecordedTask task = sandbox.task(t == 1 ? "default-c5" : "default-c5-" + t).orElseThrow();
            int first = (t - 1) * 1500 + 1;
            assertThat(task.externalCustomerIds()).as("task %d: each of its customers exactly once, in order", t)
                    .containsExactlyElementsOf(IntStream.rangeClosed(first, first + 1499).mapToObj(i -> "F" + i)
                            .toList());
        }
        assertThat(sandbox.calls().stream().filter(c -> c.path().endsWith("/create")))
                .as("no task created twice").hasSize(3);
        assertThat(outcome.report().path("customersSent").asLong()).isEqualTo(4500);
        assertThat(outcome.taskIds()).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void should_file_a_list_whose_outcome_was_recorded_before_the_crash_without_sending_it_again() throws Exception {
        Path archived;
        try (BridgeProcess first = start("run1")) {
            folders.drop("c4.csv", rows("D", 10));
            archived = first.awaitOutcome(folders, "c4.csv").list();
            first.kill();
        }
        // the crash came after result.json and the ledger, before the list itself was moved
        Path processing = folders.processing().resolve("c4.csv");
        Files.createDirectories(processing.getParent());
        Files.move(archived, processing);
        int calls = sandbox.calls().size();

        try (BridgeProcess second = start("run2")) {
            second.awaitUntil("the list back in the archive", () -> Files.exists(archived));
        }

        assertThat(sandbox.calls()).hasSize(calls);
        assertThat(Folders.find(folders.archive(), "c4.csv.result.json")).hasSize(1);
        assertThat(Folders.filesUnder(folders.error())).isEmpty();
        assertThat(Folders.filesUnder(folders.processing())).isEmpty();
    }

    @Test
    void should_refuse_the_same_content_dropped_again_naming_the_earlier_list() {
        try (BridgeProcess bridge = start("run1")) {
            folders.drop("first.csv", rows("E", 5));
            Outcome first = bridge.awaitOutcome(folders, "first.csv");
            folders.drop("again.csv", rows("E", 5));

            Outcome again = bridge.awaitOutcome(folders, "again.csv");

            assertThat(again.kind()).isEqualTo("error");
            assertThat(again.report().path("stage").asText()).isEqualTo("duplicate");
            assertThat(again.report().path("message").asText()).contains("first.csv",
                    first.list().getParent().getFileName().toString(), String.valueOf(first.taskIds().get(0)));
            assertThat(sandbox.tasks()).hasSize(1);
        }
    }
}
