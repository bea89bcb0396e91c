package io.outboundbridge.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outboundbridge.ledger.LocalPostgres;
import io.outboundbridge.sandbox.RecordedCall;
import io.outboundbridge.sandbox.RecordedTask;
import io.outboundbridge.sandbox.SandboxSettings;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.BridgeInstances;
import io.outboundbridge.support.BridgeLogsOnFailure;
import io.outboundbridge.support.BridgeProcess;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.OpenSshServer;
import io.outboundbridge.support.PartnerServer;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.SftpServer;
import io.outboundbridge.support.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged-jar instances polling one partner SFTP inbox (issue 14), on one PostgreSQL ledger: every list is
 * taken by one of them only, archived once on the server with its result, each customer sent once. Against the
 * embedded MINA SSHD, and against Debian's OpenSSH where it is installed.
 */
class SharedSftpInboxIT {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";
    static final int LISTS = 10;
    static final int ROWS = 600;

    @RegisterExtension
    final BridgeLogsOnFailure logs = new BridgeLogsOnFailure();

    @TempDir
    Path tmp;

    @Test
    void should_take_each_list_of_one_mina_inbox_once_with_two_instances() throws Exception {
        try (SftpServer server = SftpServer.start(tmp.resolve("sftp"))) {
            twoInstancesOnOneInbox(server, "mina");
        }
    }

    @Test
    void should_take_each_list_of_one_openssh_inbox_once_with_two_instances() throws Exception {
        assumeTrue(OpenSshServer.installed(), "OpenSSH server not installed (" + OpenSshServer.SSHD
                + "): apt-get install openssh-server");
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sftp"))) {
            twoInstancesOnOneInbox(server, "openssh");
        }
    }

    void twoInstancesOnOneInbox(PartnerServer server, String partner) throws Exception {
        assumeTrue(LocalPostgres.unavailable().isEmpty(), () -> LocalPostgres.unavailable().orElse(""));
        Path pgDir = Files.createDirectories(tmp.resolve("pg"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        SandboxVendor sandbox = SandboxVendor.start(SandboxSettings.builder().appId(Sandboxes.APP_ID)
                .publicKey(TestKeys.publicKey()).answerLatency(Duration.ofMillis(100)).build());
        try (LocalPostgres pg = LocalPostgres.start(pgDir)) {
            Map<String, String> s = new HashMap<>(InProcessBridge.testSettings(new Folders(tmp.resolve("local")),
                    sandbox));
            s.put("vendor.read-timeout", "60000");
            s.put("bridge.inbox.uri", server.uri("inbox", "partner.test.passphrase", ""));
            s.put("partner.test.passphrase", SftpServer.PASSPHRASE);
            s.put("bridge.inbox.partner", partner);
            s.put("bridge.sftp.reconnect-attempts", "0");
            s.put("bridge.sftp.connect-timeout", "2000");
            try (BridgeInstances instances = new BridgeInstances(tmp.resolve("instances"), s, pg.newDatabase(),
                    logs)) {
                instances.start("alpha", "beta");
                List<String> lists = new ArrayList<>();
                for (int i = 1; i <= LISTS; i++) {
                    String base = String.format("shared-%02d", i);
                    server.upload("inbox/" + base + ".csv", rows("S" + i + "x", ROWS));
                    lists.add(base);
                }

                String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> server.files().containsAll(lists.stream().flatMap(l -> java.util.stream.Stream.of(
                                "archive/" + today + "/" + l + ".csv", "archive/" + today + "/" + l + ".csv.result.json"))
                                .toList()));

                List<String> expected = new ArrayList<>();
                for (String l : lists) {
                    expected.add("archive/" + today + "/" + l + ".csv");
                    expected.add("archive/" + today + "/" + l + ".csv.result.json");
                }
                assertThat(server.files()).as("every list archived once on the server, nothing elsewhere")
                        .containsExactlyInAnyOrderElementsOf(expected);
                for (int i = 1; i <= LISTS; i++) {
                    RecordedTask task = sandbox.task("default-" + lists.get(i - 1)).orElseThrow();
                    String prefix = "S" + i + "x";
                    assertThat(task.externalCustomerIds()).as("%s: every customer once", lists.get(i - 1))
                            .containsExactlyElementsOf(IntStream.rangeClosed(1, ROWS).mapToObj(n -> prefix + n)
                                    .toList());
                }
                List<RecordedCall> creates = sandbox.calls().stream().filter(c -> c.path().endsWith("/create"))
                        .toList();
                assertThat(creates).as("each list's task created once").hasSize(LISTS);
                int pickUps = 0;
                for (BridgeProcess p : instances.running().values()) {
                    pickUps += (int) p.log().lines().filter(line -> line.contains("Picked up list shared-")).count();
                }
                assertThat(pickUps).as("each list picked up by one instance, once").isEqualTo(LISTS);
                assertThat(instances.running().values()).allMatch(BridgeProcess::isAlive);
            }
        } finally {
            sandbox.close();
        }
    }

    static String rows(String prefix, int n) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 1; i <= n; i++) {
            sb.append("客户").append(i).append(",,").append(prefix).append(i).append(",,138")
                    .append(String.format("%08d", i)).append(",,,,,\n");
        }
        return sb.toString();
    }
}
