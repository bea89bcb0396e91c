package io.outboundbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on its default database: an embedded H2 file under the data folder. */
class LedgerH2Test extends LedgerContractTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path dataDir;

    @Override
    LedgerSettings newDatabase() {
        return LedgerSettings.embedded(dataDir.resolve("data-" + DATABASES.incrementAndGet()));
    }

    @Test
    void should_keep_the_embedded_ledger_under_the_data_folder() {
        Path data = dataDir.resolve("data-" + DATABASES.get());

        assertThat(settings.url()).isEqualTo("jdbc:h2:file:" + data.toAbsolutePath().normalize()
                + "/ledger/ledger;AUTO_SERVER=TRUE;WRITE_DELAY=0");
        assertThat(data.resolve("ledger/ledger.mv.db")).isRegularFile();
    }

    @Test
    void should_share_the_embedded_ledger_with_a_second_process() throws Exception {
        FileEntry mine = ledger.begin(sha("a"), "a.csv", "default", T0);

        List<String> out = runSecondProcess(settings.url(), sha("a"), sha("b"));

        assertThat(out).containsExactly("duplicate of a.csv", "claimed b-from-second-process.csv");
        assertThat(ledger.resumable(sha("b"))).get().extracting(FileEntry::fileName)
                .isEqualTo("b-from-second-process.csv");
        assertThat(ledger.resumable(sha("a"))).contains(mine);
    }

    /** Runs {@link SecondProcess} in another JVM on this test's class path; its result lines. */
    private List<String> runSecondProcess(String... args) throws IOException, InterruptedException {
        Path outFile = dataDir.resolve("second-process.out");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SecondProcess.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(outFile.toFile()).start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(outFile, StandardCharsets.UTF_8);
        assertThat(ended).as("second process ended; output: %s", lines).isTrue();
        assertThat(p.exitValue()).as("second process exit code; output: %s", lines).isZero();
        return lines.stream().filter(l -> l.startsWith("duplicate ") || l.startsWith("claimed ")).toList();
    }
}
