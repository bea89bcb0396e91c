package io.outboundbridge.run;

import io.outboundbridge.claim.ListClaims;
import io.outboundbridge.ledger.Progress;
import io.outboundbridge.ledger.TaskProgress;
import io.outboundbridge.partner.PartnerInbox;
import io.outboundbridge.reading.Inspection;
import io.outboundbridge.task.Profile;
import io.outboundbridge.vendor.VendorAnswer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The state of one customer list from pick-up to filing, in one place: where it came from (its name in the inbox,
 * the local file, the partner), its day, profile and task name, what was read, which tasks exist, how far sending
 * got, and where it is filed. Routes read it ({@code ${exchangeProperty.run.storedAs}}) instead of keeping
 * their own copies. One instance per list, shared by the list's exchange and its split parts. Its tasks are sent
 * side by side, each by one thread at a time: what a task records is in its own {@link TaskRecord}, and what the
 * list records is safe to write from any of them.
 */
public final class ListRun {

    private final String fileName;
    private final String day;
    private final Path listFile;
    private final PartnerInbox partner;
    private final Path workDir;
    private final Instant started = Instant.now();
    private String profileName;
    private Profile profile;
    private String baseTaskName;
    /** By task index; tasks may be sent side by side, so reached under the run's lock. */
    private final Map<Integer, TaskRecord> tasks = new TreeMap<>();
    private Inspection inspection;
    private volatile String stage = "read";
    private volatile VendorAnswer lastAnswer;
    private volatile TaskRecord failedTask;
    private volatile Throwable failure;
    private volatile boolean outcomeRecorded;
    private volatile String unfiled;
    /** Size and modification time of the list file when it was picked up, -1 when unknown. */
    private long pickedUpLength = -1;
    private long pickedUpModified = -1;
    private volatile String storedAs;
    private volatile Path outcomeFolder;
    private volatile boolean filedAsFailed;
    private Long ledgerId;
    private long fence;
    private Progress resumedFrom;
    private String finishedBefore;

    /**
     * @param fileName the list's name relative to the inbox ({@code vip/list.csv})
     * @param day      the day folder it is filed in ({@code yyyy-MM-dd} in the bridge's time zone)
     * @param listFile where the list is read from while it is processed
     * @param partner  the partner's SFTP inbox it came from, or null for a local drop
     * @param workDir  its scratch folder
     */
    ListRun(String fileName, String day, Path listFile, PartnerInbox partner, Path workDir) {
        this.fileName = fileName;
        this.day = day;
        this.listFile = listFile;
        this.partner = partner;
        this.workDir = workDir;
        this.storedAs = fileName.substring(fileName.lastIndexOf('/') + 1);
    }

    void markPickedUp(long length, long lastModified) {
        this.pickedUpLength = length;
        this.pickedUpModified = lastModified;
    }

    /**
     * How the list file changed since it was picked up ({@code "120 -> 4000 bytes"}), or null when it did not: a
     * writer still writing it, or one that wrote it again.
     */
    public String changeSincePickUp() {
        if (pickedUpLength < 0) {
            return null;
        }
        try {
            long length = Files.size(listFile);
            long modified = Files.getLastModifiedTime(listFile).toMillis();
            if (length != pickedUpLength) {
                return pickedUpLength + " -> " + length + " bytes";
            }
            return modified != pickedUpModified ? "written again at " + Instant.ofEpochMilli(modified) : null;
        } catch (IOException e) {
            return "no longer readable (" + e + ")";
        }
    }

    /** The profile it uses and its task name before the ledger makes it unique. */
    void assignProfile(String name, Profile value, String taskName) {
        this.profileName = name;
        this.profile = value;
        this.baseTaskName = taskName;
    }

    public String getDay() {
        return day;
    }

    public Path getListFile() {
        return listFile;
    }

    /** The partner's SFTP inbox the list came from, or null for a local drop. */
    public PartnerInbox getPartner() {
        return partner;
    }

    /**
     * The name the list is filed under in its day folder: its own name until its outcome is filed, then a name free
     * there ({@code list-2.csv} when {@code list.csv} is taken). The inbox consumer moves it there.
     */
    public String getStoredAs() {
        return storedAs;
    }

    /** True when the list is filed in the error folder, false for the archive. */
    public boolean isFiledAsFailed() {
        return filedAsFailed;
    }

    /** The day folder the list is filed in (of the archive or error folder), once its outcome is known. */
    public Path getOutcomeFolder() {
        return outcomeFolder;
    }

    void fileAs(Path folder, String name, boolean failed) {
        this.outcomeFolder = folder;
        this.storedAs = name;
        this.filedAsFailed = failed;
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

    /** A report that could not be written is made again, for the error folder. */
    void reopenOutcome() {
        this.outcomeRecorded = false;
    }

    /**
     * Where the outcome could not be written, when neither the archive nor the error folder took it: the list stays
     * in processing, to be filed later; null once filed.
     */
    public String getUnfiled() {
        return unfiled;
    }

    /** True once the list is filed in the archive: false when it is filed in error, or not filed at all. */
    public boolean isArchived() {
        return storedAs != null && outcomeFolder != null && !filedAsFailed && unfiled == null;
    }

    void markUnfiled(String where) {
        this.unfiled = where;
    }

    /** The list's run in the ledger, once claimed. */
    public Long getLedgerId() {
        return ledgerId;
    }

    void markClaimed(long id, long runFence) {
        this.ledgerId = id;
        this.fence = runFence;
    }

    /** The fence this instance holds the list's run under: its requests are recorded against it. */
    public long getFence() {
        return fence;
    }

    /** The key of the list's claim: its name in its inbox ({@link ListClaims#key}). */
    public String getClaimKey() {
        return ListClaims.key(partner == null ? null : partner.getName(), fileName);
    }

    /** Carries on a run a crash interrupted: its tasks keep their names and ids, confirmed requests are skipped. */
    void resumeFrom(long id, long runFence, Progress progress) {
        this.ledgerId = id;
        this.fence = runFence;
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
        return "list " + fileName + (profileName == null ? "" : " (profile " + profileName
                + (ids.isEmpty() ? "" : ", tasks " + ids) + ")");
    }
}
