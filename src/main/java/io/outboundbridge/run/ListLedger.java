package io.outboundbridge.run;

import io.outboundbridge.claim.ListClaims;
import io.outboundbridge.ledger.ClaimLostException;
import io.outboundbridge.ledger.DuplicateContent;
import io.outboundbridge.ledger.DuplicateContentException;
import io.outboundbridge.ledger.FileEntry;
import io.outboundbridge.ledger.FileState;
import io.outboundbridge.ledger.FileSummary;
import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.TaskProgress;
import io.outboundbridge.ledger.TaskRef;
import io.outboundbridge.reading.InboxNames;
import io.outboundbridge.reading.Inspection;
import io.outboundbridge.reading.ListFailedException;
import io.outboundbridge.task.PlannedRequest;
import io.outboundbridge.task.TaskNames;
import io.outboundbridge.vendor.VendorAnswer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the ledger knows about each list, kept up to date as it goes: a content is sent once, a list a crash
 * interrupted carries on after its last confirmed request under the same task ids, task names are never reused.
 */
public final class ListLedger {

    private static final Logger LOG = LoggerFactory.getLogger(ListLedger.class);

    private final Ledger ledger;
    private final ZoneId zone;
    private final Clock clock;
    private final ListClaims claims;
    private final Set<String> recovered = ConcurrentHashMap.newKeySet();
    private final Set<Path> unfiled = ConcurrentHashMap.newKeySet();

    /** A ledger used by this process only: no list is claimed by another instance. */
    public ListLedger(Ledger ledger, ZoneId zone, Clock clock) {
        this(ledger, zone, clock, new ListClaims(ledger, ledger.owner(), ledger.leaseMillis(), null, null));
    }

    public ListLedger(Ledger ledger, ZoneId zone, Clock clock, ListClaims claims) {
        this.ledger = ledger;
        this.zone = zone;
        this.clock = clock;
        this.claims = claims;
    }

    /**
     * Lists in the processing folder that no instance works on (their claim lapsed, or they have none: their
     * instance died or stopped) go back to the inbox, each claimed first so that exactly one instance moves it, and
     * are remembered so that their unfinished runs are resumed, not refused. Runs before the first poll and then
     * now and then (take-over-lapsed-lists); hidden files (the processing folder's lock) are never lists.
     *
     * @return their names in the inbox
     */
    public List<String> recover(Path processing, Path inbox) {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(processing)) {
            return names;
        }
        List<Path> left;
        try (Stream<Path> files = Files.walk(processing)) {
            left = files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot look for lists left in {} now: {}", processing, e.toString());
            return names;
        }
        for (Path file : left) {
            String key = ListClaims.key(null, processing.relativize(file).toString());
            try {
                if (Files.isRegularFile(file) && claims.claimLapsed(key)) {
                    String name = putBack(file, processing, inbox);
                    if (!ListClaims.key(null, name).equals(key)) {
                        // back under a new name: that name is this instance's to take too, as it knows the run
                        claims.claimLapsed(ListClaims.key(null, name));
                    }
                    names.add(name);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot take {} over now: {}", file, e.toString());
            }
        }
        if (!names.isEmpty()) {
            LOG.warn("Took back {} list(s) no instance works on any more (a stop, crash or lapsed claim): {}",
                    names.size(), names);
        }
        return names;
    }

    /** {@link #recover} by the routes' folder settings: the take-over-lapsed-lists route. */
    public List<String> takeOverLapsed(String processing, String inbox) {
        return recover(Path.of(processing), Path.of(inbox));
    }

    /** Puts a list back in the inbox, to be taken again and its run resumed; its name in the inbox. */
    private String putBack(Path file, Path processing, Path inbox) throws IOException {
        String wanted = processing.relativize(file).toString().replace('\\', '/');
        // a list of that name is in the inbox again: this one goes back under a free name, never left where
        // the next preMove of that name would overwrite it
        Path relative = Path.of(InboxNames.retaken(wanted, r -> Files.exists(inbox.resolve(r))));
        Path target = inbox.resolve(relative);
        Files.createDirectories(target.getParent());
        if (!relative.toString().replace('\\', '/').equals(wanted)) {
            LOG.warn("{} is in the inbox again; the one left in {} goes back as {}", wanted, processing, relative);
        }
        String name = relative.toString().replace('\\', '/');
        recovered.add(name);
        Files.move(file, target);
        return name;
    }

