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
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.Properties;
import java.util.stream.Stream;
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

    /** The ledger's own password, from the owner-only file beside the database. */
    @Override
    Connection connect() throws Exception {
        return DriverManager.getConnection(settings.url(), settings.user(), storedPassword(settings));
    }

    static String storedPassword(LedgerSettings s) throws IOException {
        return Files.readString(EmbeddedH2.of(s).orElseThrow().passwordFile()).strip();
    }

    private Path ledgerFolder() {
        return dataDir.resolve("data-" + DATABASES.get()).resolve("ledger");
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

        List<String> out = runSecondProcess(null, settings.url(), sha("a"), sha("b"));

        assertThat(out).containsExactly("duplicate of a.csv", "claimed b-from-second-process.csv");
        assertThat(ledger.resumable(sha("b"))).get().extracting(FileEntry::fileName)
                .isEqualTo("b-from-second-process.csv");
        assertThat(ledger.resumable(sha("a"))).contains(mine);
    }

    /**
     * Runs {@link SecondProcess} in another JVM on this test's class path, with {@code umask} when not null; its
     * result lines.
     */
    private List<String> runSecondProcess(String umask, String... args) throws IOException, InterruptedException {
        Path outFile = dataDir.resolve("second-process.out");
        List<String> command = new ArrayList<>();
        if (umask != null) {
            command.addAll(List.of("sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\""));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
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
        Path file = ledgerFolder().resolve("ledger.mv.db");
        Path away = file.resolveSibling("elsewhere");

        shutDownTheDatabase();
        Files.move(file, away);
        try {
            assertThatThrownBy(() -> ledger.progress(f.id()))
                    .isInstanceOf(LedgerUnavailableException.class)
                    .hasMessageContaining(settings.safeUrl())
                    .hasMessageContaining("lists wait")
                    .hasMessageNotContaining(storedPassword(settings));
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

    // ---- the embedded ledger's door

    @Test
    void should_keep_the_auto_server_on_the_loopback_interface_only() throws Exception {
        Properties lock = new Properties();
        try (var in = Files.newInputStream(ledgerFolder().resolve("ledger.lock.db"))) {
            lock.load(in);
        }
        String server = lock.getProperty("server");
        int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));

        assertThat(InetAddress.getByName(server.substring(0, server.lastIndexOf(':'))).isLoopbackAddress()).as(server)
                .isTrue();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        }
        List<InetAddress> others = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface::inetAddresses).filter(a -> !a.isLoopbackAddress()).toList();
        for (InetAddress other : others) {
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(other, port), 5000);
                }
            }).as("connect to %s:%d", other, port).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void should_give_the_database_user_a_generated_password_kept_owner_only() throws Exception {
        Path passwordFile = ledgerFolder().resolve("ledger.password");

        assertThat(storedPassword(settings)).hasSizeGreaterThanOrEqualTo(40);
        assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> DriverManager.getConnection(settings.url(), settings.user(), "").close())
                .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28000");
        assertThat(count("SELECT COUNT(*) FROM ledger_file")).isZero();
    }

    @Test
    void should_give_a_ledger_with_the_empty_password_of_earlier_versions_a_new_one() throws Exception {
        LedgerSettings old = newDatabase();
        Path folder = EmbeddedH2.of(old).orElseThrow().passwordFile().getParent();
        // as earlier versions made it: the schema, and the database user's password empty
        org.flywaydb.core.Flyway.configure().dataSource(old.url(), old.user(), "").locations("classpath:db/migration")
                .load().migrate();
        try (Connection c = DriverManager.getConnection(old.url(), old.user(), "");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (n INT)");
            s.execute("INSERT INTO kept VALUES (42)");
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }

        try (Ledger l = Ledger.open(old)) {
            l.begin(sha("a"), "a.csv", "default", T0);
        }

        assertThatThrownBy(() -> DriverManager.getConnection(old.url(), old.user(), "").close())
                .isInstanceOf(SQLException.class);
        try (Connection c = DriverManager.getConnection(old.url(), old.user(), storedPassword(old));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT n FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        assertOwnerOnly(folder);
    }

    @Test
    void should_open_a_ledger_whose_new_password_was_stored_but_not_yet_set() throws Exception {
        LedgerSettings old = newDatabase();
        Path passwordFile = EmbeddedH2.of(old).orElseThrow().passwordFile();
        DriverManager.getConnection(old.url(), old.user(), "").close(); // made with the empty password
        Files.writeString(passwordFile, "stored-before-a-crash\n");

        try (Ledger l = Ledger.open(old)) {
            l.begin(sha("a"), "a.csv", "default", T0);
        }

        DriverManager.getConnection(old.url(), old.user(), "stored-before-a-crash").close();
    }

    @Test
    void should_make_the_ledger_folder_and_files_owner_only_whatever_the_umask() throws Exception {
        LedgerSettings fresh = newDatabase();
        Path folder = EmbeddedH2.of(fresh).orElseThrow().passwordFile().getParent();

        List<String> out = runSecondProcess("000", fresh.url(), sha("a"), sha("b"));

        assertThat(out).containsExactly("claimed a-from-second-process.csv", "claimed b-from-second-process.csv");
        assertThat(folder.resolve("ledger.mv.db")).isRegularFile();
        assertOwnerOnly(folder);
    }

    private static void assertOwnerOnly(Path folder) throws IOException {
        assertThat(Files.getPosixFilePermissions(folder)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.toList()).isNotEmpty().allSatisfy(f -> assertThat(Files.getPosixFilePermissions(f))
                    .as("%s", f).isEqualTo(PosixFilePermissions.fromString("rw-------")));
        }
    }

    @Test
    void should_keep_another_local_user_out_of_the_running_ledger() throws Exception {
        assumeTrue(LocalPostgres.isRoot(), "needs root to run a client as another user (nobody)");
        halfSent("a", "a.csv");
        // everything up to the ledger's own folder is open to others, so that only the ledger's door is tested
        for (Path p = dataDir.resolve("data-" + DATABASES.get()); p.startsWith(dataDir); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path h2 = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path h2Copy = Files.copy(h2, dataDir.resolve("h2.jar"));
        Files.setPosixFilePermissions(h2Copy, PosixFilePermissions.fromString("rw-r--r--"));
        Properties lock = new Properties();
        try (var in = Files.newInputStream(ledgerFolder().resolve("ledger.lock.db"))) {
            lock.load(in);
        }
        String base = ledgerFolder().resolve("ledger").toString();

        String ls = asNobody(List.of("ls", ledgerFolder().getParent().toString()));
        String cat = asNobody(List.of("cat", ledgerFolder().resolve("ledger.lock.db").toString()));
        String embedded = asNobody(shell(h2Copy, settings.url(), ""));
        String overTcp = asNobody(shell(h2Copy, "jdbc:h2:tcp://" + lock.getProperty("server") + "/" + base, ""));
        String withPassword = asNobody(shell(h2Copy, "jdbc:h2:tcp://" + lock.getProperty("server") + "/" + base,
                storedPassword(settings)));

        String control = asNobody(List.of(shell(h2Copy, "jdbc:h2:mem:control", "").get(0), "-cp", h2Copy.toString(),
                "org.h2.tools.Shell", "-url", "jdbc:h2:mem:control", "-sql", "SELECT 'nobody runs h2'"));

        assertThat(control).as("nobody runs an H2 client").startsWith("exit 0").contains("nobody runs h2");
        assertThat(ls).as("nobody reaches the data folder").startsWith("exit 0").contains("ledger");
        assertThat(cat).as("nobody reads the AUTO_SERVER key").doesNotStartWith("exit 0").contains("Permission denied");
        assertThat(embedded).as("nobody opens the ledger").doesNotStartWith("exit 0").doesNotContain("a.csv")
                .contains("AccessDeniedException");
        assertThat(overTcp).as("nobody opens the ledger over TCP").doesNotStartWith("exit 0").doesNotContain("a.csv")
                .contains("Wrong user name or password");
        assertThat(withPassword).as("nobody opens the ledger over TCP without the key, even with the password")
                .doesNotStartWith("exit 0").doesNotContain("a.csv").contains("Wrong user name or password");
    }

    private static List<String> shell(Path h2, String url, String password) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", h2.toString(),
                "org.h2.tools.Shell", "-url", url, "-user", LedgerSettings.DEFAULT_USER, "-password", password,
                "-sql", "SELECT file_name FROM ledger_file");
    }

    /** Runs {@code command} as user nobody; {@code exit N} and its output. */
    private String asNobody(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
        full.addAll(command);
        Process p = new ProcessBuilder(full).directory(dataDir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "did not end: " + out;
        }
        return "exit " + p.exitValue() + ": " + out;
    }
}
