package io.outboundbridge.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.CapturedLogs;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.SftpServer;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real routes/ and config/ with bridge.alert.uri on a real webhook receiver (the JDK's HTTP server) or a real
 * SMTP server (GreenMail), both on 127.0.0.1 and a free port: the alert of each event, exactly as sent.
 */
class AlertRoutesTest {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,"
            + "mobile3,relation3\n";
    static final String GOOD = HEADER + "张三,VIP,C1,,13800000001,,,,,\n" + "李四,,C2,,13800000002,本人,,,,\n";
    static final String WRONG_HEADER = "nom,tel\n张三,13800000001\n";
    static final String DAY = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    final ObjectMapper json = new ObjectMapper();
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    Folders folders;
    SandboxVendor sandbox;
    HttpServer webhook;
    InProcessBridge bridge;

    @BeforeEach
    void setUp() throws IOException {
        folders = new Folders(tmp.resolve("data"));
        sandbox = Sandboxes.start();
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            try (exchange) {
                received.add(json.readTree(exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        webhook.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (bridge != null) {
                bridge.close();
            }
        } finally {
            webhook.stop(0);
            sandbox.close();
        }
    }

    String webhookUri() {
        return "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook";
    }

    void start(Map<String, String> settings) throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("bridge.alert.uri", webhookUri());
        s.put("bridge.alert.check-interval", "100");
        s.putAll(settings);
        bridge = InProcessBridge.start(folders, sandbox, s);
    }

    List<JsonNode> awaitAlerts(int n) {
        await().atMost(WAIT).until(() -> received.size() >= n);
        return List.copyOf(received);
    }

    @Test
    void should_post_the_alert_of_a_list_filed_in_error_as_json_to_a_webhook() throws Exception {
        start(Map.of());
        folders.drop("vip/13912345678.csv", WRONG_HEADER);
        Outcome outcome = folders.awaitOutcome("13912345678.csv");
        assertThat(outcome.kind()).isEqualTo("error");
        String stage = outcome.report().path("stage").asText();

        JsonNode alert = awaitAlerts(1).get(0);
        assertThat(alert.path("kind").asText()).isEqualTo("list-failed");
        assertThat(alert.path("state").asText()).isEqualTo("raised");
        // the list's name is masked like any phone number that leaves the bridge
        assertThat(alert.path("subject").asText()).isEqualTo("vip/139******78.csv");
        assertThat(alert.path("message").asText())
                .startsWith("list vip/139******78.csv was filed in error: stage " + stage + ": ")
                .contains(outcome.report().path("message").asText().replace("13912345678", "139******78"))
                .contains("no task created, customers sent 0")
                .contains(folders.error().resolve(DAY).toString());
        assertThat(alert.path("instance").asText()).endsWith("-" + ProcessHandle.current().pid());
        assertThat(Instant.parse(alert.path("time").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(alert.path("count").asInt()).isEqualTo(1);
        assertThat(alert.toString()).doesNotContain("13912345678", "13800000001");
        assertThat(sandbox.calls()).isEmpty();
    }

    @Test
    void should_mail_the_same_alert_over_smtp() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        try {
            start(Map.of("bridge.alert.uri", "smtp://127.0.0.1:" + smtp.getSmtp().getPort()
                    + "?from=bridge@example.com&to=ops@example.com"));
            folders.drop("broken.csv", WRONG_HEADER);
            assertThat(folders.awaitOutcome("broken.csv").kind()).isEqualTo("error");

            await().atMost(WAIT).until(() -> smtp.getReceivedMessages().length == 1);
            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertThat(mail.getSubject()).isEqualTo("outbound-bridge list-failed: broken.csv");
            assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly("ops@example.com");
            JsonNode alert = json.readTree(GreenMailUtil.getBody(mail).trim());
            assertThat(alert.path("kind").asText()).isEqualTo("list-failed");
            assertThat(alert.path("subject").asText()).isEqualTo("broken.csv");
            assertThat(alert.path("message").asText()).startsWith("list broken.csv was filed in error: stage ");
            assertThat(alert.path("count").asInt()).isEqualTo(1);
        } finally {
            smtp.stop();
        }
    }

    @Test
    void should_count_failures_within_the_quiet_period_into_one_alert_and_send_one_summary_after_it()
            throws Exception {
        start(Map.of("bridge.alert.quiet-period", "6000"));
        for (String name : List.of("one.csv", "two.csv", "three.csv")) {
            folders.drop(name, WRONG_HEADER);
        }
        for (String name : List.of("one.csv", "two.csv", "three.csv")) {
            assertThat(folders.awaitOutcome(name).kind()).isEqualTo("error");
        }

        List<JsonNode> alerts = awaitAlerts(2);
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(0).path("count").asInt()).isEqualTo(1);
        JsonNode summary = alerts.get(1);
        assertThat(summary.path("kind").asText()).isEqualTo("list-failed");
        assertThat(summary.path("count").asInt()).isEqualTo(2);
        assertThat(summary.path("message").asText()).startsWith("2 more list-failed since " + summary.path("since")
                .asText());
        List<String> named = List.of(alerts.get(0).path("subject").asText(),
                summary.path("subject").asText().split(", ")[0], summary.path("subject").asText().split(", ")[1]);
        assertThat(named).containsExactlyInAnyOrder("one.csv", "two.csv", "three.csv");
    }

    @Test
    void should_alert_refused_credentials_once_while_intake_stays_stopped() throws Exception {
        start(Map.of("bridge.alert.quiet-period", "0"));
        sandbox.enqueue(Fault.code("10001", "bad signature"));
        folders.drop("refused.csv", GOOD);
        assertThat(folders.awaitOutcome("refused.csv").kind()).isEqualTo("error");
        // the vendor refused our credentials: no list is taken until a restart, so none can end the alert
        folders.drop("later.csv", GOOD.replace("C1", "C3").replace("C2", "C4"));

        List<JsonNode> alerts = awaitAlerts(2);
        assertThat(alerts).extracting(a -> a.path("kind").asText() + " " + a.path("state").asText())
                .containsExactlyInAnyOrder("credentials-refused raised", "list-failed raised");
        JsonNode refused = alerts.stream().filter(a -> a.path("kind").asText().equals("credentials-refused"))
                .findFirst().orElseThrow();
        assertThat(refused.path("subject").asText()).isEqualTo("vendor");
        assertThat(refused.path("message").asText()).contains("10001", "bad signature", "vendor.app-id",
                "vendor.private-key");
        Thread.sleep(1500);
        assertThat(folders.inbox().resolve("later.csv")).exists();
        assertThat(received).hasSize(2);
        assertThat(sandbox.totalCustomers()).isZero();
    }

    @Test
    void should_alert_the_vendor_breaker_opening_and_closing() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("vendor.breaker.open-for", "1000");
        s.put("vendor.retry.max-retries", "1");
        s.put("vendor.retry.initial-delay", "20");
        s.put("vendor.retry.max-delay", "50");
        start(s);
        // the create and its retry meet 29008 (the breaker opens), the first probe too (open again), then the vendor
        // answers
        sandbox.enqueue(Fault.code("29008"), Fault.code("29008"), Fault.code("29008"));
        folders.drop("outage.csv", GOOD);
        assertThat(folders.awaitOutcome("outage.csv").archived()).isTrue();

        List<JsonNode> alerts = awaitAlerts(2);
        // one alert for the outage (reopening after a failed probe is the same outage) and one when it ends
        assertThat(alerts).extracting(a -> a.path("kind").asText() + " " + a.path("state").asText())
                .containsExactly("vendor-breaker-open raised", "vendor-breaker-open recovered");
        assertThat(alerts.get(0).path("subject").asText()).isEqualTo("vendor");
        assertThat(alerts.get(0).path("message").asText()).contains("29008", "lists wait in processing");
        assertThat(sandbox.totalCustomers()).isEqualTo(2);
    }

    @Test
    void should_alert_a_partner_inbox_that_cannot_be_polled_and_its_recovery() throws Exception {
        SftpServer server = SftpServer.start(tmp.resolve("sftp"));
        try {
            Map<String, String> s = new HashMap<>();
            s.put("bridge.inbox.uri", server.uri("inbox", "partner.test.passphrase", ""));
            s.put("partner.test.passphrase", SftpServer.PASSPHRASE);
            s.put("bridge.inbox.partner", "acme");
            s.put("bridge.sftp.reconnect-attempts", "0");
            s.put("bridge.sftp.reconnect-delay", "50");
            s.put("bridge.sftp.backoff-multiplier", "2");
            s.put("bridge.sftp.connect-timeout", "2000");
            s.put("bridge.alert.inbox-down-after", "1000");
            start(s);
            server.upload("inbox/first.csv", GOOD);
            // filed on the server: no upload of its outcome holds the consumer while the server is stopped
            await().atMost(WAIT).until(() -> server.files().contains("archive/" + DAY + "/first.csv.result.json"));

            server.stop();
            List<JsonNode> down = awaitAlerts(1);
            assertThat(down.get(0).path("kind").asText()).isEqualTo("inbox-down");
            assertThat(down.get(0).path("state").asText()).isEqualTo("raised");
            assertThat(down.get(0).path("subject").asText()).isEqualTo("poll-sftp-inbox");
            assertThat(down.get(0).path("message").asText()).startsWith("inbox poll-sftp-inbox cannot be polled: "
                    + "no successful poll of sftp://").contains(String.valueOf(server.port()))
                    .doesNotContain(SftpServer.PASSPHRASE);

            server.restart();
            List<JsonNode> alerts = awaitAlerts(2);
            assertThat(alerts).hasSize(2);
            assertThat(alerts.get(1).path("kind").asText()).isEqualTo("inbox-down");
            assertThat(alerts.get(1).path("state").asText()).isEqualTo("recovered");
            assertThat(alerts.get(1).path("message").asText()).startsWith("inbox poll-sftp-inbox is polled again");
        } finally {
            server.close();
        }
    }

    @Test
    void should_alert_a_list_no_folder_takes_and_its_recovery_once_it_is_filed() throws Exception {
        Path archiveBlock = Files.writeString(Files.createDirectories(folders.archive()).resolve(DAY), "not a folder");
        Path errorBlock = Files.writeString(Files.createDirectories(folders.error()).resolve(DAY), "not a folder");
        start(Map.of("bridge.refile-interval", "300"));
        folders.drop("nowhere.csv", GOOD);

        JsonNode unreported = awaitAlerts(1).get(0);
        assertThat(unreported.path("kind").asText()).isEqualTo("list-unreported");
        assertThat(unreported.path("subject").asText()).isEqualTo("nowhere.csv");
        assertThat(unreported.path("message").asText()).startsWith("list nowhere.csv could not be filed: its report "
                + "could be written neither in " + folders.archive().resolve(DAY)).contains("customers sent 2");

        Files.delete(archiveBlock);
        Files.delete(errorBlock);
        assertThat(folders.awaitOutcome("nowhere.csv").archived()).isTrue();
        List<JsonNode> alerts = awaitAlerts(2);
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(1).path("kind").asText()).isEqualTo("list-unreported");
        assertThat(alerts.get(1).path("state").asText()).isEqualTo("recovered");
        assertThat(alerts.get(1).path("message").asText()).startsWith("list nowhere.csv is filed now: in the archive");
        assertThat(sandbox.totalCustomers()).isEqualTo(2);
    }

    @Test
    void should_archive_and_file_lists_as_usual_while_the_alert_endpoint_is_unreachable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (CapturedLogs logs = CapturedLogs.start()) {
            start(Map.of("bridge.alert.uri", "http://127.0.0.1:" + closed + "/hook", "bridge.alert.quiet-period", "0"));
            folders.drop("bad-1.csv", WRONG_HEADER);
            folders.drop("bad-2.csv", WRONG_HEADER);
            folders.drop("good.csv", GOOD);

            assertThat(folders.awaitOutcome("good.csv").archived()).isTrue();
            assertThat(folders.awaitOutcome("bad-1.csv").kind()).isEqualTo("error");
            assertThat(folders.awaitOutcome("bad-2.csv").kind()).isEqualTo("error");
            assertThat(sandbox.totalCustomers()).isEqualTo(2);
            await().atMost(WAIT).until(() -> logs.lines().stream()
                    .filter(l -> l.startsWith("INFO Alert not delivered: ")).count() == 2);
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("WARN The alert endpoint")).hasSize(1);
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("INFO Alert not delivered: "))
                    .allSatisfy(l -> assertThat(l).contains("\"kind\":\"list-failed\""));
        }
    }

    @Test
    void should_log_the_alert_with_a_log_uri_and_post_a_list_name_that_is_not_ascii() throws Exception {
        try (CapturedLogs logs = CapturedLogs.start()) {
            start(Map.of("bridge.alert.uri", "log:alerts?showHeaders=false"));
            folders.drop("名单.csv", WRONG_HEADER);
            assertThat(folders.awaitOutcome("名单.csv").kind()).isEqualTo("error");
            await().atMost(WAIT).until(() -> logs.lines().stream().anyMatch(l -> l.contains("\"kind\":\"list-failed\"")));
            assertThat(logs.lines()).filteredOn(l -> l.contains("\"kind\":\"list-failed\""))
                    .singleElement().asString().contains("\"subject\":\"名单.csv\"");
        }
        bridge.close();
        bridge = null;
        start(Map.of());
        folders.drop("名单二.csv", WRONG_HEADER);
        assertThat(awaitAlerts(1).get(0).path("subject").asText()).isEqualTo("名单二.csv");
    }

    @Test
    void should_have_no_alert_routes_and_send_nothing_when_alerts_are_off() throws Exception {
        start(Map.of("bridge.alert.uri", ""));
        folders.drop("bad.csv", WRONG_HEADER);
        assertThat(folders.awaitOutcome("bad.csv").kind()).isEqualTo("error");

        assertThat(bridge.context().getRoute("send-alert")).isNull();
        assertThat(bridge.context().getRoute("check-alert-conditions")).isNull();
        assertThat(bridge.context().getRegistry().lookupByNameAndType("alerts", Alerts.class).isEnabled()).isFalse();
        assertThat(received).isEmpty();
        assertThat(new String(Files.readAllBytes(folders.awaitOutcome("bad.csv").list()), StandardCharsets.UTF_8))
                .isEqualTo(WRONG_HEADER);
    }
}
