package io.outboundbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.SftpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
