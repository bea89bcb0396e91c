package io.outboundbridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection on a real file system (issue case 14): the service runs with its archive, error, work and ledger
 * folders on a small tmpfs that fills up while lists arrive, then frees again. Every list ends filed with its report,
 * and every customer reached the vendor once.
 */
class FullDiskTest {

    @TempDir
    Path tmp;

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        return p.waitFor() == 0 ? "" : out.isEmpty() ? "exit " + p.exitValue() : out;
    }

    private static void fill(Path file) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(16 * 1024);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (true) {
                block.clear();
                ch.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void should_file_every_list_once_the_full_disk_of_its_folders_and_ledger_frees_again() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path disk = Files.createDirectories(tmp.resolve("small-disk"));
        String mounted = run("mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "tmpfs", disk.toString());
        assumeTrue(mounted.isEmpty(), () -> "cannot mount a tmpfs here: " + mounted);
        try (SandboxVendor sandbox = Sandboxes.start()) {
            Folders folders = new Folders(tmp.resolve("data"));
            Map<String, String> settings = new HashMap<>();
            settings.put("bridge.archive", disk.resolve("archive").toString());
            settings.put("bridge.error", disk.resolve("error").toString());
            settings.put("bridge.work", disk.resolve("work").toString());
            settings.put("bridge.data", disk.resolve("data").toString());
            settings.put("bridge.refile-interval", "500");
            Folders outcomes = new Folders(disk);
            try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, settings)) {
                folders.drop("first.csv", OutcomeFilingFaultsTest.rows("F", 5));
                assertThat(outcomes.awaitOutcome("first.csv").archived()).isTrue();

                Path filler = disk.resolve("filler");
                fill(filler);
                for (int i = 1; i <= 5; i++) {
                    folders.drop("full-" + i + ".csv", OutcomeFilingFaultsTest.rows("L" + i + "-", 20));
                }
                await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
                Files.delete(filler);

                for (int i = 1; i <= 5; i++) {
                    Outcome outcome = outcomes.awaitOutcome("full-" + i + ".csv", Duration.ofSeconds(60));
                    assertThat(outcome.archived()).as("full-%d.csv: %s", i, outcome.report()).isTrue();
                    assertThat(outcome.report().path("customersSent").asInt()).isEqualTo(20);
                    assertThat(outcome.report().path("sha256").asText()).isEqualTo(sha256(outcome.list()));
                }
                assertThat(sandbox.totalCustomers()).as("every customer once").isEqualTo(5 + 5 * 20);
                assertThat(Folders.filesUnder(folders.inbox())).isEmpty();
                assertThat(Folders.filesUnder(folders.processing())).isEmpty();
            }
        } finally {
            if (!run("umount", disk.toString()).isEmpty()) {
                run("umount", "-l", disk.toString());
            }
        }
    }
}
