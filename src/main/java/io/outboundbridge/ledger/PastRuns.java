package io.outboundbridge.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The runs the outcome files of the last days tell: every {@code .result.json} and {@code .error.json} (fields of
 * {@code run/OutcomeReport}, read by name) in the day folders ({@code yyyy-MM-dd}) of the archive and error folders.
 * What the ledger is held against at start-up ({@link Ledger#unrecorded}) and restored from ({@link Ledger#restore}).
 */
public final class PastRuns {

    private static final String RESULT = ".result.json";
    private static final String ERROR = ".error.json";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * The outcome files read.
     *
     * @param runs       the runs they tell, oldest first
     * @param unreadable outcome files that could not be read, each with the reason
     */
    public record Reading(List<PastRun> runs, List<String> unreadable) {
    }

    private PastRuns() {
    }

    /**
     * Reads the outcome files in the day folders of {@code archive} and {@code error} from {@code today} minus
     * {@code days} on (later ones too). Files being written ({@code .writing-...}), refused duplicates and
     * reports without a content hash (nothing was read, so nothing sent) are left out.
     */
    public static Reading read(Path archive, Path error, LocalDate today, int days) {
        List<PastRun> runs = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        if (days > 0) {
            LocalDate from = today.minusDays(days);
            ObjectMapper json = new ObjectMapper();
            for (Path folder : List.of(archive, error)) {
                for (Path day : dayFolders(folder, from, unreadable)) {
                    readDay(json, folder, day, runs, unreadable);
                }
            }
        }
        runs.sort(Comparator.comparing(PastRun::start));
        return new Reading(runs, unreadable);
    }

    private static List<Path> dayFolders(Path folder, LocalDate from, List<String> unreadable) {
        List<Path> days = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return days;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, Files::isDirectory)) {
            for (Path day : entries) {
                try {
                    if (!LocalDate.parse(day.getFileName().toString()).isBefore(from)) {
                        days.add(day);
                    }
                } catch (DateTimeException notADay) {
                    // not a day folder
                }
            }
        } catch (IOException e) {
            unreadable.add(folder + ": " + e.getMessage());
        }
        return days;
    }

    private static void readDay(ObjectMapper json, Path folder, Path day, List<PastRun> runs,
            List<String> unreadable) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(day, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean done = name.endsWith(RESULT);
                if (name.startsWith(".") || !(done || name.endsWith(ERROR))) {
                    continue;
                }
                String source = folder.getFileName() + "/" + day.getFileName() + "/" + name;
                try {
                    pastRun(json.readTree(Files.readAllBytes(file)), source, file, done).ifPresent(runs::add);
                } catch (IOException | RuntimeException e) {
                    unreadable.add(source + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            unreadable.add(day + ": " + e.getMessage());
        }
    }

    /** The run an outcome file tells (fields of {@code run/OutcomeReport}); empty when it sent nothing. */
    static Optional<PastRun> pastRun(JsonNode report, String source, Path file, boolean done) throws IOException {
        String sha256 = text(report, "sha256");
        if (sha256 == null || "duplicate".equals(text(report, "stage"))) {
            return Optional.empty();
        }
        if (!SHA256.matcher(sha256).matches()) {
            throw new IOException("sha256 is not a SHA-256 hash: '" + sha256 + "'");
        }
        List<PastRun.Task> tasks = new ArrayList<>();
        for (JsonNode t : report.path("tasks")) {
            String name = text(t, "taskName");
            if (name == null) {
                throw new IOException("a task without taskName");
            }
            tasks.add(new PastRun.Task(name, number(t, "taskId"), t.path("customers").asLong(0),
                    t.path("requests").asInt(0)));
        }
        String fileName = text(report, "file");
        if (fileName == null) {
            String name = file.getFileName().toString();
            fileName = name.substring(0, name.length() - (done ? RESULT : ERROR).length());
        }
        Instant end = instant(report, "end");
        Instant start = instant(report, "start");
        if (start == null) {
            start = end != null ? end : Files.getLastModifiedTime(file).toInstant();
        }
        return Optional.of(new PastRun(source, sha256, fileName, text(report, "profile"), done,
                number(report, "rows"), number(report, "accepted"), number(report, "rejected"),
                text(report, "stage"), report.path("customersSent").asLong(0), tasks, start, end));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.canConvertToLong() ? null : v.asLong();
    }

    private static Instant instant(JsonNode node, String field) {
        String v = text(node, field);
        try {
            return v == null ? null : Instant.parse(v);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