    /**
     * A list the ledger could not record: nothing more is sent for it, and a local list goes back to the inbox
     * (taken again once the ledger answers, its run resumed after its last confirmed request) instead of error.
     *
     * @return true when it was put back
     */
    public boolean waitForLedger(ListRun run, String processing, String inbox) {
        Path file = run == null ? null : run.getListFile();
        if (file == null || run.getPartner() != null || !file.startsWith(Path.of(processing))
                || !Files.isRegularFile(file)) {
            return false;
        }
        try {
            releaseRun(run);
            String name = putBack(file, Path.of(processing), Path.of(inbox));
            LOG.warn("{} waits in the inbox as {}: the ledger cannot be reached, so nothing more is sent for it; it "
                    + "carries on after its last confirmed request once the ledger answers", run, name);
            run.markOutcomeRecorded();
            return true;
        } catch (IOException e) {
            LOG.error("{} could not be put back in the inbox while the ledger cannot be reached: {}", run, e.toString());
            return false;
        }
    }

    /**
     * A list this instance lost its claim on ({@link ClaimLostException}): nothing more is sent for it and this
     * instance does not file it. It goes back to the inbox when no other instance holds its name (to be taken again);
     * otherwise it is left where it is, to the instance that holds it.
     *
     * @return true: the list's run stops here, unfiled
     */
    public boolean claimLost(ListRun run, String processing, String inbox) {
        if (run == null) {
            return true;
        }
        releaseRun(run);
        run.markOutcomeRecorded();
        Optional<String> holder = claims.heldElsewhere(run.getClaimKey());
        Path file = run.getListFile();
        if (holder.isPresent() || file == null || run.getPartner() != null || !file.startsWith(Path.of(processing))
                || !Files.isRegularFile(file)) {
            LOG.warn("{}: this instance ({}) lost its claim, so it sends nothing more and does not file it; {}", run,
                    claims.instance(), holder.map(h -> "instance " + h + " holds it now").orElse("it stays where it is"));
            return true;
        }
        try {
            String name = putBack(file, Path.of(processing), Path.of(inbox));
            LOG.warn("{}: this instance ({}) lost its claim and no other instance holds it: it waits in the inbox as {}"
                    + " and carries on after its last confirmed request when taken again", run, claims.instance(), name);
        } catch (IOException e) {
            LOG.error("{} could not be put back in the inbox after its claim was lost: {}", run, e.toString());
        }
        return true;
    }

    /** A list whose outcome neither folder took: it stays in processing until {@link #retakeUnfiled} puts it back. */
    public void unfiled(ListRun run) {
        releaseRun(run);
        unfiled.add(run.getListFile());
    }

    /**
     * Puts the lists whose outcome could not be filed back in the inbox: taken again, their runs resume after the
     * last confirmed request (nothing is sent again) and their outcome is filed, if a folder takes it now.
     */
    public void retakeUnfiled(String processing, String inbox) {
        for (Path file : List.copyOf(unfiled)) {
            Path folder = Path.of(processing);
            try {
                if (Files.isRegularFile(file) && file.startsWith(folder)) {
                    LOG.info("{} is taken again to file its outcome", putBack(file, folder, Path.of(inbox)));
                }
                unfiled.remove(file);
            } catch (IOException e) {
                LOG.debug("cannot put {} back in the inbox yet: {}", file, e.toString());
            }
        }
    }

    /**
     * A list found interrupted elsewhere (a partner's remote processing folder) and put back in its inbox as
     * {@code inboxRelativeName} ({@code vip/list.csv}): its unfinished run is resumed, not refused.
     */
    public void recovered(String inboxRelativeName) {
        recovered.add(inboxRelativeName.replace('\\', '/'));
    }

