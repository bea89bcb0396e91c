package io.outboundbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.BridgeLogsOnFailure;
import io.outboundbridge.support.BridgeProcess;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Folder settings given relative, as -D system properties: they resolve against the working directory. */
class RelativeFoldersIT {

    @RegisterExtension
    final BridgeLogsOnFailure logs = new BridgeLogsOnFailure();

    @TempDir
    Path home;

    @Test
    void should_file_lists_in_folders_relative_to_the_working_directory() {
        Folders folders = new Folders(home);
        try (SandboxVendor sandbox = Sandboxes.start()) {
            Map<String, String> settings = new HashMap<>(InProcessBridge.testSettings(folders, sandbox));
            for (String key : new String[] {"inbox", "processing", "archive", "error", "work", "data"}) {
                settings.put("bridge." + key, key.equals("data") ? "data" : key);
            }
            try (BridgeProcess bridge = logs.watch(BridgeProcess.start(home, InProcessBridge.repo().resolve("routes"),
                    settings))) {
                folders.drop("rel.csv", CrashResumeIT.rows("R", 3));
                folders.drop("bad/rel2.csv", CrashResumeIT.rows("S", 3));

                Outcome ok = bridge.awaitOutcome(folders, "rel.csv");
                Outcome bad = bridge.awaitOutcome(folders, "rel2.csv");

                assertThat(ok.list()).startsWith(home.resolve("archive"));
                assertThat(bad.list()).startsWith(home.resolve("error"));
                assertThat(bad.report().path("message").asText()).startsWith("no profile 'bad'");
                assertThat(Folders.filesUnder(folders.inbox())).isEmpty();
                assertThat(sandbox.totalCustomers()).isEqualTo(3);
            }
        }
    }
}
