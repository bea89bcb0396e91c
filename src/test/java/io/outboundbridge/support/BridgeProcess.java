package io.outboundbridge.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged jar running as its own process, exactly as an operator starts it:
 * {@code java -Xmx256m -Dkey=value... -jar outbound-bridge.jar run --config DIR --routes DIR}. Its stdout and
 * stderr go to a log file; {@link #start} returns once Camel has logged {@code started in}, and {@link #close}
 * stops it (SIGTERM, then a kill) and waits for it, so no process outlives its test.
 */
public final class BridgeProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int TAIL_LINES = 60;

    private final Process process;
    private final Path log;
    private final Thread killOnExit;
    /** The log as it was when the process stopped: the file may be deleted with its temp folder before a report. */
    private volatile String finalLog;

    private BridgeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        // last resort when the test JVM itself is stopped: never leave a bridge running
        this.killOnExit = new Thread(process::destroyForcibly, "kill-bridge-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** The jar failsafe built ({@code -Dbridge.jar}), or {@code target/outbound-bridge.jar} of the project. */
    public static Path jar() {
        String configured = System.getProperty("bridge.jar");
        Path jar = configured != null ? Path.of(configured)
                : InProcessBridge.repo().resolve("target/outbound-bridge.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("packaged jar not found: " + jar + " (run `mvn package` first)");
        }
        return jar;
    }

    /**
     * Starts the packaged jar with the repository's {@code config/} and the given routes folder, and waits until it
     * is ready.
     *
     * @param workDir  its working directory; the log is {@code workDir/bridge.log}
     * @param settings passed as {@code -Dkey=value}
     */
    public static BridgeProcess start(Path workDir, Path routes, Map<String, String> settings) {
        return start(workDir, InProcessBridge.repo().resolve("config"), routes, settings);
    }

    public static BridgeProcess start(Path workDir, Path config, Path routes, Map<String, String> settings) {
        return start(workDir, config, routes, settings, Map.of());
    }

    /** The same, with {@code environment} added to this JVM's environment (settings such as CAMEL_MANAGEMENT_PORT). */
    public static BridgeProcess start(Path workDir, Path config, Path routes, Map<String, String> settings,
            Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        new TreeMap<>(settings).forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar().toString(), "run", "--config", config.toString(), "--routes",
                routes.toString()));
        Path log = workDir.resolve("bridge.log");
        Process process;
        try {
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        BridgeProcess bridge = new BridgeProcess(process, log);
        try {
            bridge.awaitReady();
            return bridge;
        } catch (RuntimeException | Error e) {
            bridge.close();
            throw e;
        }
    }

    private void awaitReady() {
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("the bridge exited with " + process.exitValue() + " before it was ready\n"
                            + tail());
                }
                return log().contains("started in");
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the bridge did not start within " + START_TIMEOUT.toSeconds() + " s\n" + tail(), e);
        }
    }

    /** Runs {@code action}; an Awaitility timeout in it fails with {@code what} and the tail of the process log. */
    private <T> T explain(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " (" + e.getMessage() + ")\n" + tail(), e);
        }
    }

    /** Waits up to 30 s until {@code condition} holds; a timeout fails with {@code what} and the tail of the log. */
    public void awaitUntil(String what, Callable<Boolean> condition) {
        explain(what, () -> {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(condition);
            return null;
        });
    }

    /** Waits for the outcome of list {@code fileName}; a timeout fails with the tail of the process log. */
    public Outcome awaitOutcome(Folders folders, String fileName) {
        return explain("no outcome for " + fileName, () -> folders.awaitOutcome(fileName, Duration.ofSeconds(30)));
    }

    /** Everything the process has written so far (all of it once stopped, even if the file is gone). */
    public String log() {
        if (finalLog != null) {
            return finalLog;
        }
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The last lines of the process log, framed for a failure message. */
    public String tail() {
        List<String> lines = log().lines().toList();
        List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        return "--- last " + last.size() + " lines of " + log + " (pid " + process.pid() + ", "
                + (process.isAlive() ? "running" : "exited " + process.exitValue()) + ") ---\n"
                + String.join("\n", last) + "\n--- end of bridge log ---";
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process at once (SIGKILL, like {@code kill -9}): no shutdown, no clean-up. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the process (SIGTERM: Camel shuts down gracefully), kills it if it is still there after a few seconds. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            finalLog = log();
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will run: nothing to remove
            }
        }
    }
}