    /**
     * Claims the list's content for this run. A content sent before, or being sent, is refused (stage
     * {@code duplicate}); a recovered list carries on its interrupted run.
     */
    public void claim(ListRun run) {
        claims.taken(run.getClaimKey());
        Inspection inspection = run.getInspection();
        String sha = inspection.sha256();
        boolean recoveredHere = recovered.remove(run.getFileName());
        if (resumeUnfinished(run, sha, recoveredHere)) {
            return;
        }
        if (recoveredHere && filedBefore(run, sha)) {
            return;
        }
        Optional<FileSummary> last = ledger.latestRun(sha);
        if (last.isPresent() && last.get().state() == FileState.FAILED && last.get().customersConfirmed() > 0) {
            FileSummary f = last.get();
            throw new ListFailedException("duplicate", "the same content as " + f.fileName() + " (started "
                    + f.start().atZone(zone).toLocalDate() + "), which failed at stage " + f.stage() + " after the vendor "
                    + "confirmed " + f.customersConfirmed() + " customers in tasks " + tasks(f) + ": sending it again "
                    + "would call them twice; nothing was sent");
        }
        try {
            FileEntry entry = ledger.begin(sha, run.getFileName(), run.getProfileName(), run.getStarted());
            run.markClaimed(entry.id(), entry.fence());
            claims.holdRun(entry.id(), entry.fence());
        } catch (DuplicateContentException e) {
            DuplicateContent earlier = e.earlier();
            throw new ListFailedException("duplicate", "the same content as " + earlier.fileName() + " (day "
                    + earlier.day(zone) + ", " + earlier.state().name().toLowerCase().replace('_', ' ') + ", tasks "
                    + earlier.tasks().stream().map(ListLedger::task).collect(Collectors.joining(", ", "[", "]"))
                    + "): it is not sent again");
        }
    }

    /**
     * Resumes the unfinished run of this content when it is this list's (the same name, or a list this instance took
     * back) and its owner let its lease lapse: another instance died or stopped mid-list. While that owner's lease is
     * live the list goes back to the inbox, to be taken again once it lapses.
     */
    private boolean resumeUnfinished(ListRun run, String sha, boolean recoveredHere) {
        Optional<FileEntry> unfinished = ledger.resumable(sha);
        if (unfinished.isEmpty() || !(recoveredHere || unfinished.get().fileName().equals(run.getFileName()))) {
            return false;
        }
        Optional<FileEntry> taken = ledger.takeOver(sha, clock.instant());
        if (taken.isEmpty()) {
            Optional<String> owner = ledger.liveOwner(sha);
            if (owner.isEmpty()) {
                return resumeUnfinished(run, sha, recoveredHere);
            }
            if (owner.get().equals(claims.instance()) && !claims.holdsRun(unfinished.get().id())) {
                // this instance's own run, no longer in flight here (its outcome could not be filed): resumed at once
                taken = Optional.of(ledger.resume(sha, clock.instant()));
            } else {
                throw new ClaimLostException(run.getFileName() + " is still being sent by instance " + owner.get()
                        + " (its lease is live): it goes back to the inbox and is taken over once that lease lapses");
            }
        }
        FileEntry entry = taken.get();
        run.resumeFrom(entry.id(), entry.fence(), ledger.progress(entry.id()));
        claims.holdRun(entry.id(), entry.fence());
        LOG.warn("Resuming {} after its last confirmed request (run {} taken over by {}, fence {})", run, entry.id(),
                claims.instance(), entry.fence());
        return true;
    }

    /** A list taken back that was recorded before its stop: it is filed where it belongs, nothing is sent. */
    private boolean filedBefore(ListRun run, String sha) {
        Optional<FileSummary> last = ledger.latestRun(sha);
        if (last.isPresent() && last.get().fileName().equals(run.getFileName())
                && last.get().state() != FileState.IN_PROGRESS) {
            run.markFinishedBefore(last.get().state().name());
            LOG.warn("{} was recorded {} before the stop; filing it where it belongs", run, last.get().state());
            return true;
        }
        return false;
    }

    /**
     * The request as it is sent: a task keeps the name it had before an interruption; a new task gets a name no
     * task in the ledger has (a numeric suffix when taken). Records a create as sent before it goes out.
     */
    PlannedRequest sending(ListRun run, PlannedRequest request) {
        checkClaim(run);
        TaskRecord task = run.task(request.taskIndex(), request.taskName());
        task.startRequest(request);
        if (run.sentBefore(request.taskIndex(), request.sequence())) {
            task.countAttempt();
        }
        String name = name(run, request.taskIndex(), request.taskName());
        if (request.create()) {
            // a create's sending is recorded before it goes out: if its answer is lost, the vendor may have
            // created the task, and the list must say so rather than create it under another name
            ledger.requestSent(run.getLedgerId(), request.taskIndex(), request.sequence(), request.customers().size(),
                    run.getFence());
        }
        return new PlannedRequest(request.taskIndex(), name, request.sequence(), request.create(), request.customers());
    }

