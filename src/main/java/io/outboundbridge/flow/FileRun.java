package io.outboundbridge.flow;

import io.outboundbridge.ledger.Progress;
import io.outboundbridge.ledger.TaskProgress;
import io.outboundbridge.task.Profile;
import io.outboundbridge.vendor.VendorAnswer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The state of one customer list while it is processed: what was read, which tasks exist, how far sending got.
 * One instance per list, shared by the list's exchange and its split parts, so a route step sees what the
 * previous steps recorded. Its tasks are sent side by side, each by one thread at a time: what a task records is
 * in its own {@link TaskRecord}, and what the list records is safe to write from any of them.
 */
public final class FileRun {

    private final String fileName;
    private final String profileName;
    private final Profile profile;
    private final String baseTaskName;
    private final Path workDir;
    private final Instant started = Instant.now();
    /** By task index; tasks may be sent side by side, so reached under the run's lock. */
    private final Map<Integer, TaskRecord> tasks = new TreeMap<>();
    private Inspection inspection;
    private volatile String stage = "read";
    private volatile VendorAnswer lastAnswer;
    private volatile TaskRecord failedTask;
    private volatile Throwable failure;
    private volatile boolean outcomeRecorded;
    private Long ledgerId;
    private Progress resumedFrom;
    private String finishedBefore;

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

    /**
     * The stage the list is in: where it stopped if it fails now. Once a task failed, the stage that task was in
     * ({@code create} or {@code append}).
     */
    public String getStage() {
        TaskRecord failed = failedTask;
        return failed != null && failed.getStage() != null ? failed.getStage() : stage;
    }

    void markStage(String value) {
        this.stage = value;
    }

    /** The vendor's last answer to the task that failed, else its last answer to any request of the list. */
    public VendorAnswer getLastAnswer() {
        TaskRecord failed = failedTask;
        return failed != null ? failed.getLastAnswer() : lastAnswer;
    }

    void recordAnswer(VendorAnswer answer) {
        this.lastAnswer = answer;
    }

    /** The list's tasks as far as they got, in task order. */
    public synchronized List<TaskRecord> getTasks() {
        return List.copyOf(tasks.values());
    }

    /** The record of task {@code index} (1-based), created on first use under its planned name. */
    synchronized TaskRecord task(int index, String plannedName) {
        return tasks.computeIfAbsent(index, i -> new TaskRecord(plannedName));
    }

    /** The record of task {@code index}, which a request of it created. */
    synchronized TaskRecord task(int index) {
        TaskRecord task = tasks.get(index);
        if (task == null) {
            throw new IllegalStateException("task " + index + " of " + fileName + " has no request yet");
        }
        return task;
    }

    public long getCustomersSent() {
        return getTasks().stream().mapToLong(TaskRecord::getCustomers).sum();
    }

    /**
     * Records that a task could not go on: the first one to fail is the one the list's outcome reports; the list's
     * other tasks stop before their next request.
     */
    synchronized void markFailed(TaskRecord task, Throwable why) {
        if (failure == null) {
            failure = why != null ? why : new IllegalStateException("a task of " + fileName + " failed");
            failedTask = task;
        }
    }

    /** Why the first task to fail did, or null. */
    Throwable getFailure() {
        return failure;
    }

    /** The task whose failure stopped the list, or null. */
    TaskRecord getFailedTask() {
        return failedTask;
    }

    /** True once a task failed: the list's other tasks send no further request. */
    public boolean isStopping() {
        return failure != null;
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
        return resumedFrom != null && resumedFrom.unanswered(taskIndex, sequence);
    }


    /** DONE or FAILED when the list had been recorded before a crash kept it from being moved; else null. */
    public String getFinishedBefore() {
        return finishedBefore;
    }

    void markFinishedBefore(String state) {
        this.finishedBefore = state;
        this.outcomeRecorded = true;
    }

    /** True when an attempt at the failed task's last request got no answer: the vendor may have acted on it. */
    public boolean isAnswerLost() {
        TaskRecord failed = failedTask;
        return failed != null && failed.isAnswerLost();
    }

    @Override
    public String toString() {
        String ids = getTasks().stream().map(t -> t.getTaskName() + "=" + t.getTaskId())
                .collect(Collectors.joining(", "));
        return "list " + fileName + " (profile " + profileName + (ids.isEmpty() ? "" : ", tasks " + ids) + ")";
    }
}
