package io.outboundbridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A list still being written when it is first seen (issue case 10): with the default settings a writer pausing for
 * seconds is waited for; a list that changes while or after it is read is filed in error at stage read, says what
 * the vendor received, and its report's sha256 is that of the bytes filed.
 */
class SlowWriterTest {

    @TempDir
    Path tmp;

    private SandboxVendor sandbox;
    private Folders folders;

    @BeforeEach
    void start() {
        sandbox = Sandboxes.start();
        folders = new Folders(tmp.resolve("data"));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private static byte[] rows(int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i <= to; i++) {
            s.append("客户").append(i).append(",,S").append(i).append(",,1380000").append(String.format("%04d", i))
                    .append(",,,,,\n");
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void should_wait_with_the_default_settings_for_a_writer_that_pauses_for_four_seconds() throws Exception {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("bridge.inbox.read-lock-min-age", null);
        defaults.put("bridge.inbox.read-lock-check-interval", null);
        Path list = Files.createDirectories(folders.inbox()).resolve("slow.csv");
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, defaults);
                OutputStream out = Files.newOutputStream(list)) {
            out.write(OutcomeFilingFaultsTest.HEADER.getBytes(StandardCharsets.UTF_8));
            out.write(rows(1, 100));
            out.flush();
            await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
            out.write(rows(101, 200));
            out.close();

            Outcome outcome = folders.awaitOutcome("slow.csv", Duration.ofSeconds(40));
            assertThat(outcome.archived()).isTrue();
            assertThat(outcome.report().path("accepted").asInt()).isEqualTo(200);
            assertThat(outcome.report().path("sha256").asText()).isEqualTo(sha256(outcome.list()));
            assertThat(sandbox.totalCustomers()).isEqualTo(200);
        }
    }

    @Test
    void should_say_loudly_when_a_list_changed_while_or_after_it_was_read() throws Exception {
        Path list = Files.createDirectories(folders.inbox()).resolve("growing.csv");
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, Map.of());
                OutputStream out = Files.newOutputStream(list)) {
            out.write(OutcomeFilingFaultsTest.HEADER.getBytes(StandardCharsets.UTF_8));
            out.write(rows(1, 50));
            out.flush();
            // the create answers after 1 s: the list is still being sent when the writer, who holds the file open,
            // writes the rest into it (after it was read, or while: either way it changed)
            sandbox.enqueue(Fault.delay(Duration.ofSeconds(1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(folders.processing().resolve("growing.csv")));
            out.write(rows(51, 100));
            out.close();

            Outcome outcome = folders.awaitOutcome("growing.csv");
            assertThat(outcome.kind()).isEqualTo("error");
            assertThat(outcome.report().path("stage").asText()).isEqualTo("read");
            assertThat(outcome.report().path("message").asText()).containsPattern("changed (while|after) it was read");
            assertThat(outcome.report().path("sha256").asText()).isEqualTo(sha256(outcome.list()));
            assertThat(Files.size(outcome.list()))
                    .isEqualTo(OutcomeFilingFaultsTest.HEADER.getBytes(StandardCharsets.UTF_8).length + rows(1, 100).length);
            assertThat(sandbox.totalCustomers()).isEqualTo(outcome.report().path("customersSent").asInt());
        }
    }
}
