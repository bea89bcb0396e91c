package io.outboundbridge.partner;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.sandbox.RecordedCall;
import io.outboundbridge.sandbox.RecordedTask;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.SftpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real routes/ and config/ with bridge.inbox.uri on a partner's SFTP server (embedded Apache MINA SSHD, key
 * login, generated known_hosts), against the sandbox vendor: what the vendor received, and exactly which files
 * are where on the server and locally.
 */
class SftpPartnerInboxTest {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";
    static final String CLEAN = HEADER + "张三,VIP,C1,,13800000001,,,,,\n" + "李四,,C2,,13800000002,本人,,,,\n";

    @TempDir
    Path tmp;

    Folders folders;
    SandboxVendor sandbox;
    SftpServer server;
    InProcessBridge bridge;
    final ObjectMapper json = new ObjectMapper();
    final String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();

    @BeforeEach
    void setUp() {
        folders = new Folders(tmp.resolve("local"));
        sandbox = Sandboxes.start();
        server = SftpServer.start(tmp.resolve("sftp"));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (bridge != null) {
                bridge.close();
            }
        } finally {
            server.close();
            sandbox.close();
        }
    }

    Map<String, String> sftpSettings(String extraUriOptions) {
        Map<String, String> s = new HashMap<>();
        s.put("bridge.inbox.uri", server.uri("inbox", "partner.test.passphrase", extraUriOptions));
        s.put("partner.test.passphrase", SftpServer.PASSPHRASE);
        s.put("bridge.inbox.partner", "acme");
        s.put("bridge.sftp.reconnect-attempts", "0");
        s.put("bridge.sftp.reconnect-delay", "50");
        s.put("bridge.sftp.backoff-multiplier", "2");
        s.put("bridge.sftp.connect-timeout", "2000");
        s.put("bridge.sftp.server-alive-interval", "500");
        s.put("bridge.sftp.upload-retry-delay", "50");
        s.put("bridge.sftp.upload-retry-max-delay", "200");
        return s;
    }

    void start(Map<String, String> settings) throws Exception {
        bridge = InProcessBridge.start(folders, sandbox, settings);
    }

    /** The health of the consumer of route {@code routeId}, as Camel's health checks report it. */
    HealthCheck.State health(String routeId) {
        return HealthCheckHelper.invoke(bridge.context()).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:" + routeId)).map(HealthCheck.Result::getState)
                .findFirst().orElse(HealthCheck.State.UNKNOWN);
    }

    /** Lines of the SFTP connection watch and remote recovery (the partner package), captured in memory while {@code action} runs. */
    static ListAppender<ILoggingEvent> captureConnectionErrors() {
        Logger logger = (Logger) LoggerFactory.getLogger(PartnerConnections.class.getPackageName());
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    static List<String> errors(ListAppender<ILoggingEvent> appender) {
        return appender.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    static String rows(String prefix, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i <= to; i++) {
            sb.append("客户").append(i).append(",,").append(prefix).append(i).append(",,1380000")
                    .append(String.format("%04d", i)).append(",本人,,,,\n");
        }
        return sb.toString();
    }

    @Test
    void should_process_a_partner_list_and_upload_its_result_beside_it_on_the_server() throws Exception {
        start(sftpSettings(""));
        server.upload("inbox/clean.csv", CLEAN);

        await().atMost(Duration.ofSeconds(30)).until(() -> server.files().contains("archive/" + today + "/clean.csv"));

        assertThat(sandbox.calls()).hasSize(1);
        assertThat(sandbox.calls().get(0).code()).isEqualTo("10000");
        assertThat(server.files()).containsExactly(
                "archive/" + today + "/clean.csv",
                "archive/" + today + "/clean.csv.result.json");
        JsonNode remoteResult = json.readTree(server.read("archive/" + today + "/clean.csv.result.json"));
        assertThat(remoteResult.path("accepted").asInt()).isEqualTo(2);
        assertThat(remoteResult.path("profile").asText()).isEqualTo("default");
        assertThat(server.read("archive/" + today + "/clean.csv")).isEqualTo(CLEAN);

        Outcome local = folders.awaitOutcome("clean.csv");
        assertThat(local.archived()).isTrue();
        assertThat(java.nio.file.Files.readString(local.list())).isEqualTo(CLEAN);
        assertThat(Folders.filesUnder(folders.archive())).hasSize(2);
        assertThat(Folders.filesUnder(folders.error())).isEmpty();
    }

    @Test
    void should_leave_partner_lists_waiting_while_the_vendor_breaker_is_open_and_file_them_once_it_closes()
            throws Exception {
        Map<String, String> settings = sftpSettings("");
        settings.put("vendor.retry.max-retries", "1");
        settings.put("vendor.breaker.open-for", "1000");
        start(settings);
        // the vendor is out for the first list's two attempts and three probes
        sandbox.enqueue(io.outboundbridge.sandbox.Fault.code("29008"), io.outboundbridge.sandbox.Fault.code("29008"),
                io.outboundbridge.sandbox.Fault.code("29008"), io.outboundbridge.sandbox.Fault.code("29008"),
                io.outboundbridge.sandbox.Fault.code("29008"));
        server.upload("inbox/first.csv", CLEAN);
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.calls().size() >= 2);
        server.upload("inbox/second.csv", HEADER + rows("B", 1, 2));

        // while it is open: the first waits in the partner's processing folder, the second in the inbox
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(server.files()).contains("processing/first.csv", "inbox/second.csv");
        assertThat(server.files()).noneMatch(f -> f.startsWith("error/"));

        await().atMost(Duration.ofSeconds(60)).until(() -> server.files().containsAll(List.of(
                "archive/" + today + "/first.csv", "archive/" + today + "/second.csv")));
        assertThat(server.files()).noneMatch(f -> f.startsWith("error/"));
        assertThat(sandbox.tasks()).extracting(RecordedTask::customerCount).containsExactly(2, 2);
    }

    @Test
    void should_wait_for_a_file_that_is_still_growing_when_first_seen() throws Exception {
        Map<String, String> settings = sftpSettings("");
        // the server reports modification times in whole seconds: the minimum age is well above that
        settings.put("bridge.inbox.read-lock-min-age", "4000");
        settings.put("bridge.inbox.read-lock-check-interval", "200");
        start(settings);
        Path growing = server.root().resolve("inbox/growing.csv");
        Files.writeString(growing, HEADER + rows("G", 1, 10), StandardCharsets.UTF_8);

        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> sandbox.calls().isEmpty() && server.files().equals(List.of("inbox/growing.csv")));
        Files.writeString(growing, rows("G", 11, 30), StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.files().contains("archive/" + today + "/growing.csv"));
        assertThat(sandbox.calls()).hasSize(1);
        assertThat(json.readTree(sandbox.calls().get(0).body()).path("outBoundCustomers")).hasSize(30);
        assertThat(server.files()).containsExactly("archive/" + today + "/growing.csv",
                "archive/" + today + "/growing.csv.result.json");
        assertThat(json.readTree(server.read("archive/" + today + "/growing.csv.result.json")).path("accepted").asInt())
                .isEqualTo(30);
    }

    @Test
    void should_take_a_list_only_once_its_done_file_is_there_and_ignore_upload_names() throws Exception {
        Map<String, String> settings = sftpSettings("");
        settings.put("bridge.inbox.done-file", "${file:name}.done");
        start(settings);
        server.upload("inbox/list.csv", CLEAN);
        Files.writeString(server.root().resolve("inbox/other.csv.part"), HEADER, StandardCharsets.UTF_8);
        Files.writeString(server.root().resolve("inbox/other.csv.filepart"), HEADER, StandardCharsets.UTF_8);
        Files.writeString(server.root().resolve("inbox/other.csv.tmp"), HEADER, StandardCharsets.UTF_8);

        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(3))
                .until(() -> sandbox.calls().isEmpty() && server.files().contains("inbox/list.csv"));
        server.upload("inbox/list.csv.done", "");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.files().contains("archive/" + today + "/list.csv"));
        assertThat(sandbox.calls()).hasSize(1);
        assertThat(server.files()).containsExactly("archive/" + today + "/list.csv",
                "archive/" + today + "/list.csv.result.json",
                "inbox/other.csv.filepart", "inbox/other.csv.part", "inbox/other.csv.tmp");
    }

    @Test
    void should_upload_the_error_report_and_rejects_beside_a_failed_list() throws Exception {
        start(sftpSettings(""));
        // 1 of 2 rows invalid: above the 10% limit, nothing is sent
        server.upload("inbox/bad.csv", HEADER + "张三,,C1,,13800000001,,,,,\n" + "李四,,C2,,12345,,,,,\n");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.files().contains("error/" + today + "/bad.csv"));
        assertThat(sandbox.calls()).isEmpty();
        assertThat(server.files()).containsExactly("error/" + today + "/bad.csv",
                "error/" + today + "/bad.csv.error.json", "error/" + today + "/bad.csv.rejects.csv");
        assertThat(json.readTree(server.read("error/" + today + "/bad.csv.error.json")).path("stage").asText())
                .isEqualTo("validate");
        assertThat(server.read("error/" + today + "/bad.csv.rejects.csv")).contains("12345");
        Outcome local = folders.awaitOutcome("bad.csv");
        assertThat(local.kind()).isEqualTo("error");
        assertThat(local.rejects()).isNotNull();
        assertThat(Folders.filesUnder(folders.error())).hasSize(3);
        assertThat(Folders.filesUnder(folders.archive())).isEmpty();
    }

    @Test
    void should_refuse_a_server_whose_host_key_changed_naming_host_and_fingerprint() throws Exception {
        server.writeKnownHosts(SftpServer.generate().getPublic());
        server.upload("inbox/clean.csv", CLEAN);
        ListAppender<ILoggingEvent> log = captureConnectionErrors();
        start(sftpSettings(""));

        await().atMost(Duration.ofSeconds(15)).until(() -> !errors(log).isEmpty());
        assertThat(errors(log).get(0)).contains("host key CHANGED", "127.0.0.1:" + server.port(),
                server.hostKeyFingerprint(), server.knownHosts().toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> health("poll-sftp-inbox") == HealthCheck.State.DOWN);
        assertThat(sandbox.calls()).isEmpty();
        assertThat(server.files()).containsExactly("inbox/clean.csv");
    }

    @Test
    void should_refuse_an_unknown_host_naming_host_and_fingerprint() throws Exception {
        Files.writeString(server.knownHosts(), "");
        server.upload("inbox/clean.csv", CLEAN);
        ListAppender<ILoggingEvent> log = captureConnectionErrors();
        start(sftpSettings(""));

        await().atMost(Duration.ofSeconds(15)).until(() -> !errors(log).isEmpty());
        assertThat(errors(log).get(0)).contains("host key UNKNOWN", "127.0.0.1:" + server.port(),
                server.hostKeyFingerprint());
        assertThat(sandbox.calls()).isEmpty();
        assertThat(server.files()).containsExactly("inbox/clean.csv");
    }

    @Test
    void should_report_a_refused_client_key_and_stay_down() throws Exception {
        server.authorizeOnly(SftpServer.generate().getPublic());
        server.upload("inbox/clean.csv", CLEAN);
        ListAppender<ILoggingEvent> log = captureConnectionErrors();
        start(sftpSettings(""));

        await().atMost(Duration.ofSeconds(15)).until(() -> !errors(log).isEmpty());
        assertThat(errors(log).get(0)).contains("sftp://partner@127.0.0.1:" + server.port(), "Auth fail");
        await().atMost(Duration.ofSeconds(10)).until(() -> health("poll-sftp-inbox") == HealthCheck.State.DOWN);
        assertThat(sandbox.calls()).isEmpty();
        assertThat(server.files()).containsExactly("inbox/clean.csv");
    }

    @Test
    void should_turn_down_while_the_server_is_stopped_and_carry_on_after_it_restarts() throws Exception {
        start(sftpSettings(""));
        server.upload("inbox/first.csv", CLEAN);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.files().contains("archive/" + today + "/first.csv"));
        await().atMost(Duration.ofSeconds(10)).until(() -> health("poll-sftp-inbox") == HealthCheck.State.UP);

        server.stop();
        await().atMost(Duration.ofSeconds(15)).until(() -> health("poll-sftp-inbox") == HealthCheck.State.DOWN);
        server.upload("inbox/second.csv", HEADER + rows("S", 1, 3));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> sandbox.calls().size() == 1);

        server.restart();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.files().contains("archive/" + today + "/second.csv"));
        await().atMost(Duration.ofSeconds(10)).until(() -> health("poll-sftp-inbox") == HealthCheck.State.UP);
        assertThat(sandbox.calls()).extracting(RecordedCall::code).containsExactly("10000", "10000");
        assertThat(server.files()).containsExactly(
                "archive/" + today + "/first.csv", "archive/" + today + "/first.csv.result.json",
                "archive/" + today + "/second.csv", "archive/" + today + "/second.csv.result.json");
    }

    @Test
    void should_serve_two_partners_with_their_own_profiles_from_two_route_files() throws Exception {
        Path config = tmp.resolve("config");
        Path routes = tmp.resolve("routes");
        copy(InProcessBridge.repo().resolve("config"), config);
        copy(InProcessBridge.repo().resolve("routes"), routes);
        Files.writeString(config.resolve("profiles/vip.properties"),
                Files.readString(config.resolve("profiles/default.properties")).replace("taskDesc=outbound-bridge",
                        "taskDesc=vip partner"), StandardCharsets.UTF_8);
        Files.writeString(routes.resolve("poll-partner-beta.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: poll-partner-sftp
                    routeId: poll-partner-beta
                    parameters:
                      - name: partner
                        value: beta
                      - name: uri
                        value: "{{partner.beta.uri}}"
                """, StandardCharsets.UTF_8);
        try (SftpServer beta = SftpServer.start(tmp.resolve("sftp-beta"))) {
            Map<String, String> settings = sftpSettings("");
            settings.put("partner.beta.uri", beta.uri("inbox", "partner.beta.passphrase", ""));
            settings.put("partner.beta.passphrase", SftpServer.PASSPHRASE);
            bridge = InProcessBridge.start(config, routes, folders, sandbox, settings);

            server.upload("inbox/vip/gold.csv", CLEAN);
            beta.upload("inbox/plain.csv", HEADER + rows("B", 1, 2));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> server.files().contains("archive/" + today + "/gold.csv")
                            && beta.files().contains("archive/" + today + "/plain.csv"));
            assertThat(server.files()).containsExactly("archive/" + today + "/gold.csv",
                    "archive/" + today + "/gold.csv.result.json");
            assertThat(beta.files()).containsExactly("archive/" + today + "/plain.csv",
                    "archive/" + today + "/plain.csv.result.json");
            assertThat(json.readTree(server.read("archive/" + today + "/gold.csv.result.json")).path("profile")
                    .asText()).isEqualTo("vip");
            assertThat(json.readTree(beta.read("archive/" + today + "/plain.csv.result.json")).path("profile")
                    .asText()).isEqualTo("default");
            assertThat(sandbox.calls()).hasSize(2);
            Map<String, JsonNode> byTask = new HashMap<>();
            for (RecordedCall call : sandbox.calls()) {
                JsonNode body = json.readTree(call.body());
                byTask.put(body.path("taskName").asText(), body);
            }
            assertThat(byTask.keySet()).containsExactlyInAnyOrder("vip-gold", "default-plain");
            assertThat(byTask.get("vip-gold").path("taskDesc").asText()).isEqualTo("vip partner");
            assertThat(byTask.get("default-plain").path("taskDesc").asText()).isEqualTo("outbound-bridge");
            assertThat(health("poll-sftp-inbox")).isEqualTo(HealthCheck.State.UP);
            assertThat(health("poll-partner-beta")).isEqualTo(HealthCheck.State.UP);
        }
    }

    static List<String> warnings(ListAppender<ILoggingEvent> appender) {
        return appender.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void should_retake_the_lists_a_crash_left_in_remote_processing_when_it_starts() throws Exception {
        // left by an earlier run: one in a profile subfolder, one whose name is in the inbox again (it goes back
        // under a name of its own; neither is complete without its done file, so both wait in the inbox)
        server.upload("processing/default/left.csv", HEADER + rows("L", 1, 5));
        server.upload("processing/again.csv", HEADER + rows("P", 1, 2));
        server.upload("inbox/again.csv", CLEAN);
        ListAppender<ILoggingEvent> log = captureConnectionErrors();
        Map<String, String> settings = sftpSettings("");
        settings.put("bridge.inbox.done-file", "${file:name}.done");
        start(settings);
        server.upload("inbox/default/left.csv.done", "");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.files().contains("archive/" + today + "/left.csv"));

        assertThat(server.files()).containsExactly(
                "archive/" + today + "/left.csv", "archive/" + today + "/left.csv.result.json",
                "inbox/again-retaken-2.csv", "inbox/again.csv");
        assertThat(server.read("archive/" + today + "/left.csv")).isEqualTo(HEADER + rows("L", 1, 5));
        assertThat(server.read("inbox/again.csv")).isEqualTo(CLEAN);
        assertThat(server.read("inbox/again-retaken-2.csv")).isEqualTo(HEADER + rows("P", 1, 2));
        JsonNode result = json.readTree(server.read("archive/" + today + "/left.csv.result.json"));
        assertThat(result.path("accepted").asInt()).isEqualTo(5);
        assertThat(result.path("profile").asText()).isEqualTo("default");
        assertThat(sandbox.tasks()).extracting(RecordedTask::name).containsExactly("default-left");
        assertThat(warnings(log)).filteredOn(m -> m.contains("left in processing") && m.contains("left.csv"))
                .singleElement().asString().contains("moved back to inbox/default/left.csv");
        assertThat(warnings(log)).filteredOn(m -> m.contains("is in the inbox again")).singleElement().asString()
                .contains("again.csv", "again-retaken-2.csv");
    }

    @Test
    void should_put_a_list_whose_download_was_cut_off_back_in_the_inbox_and_send_it_once() throws Exception {
        server.cutNextDownloadOf("cut.csv");
        // how many vendor calls there were when the list was put back in the inbox
        List<Integer> callsWhenPutBack = new CopyOnWriteArrayList<>();
        Logger logger = (Logger) LoggerFactory.getLogger(PartnerConnections.class.getPackageName());
        AppenderBase<ILoggingEvent> watch = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                if (e.getFormattedMessage().contains("cut off during download")) {
                    callsWhenPutBack.add(sandbox.calls().size());
                }
            }
        };
        watch.start();
        logger.addAppender(watch);
        try {
            start(sftpSettings(""));
            server.upload("inbox/cut.csv", HEADER + rows("X", 1, 2000));

            assertThat(server.awaitDownloadCut(Duration.ofSeconds(30))).as("the download was cut off").isTrue();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> server.files().contains("archive/" + today + "/cut.csv"));
        } finally {
            logger.detachAppender(watch);
        }

        assertThat(callsWhenPutBack).as("put back once, before anything was sent").containsExactly(0);
        assertThat(server.moves()).filteredOn(m -> !m.contains(".uploading-")).containsExactly(
                "inbox/cut.csv -> processing/cut.csv",
                "processing/cut.csv -> inbox/cut.csv",
                "inbox/cut.csv -> processing/cut.csv",
                "processing/cut.csv -> archive/" + today + "/cut.csv");
        assertThat(server.files()).containsExactly("archive/" + today + "/cut.csv",
                "archive/" + today + "/cut.csv.result.json");
        assertThat(sandbox.tasks()).extracting(RecordedTask::name).containsExactly("default-cut");
        assertThat(sandbox.tasks().get(0).externalCustomerIds()).as("every customer exactly once")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 2000).mapToObj(i -> "X" + i).toList());
        assertThat(json.readTree(server.read("archive/" + today + "/cut.csv.result.json")).path("accepted").asInt())
                .isEqualTo(2000);
    }

    @Test
    void should_leave_the_local_file_inbox_as_it_is_when_no_sftp_is_configured() throws Exception {
        start(Map.of());
        assertThat(bridge.context().getRoute("poll-customer-drops")).isNotNull();
        assertThat(bridge.context().getRoute("poll-sftp-inbox")).isNull();
        folders.drop("clean.csv", CLEAN);
        assertThat(folders.awaitOutcome("clean.csv").archived()).isTrue();
        assertThat(Folders.filesUnder(folders.archive())).hasSize(2);
    }

    static void copy(Path from, Path to) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
