package io.outboundbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outboundbridge.ledger.LedgerSettings;
import io.outboundbridge.ledger.LocalPostgres;
import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.RecordedCall;
import io.outboundbridge.sandbox.RecordedTask;
import io.outboundbridge.sandbox.SandboxSettings;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.BridgeInstances;
import io.outboundbridge.support.BridgeLogsOnFailure;
import io.outboundbridge.support.BridgeProcess;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.TestKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 end to end: two packaged-jar instances on one throw-away PostgreSQL ledger and shared inbox, processing,
 * archive and error folders, against the sandbox vendor. A burst spreads over both and every list is filed once; an
 * instance killed while the sandbox holds one of its requests is taken over by the other under the same task; a
 * database stopped for 10 s under load loses nothing and sends nothing twice.
 */
class InstancesIT {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";

    @RegisterExtension
    final BridgeLogsOnFailure logs = new BridgeLogsOnFailure();

    @TempDir
    Path tmp;

    LocalPostgres pg;
    SandboxVendor sandbox;
    Folders folders;
    BridgeInstances instances;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(LocalPostgres.unavailable().isEmpty(), () -> LocalPostgres.unavailable().orElse(""));
        // the cluster runs as user postgres when the tests run as root: a folder of its own it can reach
        Path pgDir = java.nio.file.Files.createDirectories(tmp.resolve("pg"));
        java.nio.file.Files.setPosixFilePermissions(tmp,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        pg = LocalPostgres.start(pgDir);
        folders = new Folders(tmp.resolve("shared"));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (instances != null) {
                instances.close();
            }
        } finally {
            try {
                if (sandbox != null) {
                    sandbox.close();
                }
            } finally {
                if (pg != null) {
                    pg.close();
                }
            }
        }
    }

    /** The sandbox answering every call after {@code latency}, so lists stay in flight long enough to overlap. */
    void startSandbox(Duration latency) {
        sandbox = SandboxVendor.start(SandboxSettings.builder().appId(Sandboxes.APP_ID)
                .publicKey(TestKeys.publicKey()).answerLatency(latency).build());
    }

    BridgeInstances instances(Map<String, String> extra) throws Exception {
        LedgerSettings ledger = pg.newDatabase();
        Map<String, String> s = new HashMap<>(InProcessBridge.testSettings(folders, sandbox));
        s.put("vendor.read-timeout", "60000");
        s.putAll(extra);
        instances = new BridgeInstances(tmp.resolve("instances"), s, ledger, logs);
        return instances;
    }

    static String rows(String prefix, int n) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 1; i <= n; i++) {
            sb.append("客户").append(i).append(",,").append(prefix).append(i).append(",,138")
                    .append(String.format("%08d", i)).append(",,,,,\n");
        }
        return sb.toString();
    }

    /** Waits until every list is filed (its report beside it); a timeout names what is missing. */
    List<Outcome> awaitAll(List<String> lists, Duration atMost) {
        try {
            Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200))
                    .until(() -> lists.stream().allMatch(l -> folders.outcome(l).isPresent()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not filed: " + lists.stream().filter(l -> folders.outcome(l).isEmpty()).toList()
                    + "; in the inbox " + Folders.filesUnder(folders.inbox()) + ", in processing "
                    + Folders.filesUnder(folders.processing()), e);
        }
        return lists.stream().map(l -> folders.outcome(l).orElseThrow()).toList();
    }

    /** Every list archived exactly once, its task created once with each of its customers exactly once. */
    void assertEachListFiledOnceWithEachCustomerOnce(List<String> lists, Map<String, Integer> rowsOf,
            List<Outcome> outcomes) {
        for (int i = 0; i < lists.size(); i++) {
            String list = lists.get(i);
            Outcome outcome = outcomes.get(i);
            String base = list.substring(0, list.length() - ".csv".length());
            assertThat(outcome.archived()).as("%s: %s", list, outcome.report()).isTrue();
            assertThat(Folders.find(folders.archive(), list + ".result.json")).as("%s filed once", list).hasSize(1);
            RecordedTask task = sandbox.task("default-" + base).orElseThrow();
            String prefix = base.toUpperCase().replace("-", "");
            assertThat(task.externalCustomerIds()).as("%s: every customer exactly once, in order", list)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, rowsOf.get(list))
                            .mapToObj(n -> prefix + "x" + n).toList());
            assertThat(outcome.taskIds()).as("%s: the task id the vendor gave", list).containsExactly(task.id());
        }
        List<RecordedCall> creates = sandbox.calls().stream().filter(c -> c.path().endsWith("/create"))
                .filter(c -> c.code() != null && c.code().equals("10000")).toList();
        assertThat(creates).as("one task created per list").hasSize(lists.size());
        assertThat(sandbox.totalCustomers()).as("the vendor's customers, all lists")
                .isEqualTo(rowsOf.values().stream().mapToInt(Integer::intValue).sum());
        assertThat(Folders.filesUnder(folders.error())).isEmpty();
        assertThat(Folders.filesUnder(folders.inbox())).isEmpty();
        assertThat(Folders.filesUnder(folders.processing())).isEmpty();
    }

    String drop(String base, int n) {
        String list = base + ".csv";
        folders.drop(list, rows(base.toUpperCase().replace("-", "") + "x", n));
        return list;
    }

    @Test
    void should_spread_a_burst_of_30_lists_over_two_instances_and_file_each_once() throws Exception {
        // each list's one call answered after 100 ms: lists stay in flight long enough to overlap
        startSandbox(Duration.ofMillis(100));
        instances(Map.of()).start("alpha", "beta");
        List<String> lists = new ArrayList<>();
        Map<String, Integer> rowsOf = new HashMap<>();
        for (int i = 1; i <= 30; i++) {
            String list = drop(String.format("burst-%02d", i), 200);
            lists.add(list);
            rowsOf.put(list, 200);
        }

        List<Outcome> outcomes = awaitAll(lists, Duration.ofSeconds(90));

        assertEachListFiledOnceWithEachCustomerOnce(lists, rowsOf, outcomes);
        Set<String> by = new TreeSet<>();
        outcomes.forEach(o -> by.add(o.report().path("instance").asText()));
        assertThat(by).as("the instances that filed the lists").containsExactly("alpha", "beta");
        assertThat(instances.running().values()).allMatch(BridgeProcess::isAlive);
    }

    @Test
    void should_take_over_the_list_of_an_instance_killed_while_the_vendor_holds_its_request() throws Exception {
        startSandbox(Duration.ZERO);
        instances(Map.of("bridge.instance.lease", "3000")).start("alpha", "beta");
        // the create goes through and is confirmed; the first append is held at the vendor, not processed
        sandbox.enqueue(Fault.hold("kill").onAppend());
        String list = drop("taken", 2500);
        assertThat(sandbox.awaitHeld("kill", Duration.ofSeconds(60))).as("the append is held").isTrue();
        String victim = instances.pickedUp(list).orElseThrow();
        String other = victim.equals("alpha") ? "beta" : "alpha";
        long createdTask = sandbox.task("default-taken").orElseThrow().id();

        instances.kill(victim);

        // lease 3 s, then a few polls of the other instance (and its start-up time is not in it)
        Outcome outcome = awaitAll(List.of(list), Duration.ofSeconds(45)).get(0);
        assertThat(outcome.report().path("instance").asText()).isEqualTo(other);
        assertEachListFiledOnceWithEachCustomerOnce(List.of(list), Map.of(list, 2500), List.of(outcome));
        assertThat(outcome.taskIds()).as("resumed under the task the killed instance created")
                .containsExactly(createdTask);
        assertThat(instances.get(other).log()).contains("taken.csv");
    }

    @Test
    void should_file_every_list_once_when_the_database_is_stopped_for_10_s_under_load() throws Exception {
        // three calls a list, each answered after 300 ms: a list is in flight for about a second
        startSandbox(Duration.ofMillis(300));
        instances(Map.of()).start("alpha", "beta");
        List<String> lists = new ArrayList<>();
        Map<String, Integer> rowsOf = new HashMap<>();
        for (int i = 1; i <= 12; i++) {
            String list = drop(String.format("load-%02d", i), 2500);
            lists.add(list);
            rowsOf.put(list, 2500);
        }
        // the outage comes while lists are in flight: some filed, others not yet
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> lists.stream().anyMatch(l -> folders.outcome(l).isPresent()));

        assertThat(lists.stream().filter(l -> folders.outcome(l).isEmpty()))
                .as("lists still in flight or waiting when the database stops").isNotEmpty();
        pg.stop();
        for (int i = 13; i <= 15; i++) {
            String list = drop(String.format("load-%02d", i), 2500);
            lists.add(list);
            rowsOf.put(list, 2500);
        }
        Thread.sleep(10_000);
        assertThat(instances.running().values()).as("both instances keep running without their database")
                .allMatch(BridgeProcess::isAlive);
        pg.start();

        List<Outcome> outcomes = awaitAll(lists, Duration.ofSeconds(120));
        assertEachListFiledOnceWithEachCustomerOnce(lists, rowsOf, outcomes);
        assertThat(instances.running().values()).allMatch(BridgeProcess::isAlive);
    }
}