    /**
     * The final name of task {@code taskIndex}, given once: the name it had before an interruption, else a name no
     * task in the ledger has, recorded as the task's. A continuation task is named after the first task's final
     * name, so the suffix of task 1 carries over; tasks sent side by side name themselves one at a time.
     */
    private String name(ListRun run, int taskIndex, String plannedName) {
        TaskRecord task = run.task(taskIndex, plannedName);
        synchronized (task) {
            if (task.isNamed()) {
                return task.getTaskName();
            }
            // a task a crash interrupted was named before it (ListRun.resumeFrom): only new tasks get here
            String name = ledger.uniqueTaskName(taskIndex == 1 ? plannedName
                    : TaskNames.continuation(name(run, 1, run.getBaseTaskName()), taskIndex));
            ledger.taskPlanned(run.getLedgerId(), taskIndex, name);
            task.markNamed(name);
            return name;
        }
    }

    /** Throws {@link ClaimLostException} once this instance lost the list's claim or its run's lease. */
    private void checkClaim(ListRun run) {
        if (claims.lost(run.getClaimKey(), run.getLedgerId())) {
            throw new ClaimLostException(run.getFileName() + ": instance " + claims.instance() + " lost its claim (not "
                    + "renewed within bridge.instance.lease, or taken by another instance): nothing more is sent");
        }
    }

    /** Records a request the vendor confirmed (for a create, with the task id it returned). */
    void confirmed(ListRun run, PlannedRequest request, VendorAnswer answer) {
        // the answer to the request in flight when the claim lapsed (the window of a crash): the instance that holds
        // the list now records its own requests; this one records, sends and files nothing more
        checkClaim(run);
        if (request.create()) {
            ledger.taskCreated(run.getLedgerId(), request.taskIndex(), answer.taskId(), answer.code(), answer.message(),
                    run.getFence());
        } else {
            ledger.appendConfirmed(run.getLedgerId(), request.taskIndex(), request.sequence(),
                    request.customers().size(), answer.code(), answer.message(), run.getFence());
        }
    }

    /** Ends the run in the ledger as its report says: done, or failed at the report's stage. */
    public void record(ListRun run, OutcomeReport report) {
        try {
            if (run.isFiledAsFailed()) {
                failed(run, report.stage());
            } else {
                done(run);
            }
        } finally {
            releaseRun(run);
        }
    }

    private void releaseRun(ListRun run) {
        if (run.getLedgerId() != null) {
            claims.releaseRun(run.getLedgerId());
        }
    }

    /** Ends the run in the ledger as done. */
    void done(ListRun run) {
        if (run.getLedgerId() != null && run.getFinishedBefore() == null) {
            Inspection i = run.getInspection();
            ledger.finish(run.getLedgerId(), FileState.DONE, i.rows(), i.accepted(), i.rejected(), null, Instant.now(clock));
        }
    }

    /**
     * Ends the run in the ledger as failed; the create in flight in the task that failed is recorded as refused when
     * the vendor answered it, and stays unanswered when its answer was lost.
     */
    void failed(ListRun run, String stage) {
        if (run.getLedgerId() == null || run.getFinishedBefore() != null) {
            return;
        }
        TaskRecord failedTask = run.getFailedTask();
        PlannedRequest inFlight = failedTask == null ? null : failedTask.getInFlight();
        VendorAnswer answer = failedTask == null ? null : failedTask.getLastAnswer();
        if (inFlight != null && inFlight.create() && answer != null && !failedTask.isAnswerLost()) {
            ledger.requestFailed(run.getLedgerId(), inFlight.taskIndex(), inFlight.sequence(), answer.code(),
                    answer.message());
        }
        Inspection i = run.getInspection();
        ledger.finish(run.getLedgerId(), FileState.FAILED, i == null ? 0 : i.rows(), i == null ? 0 : i.accepted(),
                i == null ? 0 : i.rejected(), stage, Instant.now(clock));
    }

    private static String tasks(FileSummary f) {
        return f.tasks().stream().map(TaskProgress::ref).map(ListLedger::task)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String task(TaskRef t) {
        return t.taskName() + "=" + t.vendorTaskId();
    }
}
