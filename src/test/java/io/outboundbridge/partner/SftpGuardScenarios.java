package io.outboundbridge.partner;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.outboundbridge.sandbox.RecordedTask;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.PartnerServer;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.SftpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What Camel 4.22.0 fixed in its sftp component, checked on the 4.18.0 we run, through the real routes/ and
 * config/ against a partner's server ({@link SftpGuardsTest} on MINA SSHD, {@link SftpGuardsOpenSshIT} on
 * Debian's OpenSSH):
 * <ul>
 * <li>CAMEL-24088, a refused download taken for a success: a list the partner's user may list but not read stays
 * in the inbox, nothing of it is sent, it is reported once, and the lists beside it go on;</li>
 * <li>CAMEL-24097, the service user's {@code ~/.ssh/known_hosts} used instead of the configured one: only the
 * configured known_hosts decides, whichever way the two disagree;</li>
 * <li>CAMEL-24098, one endpoint's ciphers applied to every SFTP connection of the JVM: each partner keeps its own,
 * and one whose cipher its server refuses fails alone.</li>
 * </ul>
 */
abstract class SftpGuardScenarios {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";

    @TempDir
    Path tmp;

    Folders folders;
    SandboxVendor sandbox;
    InProcessBridge bridge;
    final List<PartnerServer> servers = new ArrayList<>();
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
    String userHome;

    /** A partner's server in {@code home}, accepting only {@code cipher} (null: the server's defaults). */
    abstract PartnerServer startServer(Path home, String cipher);

