package io.outboundbridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM the benchmark starts (the packaged service, or the naive baseline) with its output in a log file: when it
 * was spawned, its log lines with their logback timestamps, its memory from {@code /proc/PID/status}, and a
 * sampler of VmRSS. {@link #close} stops it (SIGTERM, then a kill) and waits.
 */
final class JvmProcess implements AutoCloseable {

    /** Our logback pattern starts each line with {@code HH:mm:ss.SSS}. */
    private static final Pattern STAMP = Pattern.compile("^(\\d{2}:\\d{2}:\\d{2}\\.\\d{3}) ");

    private final Process process;
    private final Path log;
    private final long spawnedAtMillis;
    private final Thread killOnExit;
    private volatile boolean sampling;
    private final AtomicLong sampledMaxRssKb = new AtomicLong();
    private Thread sampler;

    private JvmProcess(Process process, Path log, long spawnedAtMillis) {
        this.process = process;
        this.log = log;
        this.spawnedAtMillis = spawnedAtMillis;
        this.killOnExit = new Thread(process::destroyForcibly, "kill-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    static JvmProcess start(List<String> command, Path workDir, Path log) {
        return start(command, Map.of(), workDir, log);
    }

    /** Starts {@code command} with {@code environment} added to this JVM's (e.g. JAVA_OPTS for a launcher script). */
    static JvmProcess start(List<String> command, Map<String, String> environment, Path workDir, Path log) {
        try {
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            long spawned = System.currentTimeMillis();
            return new JvmProcess(builder.start(), log, spawned);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    long pid() {
        return process.pid();
    }

    long spawnedAtMillis() {
        return spawnedAtMillis;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    String tail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * Waits until a log line contains {@code text} (at most {@code timeoutMillis}) and returns the epoch millis of
     * its logback timestamp; -1 if the process died or the time ran out.
     */
    long awaitLogLine(String text, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            for (String line : log().lines().toList()) {
                if (line.contains(text)) {
                    return stampOf(line);
                }
            }
            if (!process.isAlive()) {
                return -1;
            }
            Thread.sleep(20);
        }
        return -1;
    }

    /** The epoch millis of a logback line's {@code HH:mm:ss.SSS}, on the day closest to now. */
    private static long stampOf(String line) {
        Matcher m = STAMP.matcher(line);
        if (!m.find()) {
            return System.currentTimeMillis();
        }
        try {
            LocalTime time = LocalTime.parse(m.group(1));
            ZoneId zone = ZoneId.systemDefault();
            long now = System.currentTimeMillis();
            long best = Long.MAX_VALUE;
            for (int d = -1; d <= 1; d++) {
                long at = LocalDateTime.of(LocalDate.now(zone).plusDays(d), time).atZone(zone).toInstant().toEpochMilli();
                if (Math.abs(at - now) < Math.abs(best - now)) {
                    best = at;
                }
            }
            return best;
        } catch (DateTimeParseException e) {
            return System.currentTimeMillis();
        }
    }

    /** A field of {@code /proc/PID/status} in kB (VmRSS, VmHWM), or -1. */
    long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Resets the process's peak RSS (VmHWM) to its current RSS ({@code echo 5 > /proc/PID/clear_refs}, Linux 4.0+),
     * so the next VmHWM read is the peak since now; false where the kernel refuses it.
     */
    boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid()), "clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Starts sampling VmRSS every {@code periodMillis}, from zero. */
    void startSampling(int periodMillis) {
        stopSampling();
        sampledMaxRssKb.set(statusKb("VmRSS"));
        sampling = true;
        samples.clear();
        sampler = new Thread(() -> {
            while (sampling) {
                long rss = statusKb("VmRSS");
                sampledMaxRssKb.accumulateAndGet(rss, Math::max);
                long cpu = cpuMillis();
                if (cpu >= 0) {
                    samples.add(new long[] {System.currentTimeMillis(), cpu, rss, statusKb("RssFile")});
                }
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler-" + pid());
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The sampler's readings: wall-clock ms, CPU ms so far, VmRSS kB, RssFile kB. */
    private final List<long[]> samples = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** CPU time (user + system) the process used so far, from {@code /proc/PID/stat}, in ms; -1 if unknown. */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command; clock ticks of 10 ms
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU ms the process used between two wall-clock times (ms), from the sampler's readings; -1 if unknown. */
    long cpuMillisBetween(long fromMillis, long toMillis) {
        long[] from = null;
        long[] to = null;
        for (long[] sample : samples) {
            if (sample[0] <= fromMillis) {
                from = sample;
            }
            if (to == null && sample[0] >= toMillis) {
                to = sample;
            }
        }
        if (to == null && !samples.isEmpty()) {
            // the list was done within one sampling period of its last call: the last reading is the nearest
            to = samples.get(samples.size() - 1);
        }
        return from == null || to == null ? -1 : to[1] - from[1];
    }

    /**
     * The highest VmRSS sampled between two wall-clock times (ms), in kB, and the file-backed part of it then
     * (RssFile: mapped files, such as the duplicate-id table); {-1, -1} if none was sampled.
     */
    long[] maxRssBetween(long fromMillis, long toMillis) {
        long[] max = {-1, -1};
        for (long[] sample : samples) {
            if (sample[0] >= fromMillis && sample[0] <= toMillis && sample[2] > max[0]) {
                max = new long[] {sample[2], sample[3]};
            }
        }
        return max;
    }

    /** Stops the sampler; the highest VmRSS seen since {@link #startSampling}, in kB. */
    long stopSampling() {
        sampling = false;
        if (sampler != null) {
            sampler.interrupt();
            try {
                sampler.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sampler = null;
        }
        return sampledMaxRssKb.get();
    }

    /** Waits for the process to end by itself; false if it is still running after {@code millis}. */
    boolean awaitExit(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        stopSampling();
        try {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
