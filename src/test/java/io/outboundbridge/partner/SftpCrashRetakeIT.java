package io.outboundbridge.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.RecordedCall;
import io.outboundbridge.sandbox.RecordedTask;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.BridgeLogsOnFailure;
import io.outboundbridge.support.BridgeProcess;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.SftpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar polling a partner's SFTP inbox (embedded MINA SSHD) killed with SIGKILL while the sandbox holds
 * an append, so the list sits in the partner's remote processing folder; the service started again on the same
 * folders and ledger takes it back and carries on: each customer reaches the vendor exactly once, under one task.
 */
class SftpCrashRetakeIT {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";

    @RegisterExtension
    final BridgeLogsOnFailure logs = new BridgeLogsOnFailure();

    @TempDir
    Path tmp;

    SandboxVendor sandbox;
    Folders folders;
    SftpServer server;
    final String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();

    @BeforeEach
    void setUp() {
        sandbox = Sandboxes.start();
        folders = new Folders(tmp.resolve("home"));
        server = SftpServer.start(tmp.resolve("sftp"));
    }

    @AfterEach
    void tearDown() {
        try {
            server.close();
        } finally {
            sandbox.close();
        }
    }

    Map<String, String> settings() {
        Map<String, String> s = new HashMap<>(InProcessBridge.testSettings(folders, sandbox));
        s.put("vendor.read-timeout", "60000");
        s.put("bridge.inbox.uri", server.uri("inbox", "partner.test.passphrase", ""));
        s.put("partner.test.passphrase", SftpServer.PASSPHRASE);
        s.put("bridge.inbox.partner", "acme");
        s.put("bridge.sftp.reconnect-attempts", "0");
        s.put("bridge.sftp.connect-timeout", "2000");
        s.put("bridge.sftp.upload-retry-delay", "50");
        s.put("bridge.sftp.upload-retry-max-delay", "200");
        return s;
    }

    BridgeProcess start(String run) {
        return logs.watch(BridgeProcess.start(tmp.resolve(run), InProcessBridge.repo().resolve("routes"), settings()));
    }

    static String rows(String prefix, int n) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 1; i <= n; i++) {
            sb.append("客户").append(i).append(",,").append(prefix).append(i).append(",,138")
                    .append(String.format("%08d", i)).append(",,,,,\n");
        }
        return sb.toString();
    }

    @Test
    void should_retake_a_list_a_crash_left_in_remote_processing_and_send_each_customer_once() throws Exception {
        String list = rows("S", 2500);
        try (BridgeProcess first = start("run1")) {
            sandbox.enqueue(Fault.hold("crash").onAppend());
            server.upload("inbox/big.csv", list);
            assertThat(sandbox.awaitHeld("crash", Duration.ofSeconds(30))).as("the append is held").isTrue();
            first.kill();
        }
        assertThat(server.files()).as("the crash left the list in remote processing")
                .containsExactly("processing/big.csv");

        try (BridgeProcess second = start("run2")) {
            second.awaitUntil("the list archived on the server with its result",
                    () -> server.files().contains("archive/" + today + "/big.csv"));
            assertThat(second.log()).contains("big.csv was left in processing by a stop or crash",
                    "Resuming list big.csv");
        }

        assertThat(server.files()).containsExactly("archive/" + today + "/big.csv",
                "archive/" + today + "/big.csv.result.json");
        assertThat(server.read("archive/" + today + "/big.csv")).isEqualTo(list);
        assertThat(sandbox.tasks()).extracting(RecordedTask::name).containsExactly("default-big");
        RecordedTask task = sandbox.tasks().get(0);
        assertThat(task.externalCustomerIds()).as("every customer exactly once, in order")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 2500).mapToObj(i -> "S" + i).toList());
        List<RecordedCall> creates = sandbox.calls().stream().filter(c -> c.path().endsWith("/create")).toList();
        assertThat(creates).as("the task is not created again").hasSize(1);
        JsonNode result = new ObjectMapper().readTree(server.read("archive/" + today + "/big.csv.result.json"));
        assertThat(result.path("accepted").asInt()).isEqualTo(2500);
        assertThat(result.path("tasks")).hasSize(1);
        assertThat(result.path("tasks").get(0).path("taskId").asLong()).isEqualTo(task.id());
    }
}
