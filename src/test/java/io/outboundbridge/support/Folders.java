package io.outboundbridge.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The folders of one service under test (inbox, processing, archive, error, work) in a temp folder, with
 * atomic drops and waiting for a list's outcome.
 */
public record Folders(Path home) {

    public Path inbox() {
        return home.resolve("inbox");
    }

    public Path processing() {
        return home.resolve("processing");
    }

    public Path archive() {
        return home.resolve("archive");
    }

    public Path error() {
        return home.resolve("error");
    }

    public Path work() {
        return home.resolve("work");
    }

    /** Settings pointing the service at these folders. */
    public Map<String, String> settings() {
        return Map.of("bridge.inbox", inbox().toString(), "bridge.processing", processing().toString(),
                "bridge.archive", archive().toString(), "bridge.error", error().toString(),
                "bridge.work", work().toString(), "bridge.data", home.resolve("data").toString());
    }

    /** Drops {@code content} as {@code name} (a path under the inbox) the way a careful partner does: write, then rename. */
    public Path drop(String name, byte[] content) {
        try {
            Path target = inbox().resolve(name);
            Files.createDirectories(target.getParent());
            Path part = target.resolveSibling(target.getFileName() + ".part");
            Files.write(part, content);
            return Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path drop(String name, String content) {
        return drop(name, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Waits until list {@code fileName} (its name without folders) and its report are in archive or error. */
    public Outcome awaitOutcome(String fileName, Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> outcome(fileName), Optional::isPresent).orElseThrow();
    }

    public Outcome awaitOutcome(String fileName) {
        return awaitOutcome(fileName, Duration.ofSeconds(30));
    }

    /** The outcome of a list if it is complete: the list moved and its report written. */
    public Optional<Outcome> outcome(String fileName) {
        for (String kind : List.of("archive", "error")) {
            String suffix = kind.equals("archive") ? ".result.json" : ".error.json";
            for (Path report : find(home.resolve(kind), fileName + suffix)) {
                Path list = report.resolveSibling(fileName);
                if (Files.exists(list)) {
                    try {
                        Path rejects = report.resolveSibling(fileName + ".rejects.csv");
                        return Optional.of(new Outcome(kind, list, new ObjectMapper().readTree(report.toFile()),
                                Files.exists(rejects) ? rejects : null));
                    } catch (IOException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Every regular file under {@code dir} named {@code name}; none while the service renames a file the walk was
     * about to visit (its temp file, e.g. {@code .writing-list.csv}, vanishes under the walk): callers poll again.
     */
    public static List<Path> find(Path dir, String name) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().equals(name) && Files.isRegularFile(f)).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /**
     * Regular files left under {@code dir} (empty when it does not exist). A walk that a rename overtakes (the
     * service moving a file) is walked again.
     */
    public static List<Path> filesUnder(Path dir) {
        for (int attempt = 1;; attempt++) {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                // the lock an instance on the embedded ledger holds in its processing folder is not a list
                return files.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().equals(".outbound-bridge.lock")).toList();
            } catch (IOException | UncheckedIOException e) {
                Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
                if (!(cause instanceof java.nio.file.NoSuchFileException) || attempt >= 10) {
                    throw e instanceof UncheckedIOException u ? u : new UncheckedIOException((IOException) e);
                }
            }
        }
    }
}
