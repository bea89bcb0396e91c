package io.outboundbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.BridgeLogsOnFailure;
import io.outboundbridge.support.BridgeProcess;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar on a ledger that lost its history (its folder replaced by an empty one): {@code run} refuses to
 * start, naming the list and the way out; {@code ledger-restore} records it from its outcome file; {@code run}
 * then starts, and the same content dropped again goes to error as a duplicate with nothing sent.
 */
class LedgerRestoreIT {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";

    @RegisterExtension
    final BridgeLogsOnFailure logs = new BridgeLogsOnFailure();

    @TempDir
    Path tmp;

    SandboxVendor sandbox;
    Folders folders;

    /** A command of the jar run to its end: exit code and everything it printed. */
    record Exit(int code, String output) {
    }

    @BeforeEach
    void setUp() {
        sandbox = Sandboxes.start();
        folders = new Folders(tmp.resolve("home"));
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    Map<String, String> settings() {
        return new HashMap<>(InProcessBridge.testSettings(folders, sandbox));
    }

    BridgeProcess start(String run) {
        return logs.watch(BridgeProcess.start(tmp.resolve(run), InProcessBridge.repo().resolve("routes"), settings()));
    }

    /** {@code java -Dkey=value... -jar outbound-bridge.jar ARGS}, run until it exits. */
    Exit jar(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        new TreeMap<>(settings()).forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", BridgeProcess.jar().toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(tmp, "jar-", ".out");
        Process p = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", args) + " did not end within 90 s:\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Exit(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    static String rows(String prefix, int n) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 1; i <= n; i++) {
            sb.append("客户").append(i).append(",,").append(prefix).append(i).append(",,138")
                    .append(String.format("%08d", i)).append(",,,,,\n");
        }
        return sb.toString();
    }

    static void deleteFolder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void should_refuse_to_start_on_an_empty_ledger_until_ledger_restore_records_the_lists_sent() throws Exception {
        Outcome first;
        try (BridgeProcess bridge = start("run1")) {
            folders.drop("list.csv", rows("L", 2500));
            first = bridge.awaitOutcome(folders, "list.csv");
        }
        assertThat(first.archived()).isTrue();
        int calls = sandbox.calls().size();
        String config = InProcessBridge.repo().resolve("config").toString();
        String routes = InProcessBridge.repo().resolve("routes").toString();
        deleteFolder(folders.home().resolve("data/ledger"));

        Exit refused = jar("run", "--config", config, "--routes", routes);

        String report = "archive/" + first.list().getParent().getFileName() + "/list.csv.result.json";
        assertThat(refused.code()).as(refused.output()).isEqualTo(2);
        assertThat(refused.output()).contains("outbound-bridge cannot start: the ledger lacks 1 list(s)",
                report + " [default-list=" + first.taskIds().get(0) + "]",
                "java -jar " + BridgeProcess.jar() + " ledger-restore --config " + config + " --days 7")
                .doesNotContain("started in");

        Exit restored = jar("ledger-restore", "--config", config);

        assertThat(restored.code()).as(restored.output()).isZero();
        assertThat(restored.output()).contains("recorded  " + report, "1 list(s) recorded in the ledger");

        try (BridgeProcess bridge = start("run2")) {
            folders.drop("list-again.csv", rows("L", 2500));
            Outcome again = bridge.awaitOutcome(folders, "list-again.csv");

            assertThat(again.kind()).isEqualTo("error");
            assertThat(again.report().path("stage").asText()).isEqualTo("duplicate");
            assertThat(again.report().path("message").asText()).contains("list.csv",
                    first.taskIds().get(0).toString());
        }
        assertThat(sandbox.calls()).as("nothing sent again").hasSize(calls);
    }
}
