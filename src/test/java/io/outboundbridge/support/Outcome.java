package io.outboundbridge.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a dropped list ended: its folder ({@code archive} or {@code error}), the list itself, its report and
 * its rejects report if any.
 */
public record Outcome(String kind, Path list, JsonNode report, Path rejects) {

    public boolean archived() {
        return kind.equals("archive");
    }

    public List<Long> taskIds() {
        List<Long> ids = new ArrayList<>();
        report.path("tasks").forEach(t -> ids.add(t.path("taskId").asLong()));
        return ids;
    }

    public List<String> rejectLines() throws java.io.IOException {
        return rejects == null || !Files.exists(rejects) ? List.of() : Files.readAllLines(rejects);
    }
}
