package io.outboundbridge.flow;

import io.outboundbridge.task.Profile;
import io.outboundbridge.vendor.VendorAnswer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The state of one customer list while it is processed: what was read, which tasks exist, how far sending got.
 * One instance per list, shared by the list's exchange and its split parts, so a route step sees what the
 * previous steps recorded.
 */
public final class FileRun {

    private final String fileName;
    private final String profileName;
    private final Profile profile;
    private final String baseTaskName;
    private final Path workDir;
    private final Instant started = Instant.now();
    private final List<TaskRecord> tasks = new ArrayList<>();
    private Inspection inspection;
    private String stage = "read";
    private VendorAnswer lastAnswer;
    private boolean outcomeRecorded;

    FileRun(String fileName, String profileName, Profile profile, String baseTaskName, Path workDir) {
        this.fileName = fileName;
        this.profileName = profileName;
        this.profile = profile;
        this.baseTaskName = baseTaskName;
        this.workDir = workDir;
    }

    /** Name of the list relative to the inbox, e.g. {@code vip/list.csv}. */
    public String getFileName() {
        return fileName;
    }

    public String getProfileName() {
        return profileName;
    }

    public Profile getProfile() {
        return profile;
    }

    public String getBaseTaskName() {
        return baseTaskName;
    }

    public Path getWorkDir() {
        return workDir;
    }

    public Instant getStarted() {
        return started;
    }

    public Inspection getInspection() {
        return inspection;
    }

    void inspected(Inspection result) {
        this.inspection = result;
    }

    /** The stage the list is in: where it stopped if it fails now. */
    public String getStage() {
        return stage;
    }

    void stage(String value) {
        this.stage = value;
    }

    public VendorAnswer getLastAnswer() {
        return lastAnswer;
    }

    void answered(VendorAnswer answer) {
        this.lastAnswer = answer;
    }

    public List<TaskRecord> getTasks() {
        return tasks;
    }

    /** The record of task {@code index} (1-based), created on first use. */
    TaskRecord task(int index, String taskName) {
        while (tasks.size() < index) {
            tasks.add(new TaskRecord(taskName));
        }
        return tasks.get(index - 1);
    }

    public long getCustomersSent() {
        return tasks.stream().mapToLong(TaskRecord::getCustomers).sum();
    }

    /** True once result.json or error.json was written: a failure seen again on the way out is not recorded twice. */
    public boolean isOutcomeRecorded() {
        return outcomeRecorded;
    }

    void markOutcomeRecorded() {
        this.outcomeRecorded = true;
    }

    @Override
    public String toString() {
        String ids = tasks.stream().map(t -> t.getTaskName() + "=" + t.getTaskId())
                .collect(Collectors.joining(", "));
        return "list " + fileName + " (profile " + profileName + (ids.isEmpty() ? "" : ", tasks " + ids) + ")";
    }
}
