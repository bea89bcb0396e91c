package io.outboundbridge.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboundbridge.cli.OutboundBridge;
import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.RecordedCall;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A list that failed after the vendor confirmed some of its customers, dropped again: it resumes its run (same task
 * ids, after the last confirmed request) while its tasks can take customers, and is refused saying why once they
 * ended. Over the real routes, ledger and sandbox vendor.
 */
class ResumeFailedListTest {

    static final String APPEND = CustomerListRoutesTest.APPEND;

    @TempDir
    Path tmp;

    private SandboxVendor sandbox;
    private Folders folders;
    private InProcessBridge bridge;

    @BeforeEach
    void setUp() {
        sandbox = Sandboxes.start();
        folders = new Folders(tmp.resolve("data"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        sandbox.close();
    }

    /** 2 customers a request; profiles {@code default} and {@code ended} (a task that ended on 2020-09-27). */
    private Map<String, String> settings() throws Exception {
        Path profiles = tmp.resolve("profiles");
        Files.createDirectories(profiles);
        String profile = Files.readString(InProcessBridge.repo().resolve("config/profiles/default.properties"));
        Files.writeString(profiles.resolve("default.properties"), profile);
        Files.writeString(profiles.resolve("ended.properties"), profile
                .replace("taskExecStartDate=today", "taskExecStartDate=2020-09-27")
                .replace("taskExecEndDate=today+6", "taskExecEndDate=2020-09-27"));
        Map<String, String> s = new HashMap<>();
        s.put("bridge.profiles", profiles.toString());
        s.put("vendor.batch-size", "2");
        return s;
    }

    @Test
    void should_resume_a_list_that_met_10001_at_append_7_under_the_same_task_id_once_the_key_is_fixed()
            throws Exception {
        Map<String, String> settings = settings();
        bridge = InProcessBridge.start(folders, sandbox, settings);
        // create + 6 appends go through, the 7th append meets 10001 (our key is wrong)
        for (int i = 0; i < 6; i++) {
            sandbox.enqueue(Fault.delay(java.time.Duration.ZERO).onAppend());
        }
        sandbox.enqueue(Fault.code("10001").onAppend());
        String list = CustomerListRoutesTest.rows(1, 20);
        folders.drop("list.csv", list);

        Outcome failed = folders.awaitOutcome("list.csv");
        assertThat(failed.kind()).isEqualTo("error");
        assertThat(failed.report().path("stage").asText()).isEqualTo("append");
        assertThat(failed.report().path("customersSent").asLong()).isEqualTo(14);
        assertThat(failed.report().path("message").asText()).contains("Drop this file again to resume");
        long taskId = sandbox.task("default-list").orElseThrow().id();
        assertThat(status()).containsPattern("list\\.csv\\s+failed.*stopped at append; resumable: drop the same "
                + "file again");

        // the key fixed, the service restarted (10001 stopped intake until then); the same file dropped again
        bridge.close();
        bridge = InProcessBridge.start(folders, sandbox, settings);
        Files.delete(failed.list());
        Files.delete(failed.list().resolveSibling("list.csv.error.json"));
        folders.drop("list.csv", list);

        Outcome resumed = folders.awaitOutcome("list.csv");
        assertThat(resumed.archived()).isTrue();
        assertThat(resumed.taskIds()).containsExactly(taskId);
        assertThat(resumed.report().path("customersSent").asLong()).isEqualTo(20);
        assertThat(sandbox.tasks()).hasSize(1);
        assertThat(sandbox.task("default-list").orElseThrow().externalCustomerIds())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 20).mapToObj(i -> "ID" + i).toList());
        // the appends the vendor accepted: 9, each customer once (the 7th sent again after the refusal, not twice)
        List<RecordedCall> appends = sandbox.calls().stream().filter(c -> c.path().equals(APPEND)).toList();
        assertThat(appends).extracting(RecordedCall::code).containsExactly("10000", "10000", "10000", "10000",
                "10000", "10000", "10001", "10000", "10000", "10000");
        bridge.close();
        bridge = null;
        assertThat(status()).containsPattern("list\\.csv\\s+done");
    }

    @Test
    void should_refuse_a_failed_list_dropped_again_once_its_task_ended_saying_why() throws Exception {
        bridge = InProcessBridge.start(folders, sandbox, settings());
        String list = CustomerListRoutesTest.rows(1, 5);
        folders.drop("ended/old.csv", list);

        // the create is taken, the appends are refused: the task's end date is past
        Outcome failed = folders.awaitOutcome("old.csv");
        assertThat(failed.kind()).isEqualTo("error");
        assertThat(failed.report().path("customersSent").asLong()).isEqualTo(2);
        assertThat(failed.report().path("message").asText()).doesNotContain("Drop this file again");
        Files.delete(failed.list());
        Files.delete(failed.list().resolveSibling("old.csv.error.json"));
        int calls = sandbox.calls().size();

        folders.drop("ended/old.csv", list);

        Outcome refused = folders.awaitOutcome("old.csv");
        assertThat(refused.kind()).isEqualTo("error");
        assertThat(refused.report().path("stage").asText()).isEqualTo("duplicate");
        assertThat(refused.report().path("message").asText())
                .contains("its tasks ended on 2020-09-27 (taskExecEndDate of profile ended)")
                .contains("build a new list of the customers it did not send")
                .endsWith("nothing was sent");
        assertThat(sandbox.calls()).hasSize(calls);
    }

    /** What {@code status} prints for the ledger of these folders. */
    private String status() throws Exception {
        Path config = tmp.resolve("status-config");
        Files.createDirectories(config);
        Files.writeString(config.resolve("application.properties"), "bridge.data=" + tmp.resolve("data/data")
                + "\nbridge.profiles=" + tmp.resolve("profiles") + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new OutboundBridge()).execute("status", "--config", config.toString()))
                    .isZero();
        } finally {
            System.setOut(before);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
