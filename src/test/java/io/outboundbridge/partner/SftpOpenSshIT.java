package io.outboundbridge.partner;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.OpenSshServer;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.SftpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End to end against a server nobody here wrote: Debian's OpenSSH sshd ({@link OpenSshServer}), started by the
 * test on 127.0.0.1 and a free port with its own config (generated host key, key login only, internal-sftp starting
 * in a temp folder), the bridge logged in as a user who is not root.
 */
class SftpOpenSshIT {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";

    @TempDir
    Path tmp;

    @Test
    void should_process_a_list_from_openssh_and_upload_its_result_back() throws Exception {
        assumeTrue(OpenSshServer.installed(), "OpenSSH server not installed (" + OpenSshServer.SSHD
                + "): apt-get install openssh-server");
        SandboxVendor sandbox = Sandboxes.start();
        InProcessBridge bridge = null;
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sftp"))) {
            Folders folders = new Folders(tmp.resolve("local"));
            bridge = InProcessBridge.start(folders, sandbox, Map.of(
                    "bridge.inbox.uri", server.uri("inbox", "partner.test.passphrase", ""),
                    "partner.test.passphrase", SftpServer.PASSPHRASE, "bridge.inbox.partner", "openssh",
                    "bridge.sftp.reconnect-attempts", "0", "bridge.sftp.backoff-multiplier", "2"));

            String list = HEADER + "张三,,C1,,13800000001,,,,,\n" + "李四,,C2,,12345,,,,,\n" + rows(3, 30);
            server.upload("inbox/list.csv", list);

            String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> server.files().contains("archive/" + today + "/list.csv"));
            assertThat(server.files()).containsExactly("archive/" + today + "/list.csv",
                    "archive/" + today + "/list.csv.rejects.csv", "archive/" + today + "/list.csv.result.json");
            assertThat(server.read("archive/" + today + "/list.csv")).isEqualTo(list);
            assertThat(new ObjectMapper().readTree(server.read("archive/" + today + "/list.csv.result.json"))
                    .path("accepted").asInt()).isEqualTo(29);
            assertThat(server.read("archive/" + today + "/list.csv.rejects.csv")).contains("12345");
            assertThat(sandbox.calls()).hasSize(1);
            assertThat(folders.awaitOutcome("list.csv").archived()).isTrue();
        } finally {
            try {
                if (bridge != null) {
                    bridge.close();
                }
            } finally {
                sandbox.close();
            }
        }
    }

    static String rows(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i <= to; i++) {
            sb.append("客户").append(i).append(",,C").append(i).append(",,1380000").append(String.format("%04d", i))
                    .append(",本人,,,,\n");
        }
        return sb.toString();
    }
}
