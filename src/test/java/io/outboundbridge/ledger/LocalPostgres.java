package io.outboundbridge.ledger;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster for tests: {@code initdb} in a temporary folder, {@code pg_ctl start} on
 * 127.0.0.1 and a free port (no Unix socket), one new database per {@link #newDatabase()}, {@link #stop()} and
 * {@link #start()} again on the same port, {@code pg_ctl stop -m immediate} on {@link #close()}. Uses the server binaries of the machine (Debian: {@code apt-get install -y
 * postgresql}); {@code initdb} refuses to run as root, so as root the cluster runs as the {@code postgres} user
 * through {@code runuser}.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String USER = "bridge";
    public static final String PASSWORD = "ledger-test-password";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final List<String> asUser;
    private final AtomicInteger databases = new AtomicInteger();
    private boolean running;

    private LocalPostgres(Path bin, Path dir, int port, List<String> asUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asUser = asUser;
    }

    /**
     * The folder holding {@code initdb} and {@code pg_ctl}: {@code $PG_BIN}, else the newest
     * {@code /usr/lib/postgresql/N/bin}, else the {@code PATH}; empty when PostgreSQL's server is not installed.
     */
    static Optional<Path> binaries() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("PG_BIN");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.map(v -> v.resolve("bin"))
                        .sorted(Comparator.comparing((Path p) -> versionOf(p.getParent())).reversed())
                        .forEach(candidates::add);
            } catch (IOException e) {
                // not readable: fall through to the PATH
            }
        }
        for (String p : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!p.isBlank()) {
                candidates.add(Path.of(p));
            }
        }
        return candidates.stream()
                .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                .findFirst();
    }

    /** Whether this JVM runs as root, where initdb must run as another user. */
    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Why a cluster cannot be started here, or empty when it can. */
    public static Optional<String> unavailable() {
        if (binaries().isEmpty()) {
            return Optional.of("PostgreSQL server binaries (initdb, pg_ctl) not found in $PG_BIN, /usr/lib/postgresql/*/bin"
                    + " or the PATH: install them (Debian: apt-get install -y postgresql) to run the PostgreSQL ledger tests");
        }
        if (isRoot() && !Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
            return Optional.of("running as root, and runuser (util-linux) is missing to run initdb as user postgres");
        }
        return Optional.empty();
    }

    /** Creates and starts a cluster in {@code dir} (an empty folder, removed by the caller). */
    public static LocalPostgres start(Path dir) throws IOException, InterruptedException {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException(unavailable().orElseThrow()));
        List<String> asUser = List.of();
        if (isRoot()) {
            asUser = List.of(Files.isExecutable(Path.of("/usr/sbin/runuser")) ? "/usr/sbin/runuser" : "/sbin/runuser",
                    "-u", "postgres", "--");
            // the cluster's user must own its folder and reach it through the parent folder
            Path parent = dir.toAbsolutePath().getParent();
            if (!Files.getPosixFilePermissions(parent).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalStateException("user postgres cannot reach " + dir + ": " + parent
                        + " is not searchable by others (set java.io.tmpdir to a folder like /tmp)");
            }
            run(List.of("chown", "postgres", dir.toString()));
        }
        int port = freePort();
        LocalPostgres pg = new LocalPostgres(bin, dir, port, asUser);
        pg.initAndStart();
        return pg;
    }

    private void initAndStart() throws IOException, InterruptedException {
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
        if (!asUser.isEmpty()) {
            run(List.of("chown", "postgres", pwfile.toString()));
        }
        Path data = dir.resolve("data");
        runAsUser(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile",
                pwfile.toString(), "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync"));
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                "",
                "# throw-away test cluster",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = ''",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                ""), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        start();
    }

    /** Starts the cluster again after {@link #stop()}, on the same port. */
    public void start() throws IOException, InterruptedException {
        runAsUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "60", "start"));
        running = true;
    }

    /**
     * Stops the cluster as an operator's restart or a failover would: every session is ended (fast shutdown), the
     * data is kept.
     */
    public void stop() throws IOException, InterruptedException {
        runAsUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                "-t", "60", "stop"));
        running = false;
    }

    /** A new, empty database in the cluster, and settings for the ledger on it. */
    public LedgerSettings newDatabase() throws SQLException {
        String name = "ledger_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new LedgerSettings(url(name), USER, PASSWORD);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Stops the cluster at once (no checkpoint: it is thrown away). */
    @Override
    public void close() throws IOException, InterruptedException {
        if (running) {
            running = false;
            runAsUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m",
                    "immediate", "-w", "stop"));
        }
    }

    private void runAsUser(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(asUser);
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("local-postgres", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not end within " + COMMAND_TIMEOUT_SECONDS
                        + " s: " + Files.readString(log));
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int versionOf(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
