package io.outboundbridge.karaf;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Apache Karaf for tests: unpacked from the distribution in the Maven repository, its ssh and RMI ports pinned
 * to free loopback ports, Maven URLs resolved only from a repository of this build (nothing remote), started as
 * {@code bin/karaf server} and driven through {@code bin/client}. {@link #close()} stops it and destroys whatever of
 * its process tree is left.
 */
final class KarafDistribution implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final Path base;
    private final Path javaHome;
    private final int sshPort;
    private final int rmiRegistryPort;
    private final int rmiServerPort;
    private Process process;

    private KarafDistribution(Path base, Path javaHome, int sshPort, int rmiRegistryPort, int rmiServerPort) {
        this.base = base;
        this.javaHome = javaHome;
        this.sshPort = sshPort;
        this.rmiRegistryPort = rmiRegistryPort;
        this.rmiServerPort = rmiServerPort;
    }

    /**
     * Unpacks {@code distribution} (apache-karaf-X.tar.gz) into {@code dir} and configures it.
     *
     * @param mavenRepo the only Maven repository {@code mvn:} URLs resolve from
     */
    static KarafDistribution unpack(Path distribution, Path dir, Path javaHome, Path mavenRepo) throws Exception {
        deleteTree(dir);
        Files.createDirectories(dir);
        run(dir, List.of("tar", "xzf", distribution.toString(), "--strip-components=1"), Map.of());
        int ssh = freePort();
        edit(dir.resolve("etc/org.apache.karaf.shell.cfg"), Map.of("sshPort", String.valueOf(ssh),
                "sshHost", "127.0.0.1"));
        int rmiRegistry = freePort();
        int rmiServer = freePort();
        edit(dir.resolve("etc/org.apache.karaf.management.cfg"), Map.of("rmiRegistryPort", String.valueOf(rmiRegistry),
                "rmiServerPort", String.valueOf(rmiServer), "rmiRegistryHost", "127.0.0.1",
                "rmiServerHost", "127.0.0.1"));
        // offline: Karaf's own system/ folder, then the build's repository; never a remote one, nor ~/.m2
        Path local = Files.createDirectories(dir.resolve("m2-local"));
        edit(dir.resolve("etc/org.ops4j.pax.url.mvn.cfg"), Map.of(
                "org.ops4j.pax.url.mvn.repositories", "",
                "org.ops4j.pax.url.mvn.localRepository", local.toString(),
                "org.ops4j.pax.url.mvn.defaultRepositories", "${karaf.home.uri}system@id=system.repository@snapshots,"
                        + mavenRepo.toUri() + "@id=outbound-bridge.build@snapshots"));
        // a shell user for bin/client (the distribution ships none)
        Files.writeString(dir.resolve("etc/users.properties"),
                "\nkaraf = karaf,_g_:admingroup\n_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n",
                StandardCharsets.ISO_8859_1, java.nio.file.StandardOpenOption.APPEND);
        return new KarafDistribution(dir, javaHome, ssh, rmiRegistry, rmiServer);
    }

    Path base() {
        return base;
    }

    /** Karaf's JMX connector (user karaf, password karaf). */
    String jmxUrl() {
        return "service:jmx:rmi://127.0.0.1:" + rmiServerPort + "/jndi/rmi://127.0.0.1:" + rmiRegistryPort
                + "/karaf-root";
    }

    Path etc() {
        return base.resolve("etc");
    }

    Path log() {
        return base.resolve("data/log/karaf.log");
    }

    /** Starts Karaf and waits until its shell answers; the time it took. */
    Duration start() throws Exception {
        if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
            throw new IllegalStateException("no JDK for Karaf at " + javaHome + " (set -Dkaraf.java.home to a Java 17)");
        }
        long started = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(base.resolve("bin/karaf").toString(), "server")
                .directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(base.resolve("karaf.out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("JAVA_HOME", javaHome.toString());
        process = pb.start();
        // should this test JVM end without close() (killed by a timeout), Karaf goes with it
        Process karaf = process;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            karaf.descendants().forEach(ProcessHandle::destroyForcibly);
            karaf.destroyForcibly();
        }, "karaf-reaper"));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Karaf exited: see " + base.resolve("karaf.out"));
                    }
                    return shell("echo karaf-ready").contains("karaf-ready");
                });
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Runs shell commands (one per line) through bin/client; their output. Fails on a command error. */
    String shell(String... commands) throws Exception {
        String out = run(base, List.of(base.resolve("bin/client").toString(), "-a", String.valueOf(sshPort), "-h",
                "127.0.0.1", "-u", "karaf", "-p", "karaf", "-r", "3", "-b"),
                Map.of("JAVA_HOME", javaHome.toString()), String.join("\n", commands) + "\n");
        if (out.contains("Error executing command") || out.contains("Command not found")) {
            throw new IllegalStateException("Karaf shell failed: " + String.join("; ", commands) + "\n" + out);
        }
        return out;
    }

    /** The pid of Karaf's JVM. */
    long pid() {
        return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("no Karaf JVM")).pid();
    }

    /** {@code jcmd PID command} against Karaf's JVM, e.g. {@code GC.class_histogram} or {@code Thread.print}. */
    String jcmd(String command) throws Exception {
        return run(base, List.of(javaHome.resolve("bin/jcmd").toString(), String.valueOf(pid()), command), Map.of());
    }

    /** How many lines of karaf.log contain {@code text}. */
    long logCount(String text) {
        try {
            return Files.exists(log()) ? Files.readAllLines(log(), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains(text)).count() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Stops Karaf with bin/stop, then destroys anything of its process tree still alive. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        try {
            if (process.isAlive()) {
                run(base, List.of(base.resolve("bin/stop").toString()), Map.of("JAVA_HOME", javaHome.toString()));
                process.waitFor(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // destroyed below
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static String run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        return run(dir, command, env, null);
    }

    private static String run(Path dir, List<String> command, Map<String, String> env, String input)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Path out = Files.createTempFile("karaf-cmd", ".out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        try {
            if (input != null) {
                try (var in = p.getOutputStream()) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out: " + command);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + p.exitValue() + ":\n" + text);
            }
            return text;
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    /** Sets {@code key = value} in a Karaf .cfg file, replacing the key's (possibly multi-line) value. */
    static void edit(Path cfg, Map<String, String> values) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(cfg, StandardCharsets.ISO_8859_1));
        for (Map.Entry<String, String> e : values.entrySet()) {
            Pattern key = Pattern.compile("^" + Pattern.quote(e.getKey()) + "\\s*=.*$");
            boolean found = false;
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = key.matcher(lines.get(i));
                if (m.matches()) {
                    // drop the continuation lines of the old value
                    String line = lines.get(i);
                    while (line.endsWith("\\") && i + 1 < lines.size()) {
                        line = lines.remove(i + 1);
                    }
                    lines.set(i, e.getKey() + " = " + e.getValue());
                    found = true;
                }
            }
            if (!found) {
                lines.add(e.getKey() + " = " + e.getValue());
            }
        }
        Files.write(cfg, lines, StandardCharsets.ISO_8859_1);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
