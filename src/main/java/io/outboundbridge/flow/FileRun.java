package io.outboundbridge.flow;

import io.outboundbridge.ledger.Progress;
import io.outboundbridge.ledger.TaskProgress;
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
    private Long ledgerId;
    private Progress resumedFrom;
    private String finishedBefore;
    private int attempts;
    private int answers;

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

    void recordInspection(Inspection result) {
        this.inspection = result;
    }

    /** The stage the list is in: where it stopped if it fails now. */
    public String getStage() {
        return stage;
    }

    void markStage(String value) {
        this.stage = value;
    }

    public VendorAnswer getLastAnswer() {
        return lastAnswer;
    }

    void recordAnswer(VendorAnswer answer) {
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

    /** The list's run in the ledger, once claimed. */
    public Long getLedgerId() {
        return ledgerId;
    }

    void markClaimed(long id) {
        this.ledgerId = id;
    }

    /** Carries on a run a crash interrupted: its tasks keep their names and ids, confirmed requests are skipped. */
    void resumeFrom(long id, Progress progress) {
        this.ledgerId = id;
        this.resumedFrom = progress;
        for (TaskProgress t : progress.tasks()) {
            TaskRecord record = task(t.taskIndex(), t.taskName());
            record.restore(t.vendorTaskId(), t.customersConfirmed(), t.requestsConfirmed());
        }
    }

    /** True when this run carries on an interrupted one. */
    public boolean isResumed() {
        return resumedFrom != null;
    }

    /** True when the vendor confirmed this request before the run was interrupted: it is not sent again. */
    public boolean confirmedBefore(int taskIndex, int sequence) {
        return resumedFrom != null && resumedFrom.confirmed(taskIndex, sequence);
    }

    /** True when this request was sent before the interruption and its answer never came. */
    boolean sentBefore(int taskIndex, int sequence) {
        return resumedFrom != null && resumedFrom.unanswered().stream()
                .anyMatch(u -> u.taskIndex() == taskIndex && u.sequence() == sequence);
    }

    /** The name a task had before the run was interrupted, or null. */
    String taskNameBefore(int taskIndex) {
        return resumedFrom == null ? null : resumedFrom.task(taskIndex).map(TaskProgress::taskName).orElse(null);
    }

    /** DONE or FAILED when the list had been recorded before a crash kept it from being moved; else null. */
    public String getFinishedBefore() {
        return finishedBefore;
    }

    void markFinishedBefore(String state) {
        this.finishedBefore = state;
        this.outcomeRecorded = true;
    }

    /** Counts an attempt at the current request (retries included) and, separately, the answers it got. */
    void countAttempt() {
        attempts++;
    }

    void countAnswer() {
        answers++;
    }

    void startRequest() {
        attempts = 0;
        answers = 0;
    }

    /** True when an attempt at the current request got no answer: the vendor may have acted on it. */
    public boolean isAnswerLost() {
        return attempts > answers;
    }

    @Override
    public String toString() {
        String ids = tasks.stream().map(t -> t.getTaskName() + "=" + t.getTaskId())
                .collect(Collectors.joining(", "));
        return "list " + fileName + " (profile " + profileName + (ids.isEmpty() ? "" : ", tasks " + ids) + ")";
    }
}
