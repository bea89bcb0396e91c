package io.outboundbridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.RecordedCall;
import io.outboundbridge.sandbox.RecordedTask;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.CapturedLogs;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.VendorLink;
import io.outboundbridge.vendor.VendorBreaker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vendor breaker over the real routes and the sandbox vendor: an outage (29008 for a while, or the vendor not
 * reachable) while 20 lists arrive, one of them half sent, loses nothing and files nothing in error; the vendor
 * refusing our credentials stops intake until a restart; a stop while lists wait leaves them to the next start.
 */
class VendorOutageTest {

    static final String HEADER = CustomerListRoutesTest.HEADER;

    @TempDir
    Path tmp;

    private SandboxVendor sandbox;
    private Folders folders;
    private InProcessBridge bridge;

    @BeforeEach
    void setUp() {
        sandbox = Sandboxes.start();
        folders = new Folders(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        sandbox.close();
    }

    /** Short breaker and retries: several breaker cycles within seconds; 2 customers a request. */
    static Map<String, String> outageSettings(String baseUrl) {
        Map<String, String> s = new HashMap<>();
        s.put("vendor.breaker.open-for", "1000");
        s.put("vendor.retry.max-retries", "1");
        s.put("vendor.retry.initial-delay", "20");
        s.put("vendor.retry.max-delay", "50");
        s.put("vendor.batch-size", "2");
        s.put("vendor.read-timeout", "2000");
        s.put("vendor.connect-timeout", "500");
        if (baseUrl != null) {
            s.put("vendor.base-url", baseUrl);
        }
        return s;
    }

    /** Customers {@code from..to} of list {@code prefix}, external ids {@code prefix-i}, phones of their own. */
    static String rows(String prefix, int from, int to) {
        int list = Math.floorMod(prefix.hashCode(), 10_000);
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = from; i <= to; i++) {
            sb.append("客户").append(i).append(",,").append(prefix).append('-').append(i).append(",,139")
                    .append(String.format("%04d%04d", list, i)).append(",本人,,,,\n");
        }
        return sb.toString();
    }

    private List<VendorBreaker.Transition> watchBreaker() {
        List<VendorBreaker.Transition> seen = new CopyOnWriteArrayList<>();
        bridge.context().getRegistry().lookupByNameAndType("vendorBreaker", VendorBreaker.class)
                .onTransition(seen::add);
        return seen;
    }

    @Test
    void should_file_every_list_in_the_archive_once_the_vendor_answers_again_after_29008_for_a_while()
            throws Exception {
        bridge = InProcessBridge.start(folders, sandbox, outageSettings(null));
        List<VendorBreaker.Transition> transitions = watchBreaker();
        Runnable outage = () -> sandbox.enqueue(IntStream.range(0, 12).mapToObj(i -> Fault.code("29008"))
                .toArray(Fault[]::new));
        // each probe meets one 29008 until they are used up: several breaker cycles
        runOutage(outage, true, transitions);
    }

    @Test
    void should_file_every_list_in_the_archive_once_the_vendor_can_be_reached_again() throws Exception {
        try (VendorLink link = VendorLink.to(sandbox.port())) {
            bridge = InProcessBridge.start(folders, sandbox, outageSettings("http://127.0.0.1:" + link.port()));
            List<VendorBreaker.Transition> transitions = watchBreaker();
            runOutage(() -> {
                link.down();
                Thread t = new Thread(() -> {
                    // up again after several breaker cycles
                    await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
                    link.up();
                });
                t.setDaemon(true);
                t.start();
            }, false, transitions);
        }
    }

