package io.outboundbridge.partner;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.SftpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End to end against a server nobody here wrote: Debian's OpenSSH sshd, started by the test on 127.0.0.1 and a
 * free port with its own config (generated host key, key login only, internal-sftp starting in a temp folder), as
 * the current user.
 */
class SftpOpenSshIT {

    static final Path SSHD = Path.of("/usr/sbin/sshd");
    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";

    @TempDir
    Path tmp;

    @Test
    void should_process_a_list_from_openssh_and_upload_its_result_back() throws Exception {
        assumeTrue(Files.isExecutable(SSHD), "OpenSSH server not installed (/usr/sbin/sshd): apt-get install openssh-server");
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.createDirectories(data.resolve("inbox"));

        KeyPair hostKey = SftpServer.generate();
        Path hostKeyFile = etc.resolve("ssh_host_rsa_key");
        SftpServer.writePrivateKey(hostKey, hostKeyFile, null);
        Files.setPosixFilePermissions(hostKeyFile, PosixFilePermissions.fromString("rw-------"));
        KeyPair client = SftpServer.generate();
        Path clientKey = etc.resolve("id_rsa");
        SftpServer.writePrivateKey(client, clientKey, SftpServer.PASSPHRASE);
        Files.writeString(etc.resolve("authorized_keys"), SftpServer.publicKeyLine(client.getPublic()) + "\n");

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Files.writeString(etc.resolve("known_hosts"),
                "[127.0.0.1]:" + port + " " + SftpServer.publicKeyLine(hostKey.getPublic()) + "\n");
        String user = System.getProperty("user.name");
        Files.writeString(etc.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKeyFile,
                "PidFile " + etc.resolve("sshd.pid"),
                "AuthorizedKeysFile " + etc.resolve("authorized_keys"),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "AllowUsers " + user,
                // sessions start in the test's folder (Camel's sftp paths are relative to where a session starts)
                "Subsystem sftp internal-sftp -d " + data,
                ""), StandardCharsets.UTF_8);
        try {
            Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation folder
        } catch (IOException notRoot) {
            // a non-root sshd runs without it
        }

        Process sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", etc.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("sshd.log").toFile()).start();
        SandboxVendor sandbox = Sandboxes.start();
        InProcessBridge bridge = null;
        try {
            int p = port;
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> sshd.isAlive() && accepts(p));
            Folders folders = new Folders(tmp.resolve("local"));
            String uri = "sftp://" + user + "@127.0.0.1:" + port + "/inbox"
                    + "?privateKeyFile=" + clientKey + "&privateKeyPassphrase={{partner.test.passphrase}}"
                    + "&knownHostsFile=" + etc.resolve("known_hosts") + "&useUserKnownHostsFile=false";
            bridge = InProcessBridge.start(folders, sandbox, Map.of("bridge.inbox.uri", uri,
                    "partner.test.passphrase", SftpServer.PASSPHRASE, "bridge.inbox.partner", "openssh",
                    "bridge.sftp.reconnect-attempts", "0", "bridge.sftp.backoff-multiplier", "2"));

            String list = HEADER + "张三,,C1,,13800000001,,,,,\n" + "李四,,C2,,12345,,,,,\n" + rows(3, 30);
            Path part = data.resolve("inbox/list.csv.filepart");
            Files.writeString(part, list, StandardCharsets.UTF_8);
            Files.move(part, data.resolve("inbox/list.csv"), StandardCopyOption.ATOMIC_MOVE);

            String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
            await().atMost(Duration.ofSeconds(60)).until(() -> files(data).contains("archive/" + today + "/list.csv"));
            assertThat(files(data)).containsExactly("archive/" + today + "/list.csv",
                    "archive/" + today + "/list.csv.rejects.csv", "archive/" + today + "/list.csv.result.json");
            assertThat(Files.readString(data.resolve("archive/" + today + "/list.csv"))).isEqualTo(list);
            assertThat(new ObjectMapper().readTree(data.resolve("archive/" + today + "/list.csv.result.json").toFile())
                    .path("accepted").asInt()).isEqualTo(29);
            assertThat(Files.readString(data.resolve("archive/" + today + "/list.csv.rejects.csv"))).contains("12345");
            assertThat(sandbox.calls()).hasSize(1);
            assertThat(folders.awaitOutcome("list.csv").archived()).isTrue();
        } finally {
            try {
                if (bridge != null) {
                    bridge.close();
                }
            } finally {
                sandbox.close();
                sshd.destroy();
                if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
                    sshd.destroyForcibly();
                }
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

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static List<String> files(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