    @BeforeEach
    void setUp() {
        userHome = System.getProperty("user.home");
        folders = new Folders(tmp.resolve("local"));
        sandbox = Sandboxes.start();
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (bridge != null) {
                bridge.close();
            }
        } finally {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
            System.setProperty("user.home", userHome);
            try {
                servers.forEach(PartnerServer::close);
            } finally {
                sandbox.close();
            }
        }
    }

    PartnerServer server(String name, String cipher) {
        PartnerServer server = startServer(tmp.resolve(name), cipher);
        servers.add(server);
        return server;
    }

    /** Settings for a bridge whose inbox is partner acme on {@code uri}, with fast polls and retries. */
    static Map<String, String> settings(String uri) {
        Map<String, String> s = new HashMap<>();
        s.put("bridge.inbox.uri", uri);
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

    /** The bridge with the repository's routes plus a second partner, beta, whose URI is setting partner.beta.uri. */
    void startWithBeta(Map<String, String> settings) throws Exception {
        Path config = tmp.resolve("config");
        Path routes = tmp.resolve("routes");
        copy(InProcessBridge.repo().resolve("config"), config);
        copy(InProcessBridge.repo().resolve("routes"), routes);
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
        settings.put("partner.beta.passphrase", SftpServer.PASSPHRASE);
        bridge = InProcessBridge.start(config, routes, folders, sandbox, settings);
    }

    ScheduledPollConsumer consumer(String routeId) {
        return (ScheduledPollConsumer) bridge.context().getRoute(routeId).getConsumer();
    }

    HealthCheck.State health(String routeId) {
        return HealthCheckHelper.invoke(bridge.context()).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:" + routeId)).map(HealthCheck.Result::getState)
                .findFirst().orElse(HealthCheck.State.UNKNOWN);
    }

    /** WARN and ERROR lines of any logger that mention {@code text} (in the message or its exception). */
    List<String> warningsAbout(String text) {
        return List.copyOf(log.list).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : " | " + e.getThrowableProxy().getMessage()))
                .filter(m -> m.contains(text)).toList();
    }

    List<String> errors() {
        return List.copyOf(log.list).stream().filter(e -> e.getLevel() == Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The service user's ~/.ssh/known_hosts, as JSch would find it (user.home), holding {@code line}. */
    void usersKnownHosts(String line) throws IOException {
        Path home = tmp.resolve("service-user-home");
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/known_hosts"), line, StandardCharsets.US_ASCII);
        System.setProperty("user.home", home.toString());
    }

    static String rows(String prefix, int from, int to) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = from; i <= to; i++) {
            sb.append("客户").append(i).append(",,").append(prefix).append(i).append(",,1380000")
                    .append(String.format("%04d", i)).append(",本人,,,,\n");
        }
        return sb.toString();
    }

    // CAMEL-24088

    @Test
    void should_leave_an_unreadable_list_in_the_inbox_report_it_once_and_go_on() throws Exception {
        PartnerServer server = server("sftp", null);
        server.upload("inbox/locked.csv", rows("L", 1, 3));
        server.makeUnreadable("inbox/locked.csv");
        bridge = InProcessBridge.start(folders, sandbox, settings(server.uri("inbox", "partner.test.passphrase", "")));

        await().atMost(Duration.ofSeconds(30)).until(() -> !warningsAbout("locked.csv").isEmpty());
        server.upload("inbox/good.csv", rows("G", 1, 2));
        await().atMost(Duration.ofSeconds(30)).until(() -> server.files().contains("archive/" + today + "/good.csv"));
        long polls = consumer("poll-sftp-inbox").getCounter();
        await().atMost(Duration.ofSeconds(30)).until(() -> consumer("poll-sftp-inbox").getCounter() >= polls + 10);

        assertThat(warningsAbout("locked.csv")).as("reported once, not at every poll").hasSize(1);
        assertThat(warningsAbout("locked.csv").get(0)).contains("inbox/locked.csv");
        assertThat(server.files()).containsExactly("archive/" + today + "/good.csv",
                "archive/" + today + "/good.csv.result.json", "inbox/locked.csv");
        assertThat(sandbox.tasks()).extracting(RecordedTask::name).containsExactly("default-good");
        assertThat(sandbox.tasks().get(0).externalCustomerIds()).containsExactly("G1", "G2");
        assertThat(Folders.filesUnder(folders.error())).isEmpty();
        assertThat(health("poll-sftp-inbox")).isEqualTo(HealthCheck.State.UP);
    }

    // CAMEL-24097

    @ParameterizedTest
    @ValueSource(strings = {"knownHostsFile=", "knownHostsUri=file:"})
    void should_reach_a_partner_by_the_configured_known_hosts_only(String option)
            throws Exception {
        PartnerServer server = server("sftp", null);
        usersKnownHosts(server.knownHostsLine(SftpServer.generate().getPublic()));
        server.upload("inbox/clean.csv", rows("C", 1, 2));
        bridge = InProcessBridge.start(folders, sandbox, settings(withKnownHosts(server, option)));

        await().atMost(Duration.ofSeconds(30)).until(() -> server.files().contains("archive/" + today + "/clean.csv"));
        assertThat(sandbox.tasks()).extracting(RecordedTask::name).containsExactly("default-clean");
        assertThat(errors()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void should_refuse_a_key_found_only_in_the_users_known_hosts(boolean wrongKeyConfigured)
            throws Exception {
        PartnerServer server = server("sftp", null);
        usersKnownHosts(server.knownHostsLine(server.hostKey()));
        Files.writeString(server.knownHosts(),
                wrongKeyConfigured ? server.knownHostsLine(SftpServer.generate().getPublic()) : "");
        server.upload("inbox/clean.csv", rows("C", 1, 2));
        bridge = InProcessBridge.start(folders, sandbox, settings(withKnownHosts(server, "knownHostsFile=")));

        await().atMost(Duration.ofSeconds(15)).until(() -> !errors().isEmpty());
        assertThat(errors().get(0)).contains(wrongKeyConfigured ? "host key CHANGED" : "host key UNKNOWN",
                "127.0.0.1:" + server.port(), server.knownHosts().toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> health("poll-sftp-inbox") == HealthCheck.State.DOWN);
        assertThat(sandbox.calls()).isEmpty();
        assertThat(server.files()).containsExactly("inbox/clean.csv");
    }

    /**
     * The server's URI with its known_hosts given by {@code option} ({@code knownHostsFile=} or
     * {@code knownHostsUri=file:}) and without {@code useUserKnownHostsFile}: what that option says is left to
     * {@link SftpEndpointDefaults} (Camel's default is to read ~/.ssh/known_hosts too).
     */
    static String withKnownHosts(PartnerServer server, String option) {
        String uri = server.uri("inbox", "partner.test.passphrase", "").replace("&useUserKnownHostsFile=false", "");
        return uri.replace("knownHostsFile=", option);
    }

    // CAMEL-24098

    @Test
    void should_keep_each_partners_cipher_polled_alternately() throws Exception {
        PartnerServer acme = server("sftp-acme", "aes128-ctr");
        PartnerServer beta = server("sftp-beta", "aes256-ctr");
        // a new connection at every poll, so that the two partners' connections interleave
        Map<String, String> settings = settings(acme.uri("inbox", "partner.test.passphrase",
                "ciphers=aes128-ctr&disconnect=true"));
        settings.put("partner.beta.uri", beta.uri("inbox", "partner.beta.passphrase",
                "ciphers=aes256-ctr&disconnect=true"));
        startWithBeta(settings);

        for (int round = 1; round <= 3; round++) {
            String a = "a" + round + ".csv";
            String b = "b" + round + ".csv";
            acme.upload("inbox/" + a, rows("A" + round + "-", 1, 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> acme.files().contains("archive/" + today + "/" + a));
            beta.upload("inbox/" + b, rows("B" + round + "-", 1, 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> beta.files().contains("archive/" + today + "/" + b));
        }

        assertThat(sandbox.tasks()).extracting(RecordedTask::name).containsExactly("default-a1", "default-b1",
                "default-a2", "default-b2", "default-a3", "default-b3");
        assertThat(consumer("poll-sftp-inbox").getCounter()).isGreaterThanOrEqualTo(3);
        assertThat(consumer("poll-partner-beta").getCounter()).isGreaterThanOrEqualTo(3);
        assertThat(errors()).isEmpty();
        assertThat(health("poll-sftp-inbox")).isEqualTo(HealthCheck.State.UP);
        assertThat(health("poll-partner-beta")).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void should_fail_only_the_partner_whose_cipher_is_refused() throws Exception {
        // both servers accept only aes256-ctr; acme insists on aes128-ctr, beta sets no cipher (JSch's defaults)
        PartnerServer acme = server("sftp-acme", "aes256-ctr");
        PartnerServer beta = server("sftp-beta", "aes256-ctr");
        Map<String, String> settings = settings(acme.uri("inbox", "partner.test.passphrase",
                "ciphers=aes128-ctr&disconnect=true"));
        settings.put("partner.beta.uri", beta.uri("inbox", "partner.beta.passphrase", "disconnect=true"));
        acme.upload("inbox/refused.csv", rows("R", 1, 2));
        startWithBeta(settings);

        await().atMost(Duration.ofSeconds(15)).until(() -> health("poll-sftp-inbox") == HealthCheck.State.DOWN);
        for (int round = 1; round <= 3; round++) {
            String b = "b" + round + ".csv";
            beta.upload("inbox/" + b, rows("B" + round + "-", 1, 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> beta.files().contains("archive/" + today + "/" + b));
        }

        assertThat(errors()).filteredOn(m -> m.contains("poll-sftp-inbox")).singleElement().asString()
                .contains("sftp://", "127.0.0.1:" + acme.port());
        assertThat(errors()).filteredOn(m -> m.contains("poll-partner-beta")).isEmpty();
        assertThat(acme.files()).containsExactly("inbox/refused.csv");
        assertThat(sandbox.tasks()).extracting(RecordedTask::name).containsExactly("default-b1", "default-b2",
                "default-b3");
        // (acme's health is not asserted again: Camel's consumer check reads UP while a retry after back-off runs)
        assertThat(health("poll-partner-beta")).isEqualTo(HealthCheck.State.UP);
    }

    static void copy(Path from, Path to) throws IOException {
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
