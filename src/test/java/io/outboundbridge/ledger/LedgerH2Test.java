package io.outboundbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
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

    // ---- the embedded database closed under the ledger

    private void shutDownTheDatabase() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    @Test
    void should_reopen_the_embedded_database_by_itself_after_it_was_closed() throws Exception {
        FileEntry f = halfSent("a", "a.csv");
        Progress before = ledger.progress(f.id());

        shutDownTheDatabase();

        assertThat(ledger.progress(f.id())).isEqualTo(before);
        ledger.appendConfirmed(f.id(), 1, 3, 1000, "10000", "ok");
        assertThat(ledger.begin(sha("b"), "b.csv", "default", T0).fileName()).isEqualTo("b.csv");
        assertThat(ledger.available()).isTrue();
    }

    @Test
    void should_fail_fast_while_the_embedded_database_cannot_be_opened_and_reopen_it_once_it_can() throws Exception {
        FileEntry f = halfSent("a", "a.csv");
        Progress before = ledger.progress(f.id());
        Path file = dataDir.resolve("data-" + DATABASES.get()).resolve("ledger/ledger.mv.db");
        Path away = file.resolveSibling("elsewhere");

        shutDownTheDatabase();
        Files.move(file, away);
        try {
            assertThatThrownBy(() -> ledger.progress(f.id()))
                    .isInstanceOf(LedgerUnavailableException.class)
                    .hasMessageContaining(settings.safeUrl())
                    .hasMessageContaining("lists wait");
            assertThatThrownBy(() -> ledger.begin(sha("b"), "b.csv", "default", T0))
                    .isInstanceOf(LedgerUnavailableException.class);
            assertThat(ledger.available()).isFalse();
            assertThat(file).as("no empty ledger in place of the missing one").doesNotExist();
        } finally {
            Files.move(away, file);
        }

        await().atMost(Duration.ofSeconds(30)).until(ledger::available);
        assertThat(ledger.progress(f.id())).isEqualTo(before);
        ledger.appendConfirmed(f.id(), 1, 3, 1000, "10000", "ok");
    }

    @Test
    void should_recover_by_itself_once_space_is_freed_on_a_full_disk() throws Exception {
        assumeTrue(LocalPostgres.isRoot(), "mounting a small tmpfs as a full disk needs root");
        Path disk = Files.createDirectories(dataDir.resolve("small-disk"));
        String mounted = run("mount", "-t", "tmpfs", "-o", "size=6m,mode=0755", "tmpfs", disk.toString());
        assumeTrue(mounted.isEmpty(), () -> "cannot mount a tmpfs here: " + mounted);
        Ledger small = null;
        try {
            small = Ledger.open(LedgerSettings.embedded(disk.resolve("data")), CLOCK, "service-1");
            FileEntry f = small.begin(sha("a"), "a.csv", "default", T0);
            small.taskPlanned(f.id(), 1, small.uniqueTaskName("default-a"));
            small.requestSent(f.id(), 1, 1, 1000);
            small.taskCreated(f.id(), 1, 7001L, "10000", "ok");
            Path filler = disk.resolve("filler");
            fill(filler);

            int confirmed = 1;
            LedgerException failure = null;
            String message = "m".repeat(1900);
            while (failure == null && confirmed < 20_000) {
                try {
                    small.appendConfirmed(f.id(), 1, confirmed + 1, 1000, "10000", message);
                    confirmed++;
                } catch (LedgerException e) {
                    failure = e;
                }
            }
            assertThat(failure).as("a write on the full disk").isInstanceOf(LedgerUnavailableException.class)
                    .hasMessageContaining("lists wait");
            Ledger full = small;
            int next = confirmed + 1;
            assertThatThrownBy(() -> full.appendConfirmed(f.id(), 1, next, 1000, "10000", message))
                    .isInstanceOf(LedgerUnavailableException.class);

            Files.delete(filler);

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try {
                    full.appendConfirmed(f.id(), 1, next, 1000, "10000", "after");
                    return true;
                } catch (LedgerUnavailableException stillDown) {
                    return false;
                }
            });
            Progress p = small.progress(f.id());
            assertThat(p.task(1).orElseThrow().lastConfirmedSequence()).isEqualTo(next);
            assertThat(p.task(1).orElseThrow().requestsConfirmed()).isEqualTo(next);
        } finally {
            if (small != null) {
                small.close();
            }
            String unmounted = run("umount", disk.toString());
            if (!unmounted.isEmpty()) {
                run("umount", "-l", disk.toString());
            }
        }
    }

    /** Fills the disk of {@code file} until it is full. */
    private static void fill(Path file) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(64 * 1024);
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

    /** Runs a command; empty when it succeeded, else its exit code and output. */
    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + ": did not end";
        }
        return p.exitValue() == 0 ? "" : String.join(" ", command) + ": exit " + p.exitValue() + ": " + out;
    }
}