    /**
     * One list is half sent when {@code outage} starts; 19 more arrive during it. Once it is over, all 20 are
     * archived, none in error, each customer sent once, the half-sent one under the task id it had.
     *
     * @param release whether the append held at the sandbox when the outage starts is processed (its answer comes
     *                back); else it never is (the link to the vendor is cut under it: an answer lost, and the
     *                request is sent again)
     */
    private void runOutage(Runnable outage, boolean release, List<VendorBreaker.Transition> transitions)
            throws Exception {
        // the half list: create + 5 appends; its second append is held until the outage has begun
        sandbox.enqueue(Fault.delay(Duration.ZERO).onAppend(), Fault.hold("half").onAppend());
        folders.drop("half.csv", rows("H", 1, 12));
        assertThat(sandbox.awaitHeld("half", Duration.ofSeconds(30))).isTrue();
        long halfTaskId = sandbox.task("default-half").orElseThrow().id();
        outage.run();
        if (release) {
            sandbox.release("half");
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> transitions.stream().anyMatch(t -> t.to().equals("OPEN")));
        List<String> names = new ArrayList<>();
        for (int n = 1; n <= 19; n++) {
            names.add("list" + n + ".csv");
            folders.drop("list" + n + ".csv", rows("L" + n, 1, 3 + n % 4));
        }
        // while the vendor is out: lists wait in the inbox (or in processing), none is filed in error
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(Folders.filesUnder(folders.error())).isEmpty();
        assertThat(Folders.filesUnder(folders.inbox())).as("new lists wait in the inbox").isNotEmpty();
        assertThat(Folders.filesUnder(folders.processing())).as("the half-sent list waits in processing")
                .extracting(p -> p.getFileName().toString()).contains("half.csv");

        Outcome half = folders.awaitOutcome("half.csv", Duration.ofSeconds(60));
        List<Outcome> others = new ArrayList<>();
        for (String name : names) {
            others.add(folders.awaitOutcome(name, Duration.ofSeconds(60)));
        }

        assertThat(half.archived()).isTrue();
        assertThat(half.taskIds()).containsExactly(halfTaskId);
        assertThat(others).allSatisfy(o -> assertThat(o.archived()).as(o.list().toString()).isTrue());
        assertThat(Folders.filesUnder(folders.error())).isEmpty();
        assertThat(transitions.stream().filter(t -> t.to().equals("OPEN")).count())
                .as("several breaker cycles: %s", transitions).isGreaterThanOrEqualTo(2);
        assertThat(transitions.get(transitions.size() - 1).to()).isEqualTo("CLOSED");
        // every customer once: 20 tasks, each with its list's customers, no id twice
        List<RecordedTask> tasks = sandbox.tasks();
        assertThat(tasks).hasSize(20);
        assertThat(tasks).extracting(RecordedTask::name).doesNotHaveDuplicates();
        assertThat(sandbox.task("default-half").orElseThrow().externalCustomerIds())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 12).mapToObj(i -> "H-" + i).toList());
        for (int n = 1; n <= 19; n++) {
            int last = 3 + n % 4;
            String prefix = "L" + n;
            assertThat(sandbox.task("default-list" + n).orElseThrow().externalCustomerIds())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, last).mapToObj(i -> prefix + "-" + i).toList());
        }
        int expected = 12 + IntStream.rangeClosed(1, 19).map(n -> 3 + n % 4).sum();
        assertThat(sandbox.totalCustomers()).isEqualTo(expected);
        assertThat(Folders.filesUnder(folders.inbox())).isEmpty();
        assertThat(Folders.filesUnder(folders.processing())).isEmpty();
    }

    @Test
    void should_stop_intake_until_a_restart_once_the_vendor_refuses_our_credentials() throws Exception {
        Map<String, String> settings = outageSettings(null);
        String logged;
        try (CapturedLogs logs = CapturedLogs.start()) {
            bridge = InProcessBridge.start(folders, sandbox, settings);
            sandbox.enqueue(Fault.code("10001"));
            folders.drop("first.csv", rows("F", 1, 2));
            Outcome first = folders.awaitOutcome("first.csv");
            assertThat(first.kind()).isEqualTo("error");
            assertThat(first.report().path("vendorCode").asText()).isEqualTo("10001");

            folders.drop("second.csv", rows("S", 1, 2));
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            assertThat(Files.exists(folders.inbox().resolve("second.csv"))).as("intake stopped").isTrue();
            assertThat(sandbox.tasks()).isEmpty();
            logged = logs.text();
        }
        assertThat(logged).containsOnlyOnce("ALERT: the vendor refused our credentials");
        assertThat(logged).contains("check vendor.app-id, vendor.private-key");

        // the configuration corrected and the service restarted: the waiting list goes through
        bridge.close();
        bridge = InProcessBridge.start(folders, sandbox, settings);
        assertThat(folders.awaitOutcome("second.csv").archived()).isTrue();
        assertThat(sandbox.task("default-second").orElseThrow().externalCustomerIds()).containsExactly("S-1", "S-2");
    }

    @Test
    void should_leave_a_waiting_list_in_processing_on_stop_and_resume_it_at_the_next_start() throws Exception {
        Map<String, String> settings = outageSettings(null);
        settings.put("vendor.breaker.open-for", "600000");
        bridge = InProcessBridge.start(folders, sandbox, settings);
        List<VendorBreaker.Transition> transitions = watchBreaker();
        // create and one append go through, then the vendor is out for longer than the test
        sandbox.enqueue(Fault.delay(Duration.ZERO).onAppend(), Fault.code("29008").onAppend(),
                Fault.code("29008").onAppend());
        folders.drop("stopped.csv", rows("P", 1, 8));
        await().atMost(Duration.ofSeconds(30)).until(() -> transitions.stream().anyMatch(t -> t.to().equals("OPEN")));
        long taskId = sandbox.task("default-stopped").orElseThrow().id();

        bridge.close();
        bridge = null;

        assertThat(Folders.filesUnder(folders.processing())).extracting(p -> p.getFileName().toString())
                .containsExactly("stopped.csv");
        assertThat(Folders.filesUnder(folders.error())).isEmpty();
        assertThat(Folders.filesUnder(folders.archive())).isEmpty();

        bridge = InProcessBridge.start(folders, sandbox, outageSettings(null));
        Outcome outcome = folders.awaitOutcome("stopped.csv");
        assertThat(outcome.archived()).isTrue();
        assertThat(outcome.taskIds()).containsExactly(taskId);
        assertThat(sandbox.tasks()).hasSize(1);
        assertThat(sandbox.task("default-stopped").orElseThrow().externalCustomerIds())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 8).mapToObj(i -> "P-" + i).toList());
        List<RecordedCall> accepted = sandbox.calls().stream().filter(c -> "10000".equals(c.code())).toList();
        assertThat(accepted).hasSize(4);
    }
}
