package io.outboundbridge.karaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.RecordedCall;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.sign.SignatureVerifier;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bundle in a real Karaf 4.4: installed with our features.xml in two shell commands, configured by
 * etc/outbound.bridge.cfg pointing at the sandbox vendor, its home folder filled on first start; then lists
 * dropped, a route edited in place, updates, stop/start and uninstall checked for leftover threads and class
 * loaders, and finally the deploy/ folder alternative, whose removal is checked the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafBundleIT {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";
    static final String CREATE = "/speech/openapi/v1/task/outbound/create";
    static final String STARTED = "outbound-bridge started in";
    static final String STOPPED = "outbound-bridge stopped";
    static final Duration RESTART = Duration.ofSeconds(90);

    final String groupId = System.getProperty("project.groupId");
    final String artifactId = System.getProperty("project.artifactId");
    final String version = System.getProperty("project.version");
    final ObjectMapper json = new ObjectMapper();

    SandboxVendor sandbox;
    KarafDistribution karaf;
    Folders folders;

    @BeforeAll
    void installInKaraf() throws Exception {
        Path bundle = Path.of(System.getProperty("karaf.bundle"));
        Path work = bundle.getParent().resolve("karaf-it");
        Path repo = work.resolve("repo");
        KarafDistribution.deleteTree(repo);
        publish(repo, bundle, "karaf", "jar");
        publish(repo, Path.of(System.getProperty("karaf.features")), "features", "xml");
        publish(repo, Path.of(System.getProperty("karaf.cfg")), "karaf", "cfg");

        sandbox = Sandboxes.start();
        karaf = KarafDistribution.unpack(Path.of(System.getProperty("karaf.distribution")), work.resolve("karaf"),
                Path.of(System.getProperty("karaf.java.home")), repo);
        // our shipped .cfg, plus the sandbox and fast polls; the home folder stays the default etc/outbound-bridge
        Files.writeString(karaf.etc().resolve("outbound.bridge.cfg"),
                Files.readString(Path.of(System.getProperty("karaf.cfg")), StandardCharsets.UTF_8) + """

                vendor.base-url = %s
                vendor.app-id = %s
                vendor.private-key = %s
                bridge.inbox.poll-delay = 100
                bridge.inbox.read-lock-min-age = 200
                bridge.inbox.read-lock-check-interval = 100
                vendor.retry.initial-delay = 20
                vendor.retry.max-delay = 200
                camel.main.routes-reload-enabled = true
                """.formatted(sandbox.baseUrl(), Sandboxes.APP_ID, TestKeys.get().privateKeyFile()),
                StandardCharsets.UTF_8);
        folders = new Folders(karaf.base().resolve("data"));

        Duration boot = karaf.start();
        long started = System.nanoTime();
        karaf.shell("feature:repo-add mvn:" + groupId + "/" + artifactId + "/" + version + "/xml/features",
                "feature:install outbound-bridge");
        awaitLog(STARTED, 1);
        System.out.printf("Karaf boot %d ms; feature install to integration started %d ms; bundle %d bytes%n",
                boot.toMillis(), (System.nanoTime() - started) / 1_000_000, Files.size(bundle));
    }

    @AfterAll
    void stopKaraf() {
        try {
            if (karaf != null) {
                karaf.close();
            }
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    @BeforeEach
    void resetSandbox() {
        sandbox.reset();
    }

    @Test
    @Order(1)
    void should_fill_the_home_folder_with_the_packaged_routes_and_profiles() throws Exception {
        Path home = karaf.etc().resolve("outbound-bridge");
        Path repoRoutes = Path.of(System.getProperty("project.basedir"), "routes");

        try (var routes = Files.list(repoRoutes)) {
            for (Path route : routes.toList()) {
                assertThat(home.resolve("routes").resolve(route.getFileName())).hasSameTextualContentAs(route);
            }
        }
        assertThat(home.resolve("profiles/default.properties")).exists();
        assertThat(home.resolve("application.properties")).exists();
    }

    @Test
    @Order(2)
    void should_send_a_dropped_list_as_one_signed_create_and_archive_it() throws Exception {
        folders.drop("clean.csv", HEADER
                + "张三,VIP,C1,x=1,+86 138-0000-0001,,13900000002,父亲,,\n"
                + "李四,\"回访, 二次\",C2,,0086 13800000003,本人,,,,\n");

        Outcome outcome = folders.awaitOutcome("clean.csv", Duration.ofSeconds(60));

        assertThat(outcome.kind()).isEqualTo("archive");
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        assertThat(outcome.list()).isEqualTo(karaf.base().resolve("data/archive/" + today + "/clean.csv"));
        assertThat(sandbox.calls()).hasSize(1);
        RecordedCall call = sandbox.calls().get(0);
        assertThat(call.path()).isEqualTo(CREATE);
        assertThat(call.code()).isEqualTo("10000");
        assertThat(call.appId()).isEqualTo(Sandboxes.APP_ID);
        assertThat(new SignatureVerifier(TestKeys.publicKey(), "{appId}{timestamp}", "SHA256withRSA")
                .verify(call.appId(), call.timestamp(), "POST", CREATE, call.body(), call.sign())).isTrue();
        JsonNode expected = json.readTree("""
                {"taskName":"default-clean","taskType":1,"taskExecStartDate":"%s","taskExecEndDate":"%s",
                 "taskExecTimes":[{"taskExecTimeStartStr":"09:00:00","taskExecTimeEndStr":"12:00:00"},
                                  {"taskExecTimeStartStr":"14:00:00","taskExecTimeEndStr":"18:00:00"}],
                 "taskDesc":"outbound-bridge","skillSetId":"1462016331580064",
                 "outboundNumberGroupId":"1070678044124225","strategyDisplaySwitch":false,
                 "sendNumberStrategy":0,"multiplyPower":2,"maxRingingDuration":45,"acw":10,
                 "outboundPhoneGroups":[{"name":"本人","identify":"default","autoOutboundSwitch":0}],
                 "outBoundCustomers":[
                   {"name":"张三","desc":"VIP","externalCustomerId":"C1","externalData":"x=1",
                    "phoneGroupVoList":[{"phoneGroupIdentify":"default","relations":[
                      {"mobile":"13800000001","relation":"本人"},{"mobile":"13900000002","relation":"父亲"}]}]},
                   {"name":"李四","desc":"回访, 二次","externalCustomerId":"C2","externalData":"",
                    "phoneGroupVoList":[{"phoneGroupIdentify":"default","relations":[
                      {"mobile":"13800000003","relation":"本人"}]}]}]}
                """.formatted(today, today.plusDays(6)));
        assertThat(json.readTree(call.body())).isEqualTo(expected);
        assertThat(outcome.report().path("tasks").get(0).path("taskId").asLong())
                .isEqualTo(sandbox.task("default-clean").orElseThrow().id());
        assertThat(Folders.filesUnder(folders.inbox())).isEmpty();
    }

    @Test
    @Order(3)
    void should_file_a_list_the_vendor_refuses_in_error() throws Exception {
        sandbox.enqueue(Fault.code("29002"));
        folders.drop("refused.csv", HEADER + "王五,,R1,,13800000011,,,,,\n");

        Outcome outcome = folders.awaitOutcome("refused.csv", Duration.ofSeconds(60));

        assertThat(outcome.kind()).isEqualTo("error");
        assertThat(outcome.list().getParent().getParent()).isEqualTo(karaf.base().resolve("data/error"));
        assertThat(outcome.report().path("stage").asText()).isEqualTo("create");
        assertThat(outcome.report().path("vendorCode").asText()).isEqualTo("29002");
        assertThat(sandbox.calls()).extracting(RecordedCall::path).containsExactly(CREATE);
    }

    @Test
    @Order(3)
    void should_show_camel_and_its_health_checks_and_the_bridge_metrics_as_mbeans() throws Exception {
        try (javax.management.remote.JMXConnector jmx = javax.management.remote.JMXConnectorFactory.connect(
                new javax.management.remote.JMXServiceURL(karaf.jmxUrl()),
                Map.of(javax.management.remote.JMXConnector.CREDENTIALS, new String[] {"karaf", "karaf"}))) {
            javax.management.MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
            assertThat(mbeans.queryNames(new javax.management.ObjectName(
                    "org.apache.camel:context=outbound-bridge,type=routes,name=\"poll-customer-drops\""), null))
                    .hasSize(1);
            javax.management.ObjectName health = mbeans.queryNames(new javax.management.ObjectName(
                    "org.apache.camel:context=outbound-bridge,type=health,*"), null).iterator().next();
            assertThat((java.util.Collection<?>) mbeans.getAttribute(health, "HealthChecksIDs"))
                    .map(String::valueOf).contains("ledger", "outcomes-filed");
            assertThat(mbeans.getAttribute(health, "HealthyReadiness")).isEqualTo(true);
            // the list archived before is counted (Micrometer's JMX names: the meter and its tags, dot-separated)
            javax.management.ObjectName archived = mbeans.queryNames(new javax.management.ObjectName(
                    "io.outboundbridge.metrics:name=bridgeListsFiled.outcome.archive*,*"), null).iterator().next();
            assertThat(((Number) mbeans.getAttribute(archived, "Count")).longValue()).isPositive();
        }
    }

    @Test
    @Order(4)
    void should_take_a_route_edited_in_place_without_redeploying() throws Exception {
        Path route = karaf.etc().resolve("outbound-bridge/routes/poll-customer-drops.camel.yaml");
        String before = Files.readString(route, StandardCharsets.UTF_8);
        String old = "move: \"{{path:bridge.archive}}/${exchangeProperty.run.day}/";
        assertThat(before).contains(old);
        long reloads = karaf.logCount("Routes reloaded summary");

        Files.writeString(route, before.replace(old, "move: \"{{path:bridge.archive}}/edited/${exchangeProperty.run.day}/"),
                StandardCharsets.UTF_8);
        awaitLog("Routes reloaded summary", reloads + 1);
        folders.drop("edited.csv", HEADER + "赵六,,E1,,13800000021,,,,,\n");

        Path day = folders.archive().resolve(LocalDate.now(ZoneId.of("Asia/Shanghai")).toString());
        Path moved = folders.archive().resolve("edited").resolve(day.getFileName()).resolve("edited.csv");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(moved)
                && Files.exists(day.resolve("edited.csv.result.json")));
        assertThat(day.resolve("edited.csv")).doesNotExist();
        assertThat(sandbox.calls()).hasSize(1);
    }

    @Test
    @Order(5)
    void should_restart_on_a_cfg_edit_and_leave_no_bundle_copy_after_two_updates() throws Exception {
        Path cfg = karaf.etc().resolve("outbound.bridge.cfg");
        long starts = karaf.logCount(STARTED);
        Files.writeString(cfg, Files.readString(cfg) + "bridge.archive = data/archive-2\n");
        awaitLog(STARTED, starts + 1);
        folders.drop("after-cfg.csv", HEADER + "孙七,,F1,,13800000031,,,,,\n");
        await().atMost(Duration.ofSeconds(60)).until(() -> !Folders.find(
                karaf.base().resolve("data/archive-2"), "after-cfg.csv.result.json").isEmpty());

        String id = bundleId();
        for (int i = 1; i <= 2; i++) {
            long before = karaf.logCount(STARTED);
            karaf.shell("bundle:update " + id);
            awaitLog(STARTED, before + 1);
        }
        // the stopped copies go within seconds (a shell or ConfigAdmin thread lets go of the last one)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(loadersOf("io.outboundbridge.karaf.BridgeActivator")).isEqualTo(1));
        String histogram = karaf.jcmd("GC.class_histogram");
        assertThat(classRows(histogram, "io.outboundbridge.karaf.BridgeActivator")).hasSize(1);
        // BridgeLauncher's Camel Main (a subclass reading config files as UTF-8)
        assertThat(classRows(histogram, "io.outboundbridge.cli.BridgeLauncher$Utf8Main")).hasSize(1);
        assertThat(classRows(histogram, "org.apache.camel.impl.DefaultCamelContext")).hasSize(1);
        // Camel Main's default strategy would hold a JVM shutdown hook (and with it this copy of the bundle)
        assertThat(rows(histogram, "DefaultMainShutdownStrategy")).isEmpty();
    }

    @Test
    @Order(6)
    void should_leave_no_camel_thread_when_stopped_and_start_again() throws Exception {
        String id = bundleId();
        karaf.shell("bundle:stop " + id);

        assertThat(threads()).noneMatch(t -> t.contains("Camel (") || t.contains("outbound-bridge"));

        long starts = karaf.logCount(STARTED);
        karaf.shell("bundle:start " + id);
        awaitLog(STARTED, starts + 1);
        assertThat(threads()).anyMatch(t -> t.contains("Camel ("));
    }

    @Test
    @Order(7)
    void should_unload_every_class_of_ours_on_uninstall() throws Exception {
        karaf.shell("feature:uninstall outbound-bridge");

        assertThat(threads()).noneMatch(t -> t.contains("Camel (") || t.contains("outbound-bridge"));
        assertNothingOfOursLive();
    }

    @Test
    @Order(8)
    void should_run_from_the_deploy_folder() throws Exception {
        long starts = karaf.logCount(STARTED);
        long begin = System.nanoTime();
        Files.copy(Path.of(System.getProperty("karaf.bundle")), karaf.base().resolve("deploy/outbound-bridge-karaf.jar"),
                StandardCopyOption.REPLACE_EXISTING);
        awaitLog(STARTED, starts + 1);
        System.out.printf("deploy/ drop to integration started %d ms%n", (System.nanoTime() - begin) / 1_000_000);

        folders.drop("deployed.csv", HEADER + "周八,,G1,,13800000041,,,,,\n");
        await().atMost(Duration.ofSeconds(60)).until(() -> !Folders.find(
                karaf.base().resolve("data/archive-2"), "deployed.csv.result.json").isEmpty());

    }

    @Test
    @Order(9)
    void should_unload_every_class_of_ours_when_removed_from_the_deploy_folder() throws Exception {
        long stops = karaf.logCount(STOPPED);
        Files.delete(karaf.base().resolve("deploy/outbound-bridge-karaf.jar"));
        awaitLog(STOPPED, stops + 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> karaf.shell("bundle:list -t 0 -s")
                .lines().noneMatch(l -> l.contains("io.outboundbridge")));

        assertThat(threads()).noneMatch(t -> t.contains("Camel (") || t.contains("outbound-bridge"));
        assertNothingOfOursLive();
    }

    /**
     * No instance of a class of ours or of Camel's is left (the histogram forces a full GC): a leaked class loader
     * (a JVM shutdown hook, a thread or thread local, a static outside the bundle) keeps them alive. Polled: the
     * bundle refresh and the last references from Karaf's threads take a moment to go.
     */
    private void assertNothingOfOursLive() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            String histogram = karaf.jcmd("GC.class_histogram");
            assertThat(classRows(histogram, "org.apache.camel.impl.DefaultCamelContext")).isEmpty();
            assertThat(rows(histogram, " io.outboundbridge.")).isEmpty();
            assertThat(rows(histogram, " org.apache.camel.")).isEmpty();
            assertThat(loadersOf("io.outboundbridge.karaf.BridgeActivator")).isZero();
        });
    }

    private String bundleId() throws Exception {
        String[] lines = karaf.shell("bundle:id io.outboundbridge").strip().split("\\R");
        return lines[lines.length - 1].strip();
    }

    private java.util.stream.Stream<String> threads() throws Exception {
        return Arrays.stream(karaf.jcmd("Thread.print").split("\\R")).filter(l -> l.startsWith("\""));
    }

    private static List<String> rows(String histogram, String text) {
        Predicate<String> match = l -> l.contains(text);
        return histogram.lines().filter(match).toList();
    }

    /** How many class loaders hold a class of this name (after a full GC): one per copy of the bundle alive. */
    private long loadersOf(String className) throws Exception {
        karaf.jcmd("GC.run");
        return karaf.jcmd("VM.classloaders show-classes").lines().filter(l -> l.strip().endsWith(" " + className)
                || l.strip().equals(className)).count();
    }

    /** Histogram rows of exactly this class: one per class loader that loaded it (and has live instances). */
    private static List<String> classRows(String histogram, String className) {
        return histogram.lines().filter(l -> l.endsWith(" " + className)).toList();
    }

    private void awaitLog(String text, long count) {
        await().atMost(RESTART).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (karaf.logCount("outbound-bridge cannot start") > 0) {
                throw new AssertionError("outbound-bridge cannot start: see " + karaf.log());
            }
            return karaf.logCount(text) >= count;
        });
    }

    /** Puts a build artifact into a Maven repository layout, as {@code mvn install} would. */
    private void publish(Path repo, Path file, String classifier, String type) throws Exception {
        Path dir = repo.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version);
        Files.createDirectories(dir);
        Files.copy(file, dir.resolve(artifactId + "-" + version + "-" + classifier + "." + type),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
