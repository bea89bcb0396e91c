package io.outboundbridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Sandboxes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool of a list in flight holds phone numbers in clear: its folders are the service user's only. */
class WorkFolderPermissionsTest {

    @TempDir
    Path tmp;

    @Test
    void should_keep_the_scratch_files_of_a_list_in_flight_owner_only() throws Exception {
        Folders folders = new Folders(tmp.resolve("data"));
        Files.createDirectories(folders.work());
        Files.setPosixFilePermissions(folders.work(), PosixFilePermissions.fromString("rwxrwxrwx"));
        try (SandboxVendor sandbox = Sandboxes.start();
                InProcessBridge bridge = InProcessBridge.start(folders, sandbox, Map.of())) {
            // the create answers after 1.5 s (the test read timeout is 3 s): the list is in flight meanwhile
            sandbox.enqueue(Fault.delay(Duration.ofMillis(1500)));
            folders.drop("held.csv", OutcomeFilingFaultsTest.rows("H", 3));

            List<Path> scratch = await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (Stream<Path> dirs = Files.list(folders.work())) {
                    return dirs.toList();
                }
            }, dirs -> !dirs.isEmpty());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folders.work())))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch.get(0))))
                    .isEqualTo("rwx------");
            assertThat(folders.awaitOutcome("held.csv").archived()).isTrue();
        }
    }
}
