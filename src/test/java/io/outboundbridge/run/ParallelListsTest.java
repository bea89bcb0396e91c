package io.outboundbridge.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.RecordedCall;
import io.outboundbridge.sandbox.RecordedTask;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several lists side by side in one instance ({@code bridge.parallel-lists}, the threads step of the inbox route)
 * and the vendor call rate ({@code vendor.max-calls-per-second}, the throttle of call-vendor), through the real
 * routes against the sandbox, which holds chosen requests so that what is in flight at once is certain.
 */
class ParallelListsTest {

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
        // held calls go on, so the routes can stop
        sandbox.reset();
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

    /** Every list's polls and read lock have had many turns: 20 polls of 50 ms, read lock min age 100 ms. */
    static void letSeveralPollsPass() throws InterruptedException {
        Thread.sleep(1000);
    }

    @Test
    void should_work_on_as_many_lists_at_once_as_parallel_lists_and_take_no_more_meanwhile() throws Exception {
        bridge = InProcessBridge.start(folders, sandbox, Map.of("bridge.parallel-lists", "3"));
        sandbox.enqueue(Fault.hold("h1").onCreate(), Fault.hold("h2").onCreate(), Fault.hold("h3").onCreate());
        for (String list : List.of("p1", "p2", "p3")) {
            folders.drop(list + ".csv", rows(list.toUpperCase(), 1200));
        }

        // three lists' creates held at the vendor at the same time: three lists in flight in one instance
        for (String hold : List.of("h1", "h2", "h3")) {
            assertThat(sandbox.awaitHeld(hold, Duration.ofSeconds(30))).as("%s held", hold).isTrue();
        }
        folders.drop("p4.csv", rows("P4", 1200));
        letSeveralPollsPass();
        assertThat(Folders.find(folders.inbox(), "p4.csv")).as("a fourth list waits in the inbox").hasSize(1);
        assertThat(Folders.filesUnder(folders.processing())).hasSize(3);

        for (String hold : List.of("h1", "h2", "h3")) {
            sandbox.release(hold);
        }
        for (String list : List.of("p1", "p2", "p3", "p4")) {
            Outcome outcome = folders.awaitOutcome(list + ".csv");
            assertThat(outcome.archived()).as(outcome.report().toString()).isTrue();
            RecordedTask task = sandbox.task("default-" + list).orElseThrow();
            assertThat(task.externalCustomerIds()).as("%s: each customer once, in order", list)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 1200)
                            .mapToObj(i -> list.toUpperCase() + i).toList());
            assertThat(outcome.taskIds()).containsExactly(task.id());
        }
        assertThat(sandbox.tasks()).hasSize(4);
        assertThat(sandbox.calls().stream().filter(c -> c.path().endsWith("/create"))).hasSize(4);
        assertThat(Folders.find(folders.archive(), "p1.csv.result.json")).as("filed once").hasSize(1);
        assertThat(Folders.filesUnder(folders.inbox())).isEmpty();
        assertThat(Folders.filesUnder(folders.processing())).isEmpty();
    }

    @Test
    void should_take_one_list_at_a_time_with_parallel_lists_1() throws Exception {
        bridge = InProcessBridge.start(folders, sandbox, Map.of("bridge.parallel-lists", "1"));
        sandbox.enqueue(Fault.hold("first").onCreate());
        folders.drop("one.csv", rows("O", 10));
        assertThat(sandbox.awaitHeld("first", Duration.ofSeconds(30))).isTrue();
        folders.drop("two.csv", rows("T", 10));

        letSeveralPollsPass();
        assertThat(Folders.find(folders.inbox(), "two.csv")).as("the second list waits for the first").hasSize(1);
        sandbox.release("first");

        assertThat(folders.awaitOutcome("one.csv").archived()).isTrue();
        assertThat(folders.awaitOutcome("two.csv").archived()).isTrue();
        assertThat(sandbox.tasks()).extracting(RecordedTask::name).containsExactly("default-one", "default-two");
    }

    @Test
    void should_start_no_more_vendor_calls_a_second_than_the_rate_allows() throws Exception {
        bridge = InProcessBridge.start(folders, sandbox, Map.of("vendor.max-calls-per-second", "2",
                "vendor.batch-size", "2", "bridge.parallel-lists", "2"));
        // the first call of a fresh process takes longer to reach the vendor after the throttle (first signature,
        // first connection), which would make the next ones look early at the vendor: one warm-up list first
        folders.drop("warm.csv", rows("W", 2));
        assertThat(folders.awaitOutcome("warm.csv").archived()).isTrue();
        folders.drop("r1.csv", rows("R", 6));
        folders.drop("r2.csv", rows("S", 6));

        assertThat(folders.awaitOutcome("r1.csv").archived()).isTrue();
        assertThat(folders.awaitOutcome("r2.csv").archived()).isTrue();

        List<RecordedCall> calls = sandbox.calls().subList(1, sandbox.calls().size());
        assertThat(calls).hasSize(6);
        // two calls a second: a third call comes a whole period after the first of the two before it (less a
        // margin for the moments the calls reached the sandbox)
        for (int i = 2; i < calls.size(); i++) {
            Duration apart = Duration.between(calls.get(i - 2).arrivedAt(), calls.get(i).arrivedAt());
            assertThat(apart).as("calls %d and %d", i - 2, i).isGreaterThan(Duration.ofMillis(900));
        }
        assertThat(sandbox.totalCustomers()).isEqualTo(14);
    }
}
