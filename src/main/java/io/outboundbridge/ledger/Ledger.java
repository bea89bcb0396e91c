package io.outboundbridge.ledger;

import io.outboundbridge.task.TaskNames;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The ledger: which contents were sent, under which vendor tasks, and which requests the vendor confirmed, so a
 * list is sent at most once and an interrupted one resumes after its last confirmed request.
 *
 * <p>When its database is away (PostgreSQL restarted or failing over, the embedded H2 database closed by a full
 * disk) a call fails at once with {@link LedgerUnavailableException}, and the ledger reconnects by itself once the
 * database can be opened again: see {@link LedgerDatabase}.
 *
 * <p>Every method takes its own connection and commits before it returns, so it is safe to call from several
 * threads and from several processes sharing one PostgreSQL database (or one H2 file through AUTO_SERVER). What
 * must not happen twice is guarded by the database's constraints, not by this process's memory: one unique index
 * lets one run hold a content, one unique key lets one task hold a name, and a confirmed request cannot be
 * recorded as sent again.
 *
 * <p>Conventions: tasks of a file are numbered 1, 2, 3, ... (continuations); requests of a task are numbered 1
 * (the create), 2, 3, ... (appends).
 *
 * <p>This class is what callers use; the database plumbing is in {@link LedgerDatabase}, the statements in
 * {@link LedgerSql}, and the operations on runs, tasks and requests in {@link LedgerFiles}, {@link LedgerTasks} and
 * {@link LedgerRequests}.
 */
public final class Ledger implements AutoCloseable {

    /** The most suffixes {@link #uniqueTaskName} tries before giving up. */
    static final int MAX_NAME_SUFFIX = 10_000;

    private final LedgerDatabase db;
    private final String owner;
    private final LedgerFiles files;
    private final LedgerTasks tasks;
    private final LedgerRequests requests;
    private final LedgerHistory history;
    private final LedgerClaims claims;
    private final long leaseMillis;

    /** The lease of a claim when none is given: {@code bridge.instance.lease}'s default. */
    public static final long DEFAULT_LEASE_MILLIS = 30_000;

    private Ledger(LedgerDatabase db, Clock clock, String owner, long leaseMillis) {
        this.db = db;
        this.owner = owner;
        this.leaseMillis = leaseMillis;
        this.claims = new LedgerClaims(db, owner, leaseMillis);
        this.requests = new LedgerRequests(db, clock, owner);
        this.tasks = new LedgerTasks(db, requests, clock);
        this.files = new LedgerFiles(db, tasks, owner, claims.lease());
        this.history = new LedgerHistory(db, owner);
    }

    /** Opens the ledger and brings its schema up to date. */
    public static Ledger open(LedgerSettings settings) {
        return open(settings, Clock.systemUTC(), defaultOwner());
    }

    /**
     * Opens the ledger for an instance: {@code instance} owns the runs it begins or resumes and the list claims it
     * takes, each held for {@code leaseMillis} from its last renewal (by the database's clock).
     */
    public static Ledger open(LedgerSettings settings, Clock clock, String instance, long leaseMillis) {
        return new Ledger(LedgerDatabase.open(settings), clock, instance, leaseMillis);
    }

    /**
     * Opens the ledger and brings its schema up to date (Flyway; safe when several processes start at once).
     *
     * @param clock times of answers and reservations
     * @param owner who runs the files this ledger begins or resumes, e.g. {@code pid@host}
     * @throws LedgerException naming the URL and user (never the password) when the database cannot be opened
     *                         or migrated
     */
    public static Ledger open(LedgerSettings settings, Clock clock, String owner) {
        return open(settings, clock, owner, DEFAULT_LEASE_MILLIS);
    }

    /**
     * Opens the ledger and brings its schema up to date like {@link #open(LedgerSettings)}, but on a thread of its own,
     * and returns at once: the service opens it while Camel builds its routes (H2 and Flyway take a good part of a
     * second of start-up). Every call on the ledger waits until it is open; {@link #awaitOpen} waits and reports a
     * failure to open, {@link #close} waits and closes it.
     */
    public static Ledger openInBackground(LedgerSettings settings) {
        return openInBackground(settings, defaultOwner(), DEFAULT_LEASE_MILLIS);
    }

    /** {@link #openInBackground(LedgerSettings)} for an instance, as {@link #open(LedgerSettings, Clock, String, long)}. */
    public static Ledger openInBackground(LedgerSettings settings, String instance, long leaseMillis) {
        return new Ledger(LedgerDatabase.openInBackground(settings), Clock.systemUTC(), instance, leaseMillis);
    }

    /**
     * Waits until the ledger is open and its schema up to date.
     *
     * @throws LedgerException naming the URL and user (never the password) when it could not be opened or migrated
     */
    public void awaitOpen() {
        db.awaitOpen();
    }

    /**
     * Claims a content for a new run. Atomic across threads and processes: of several runs beginning the same
     * content at once, exactly one wins.
     *
     * @throws DuplicateContentException when a run that is {@link FileState#DONE} or {@link FileState#IN_PROGRESS}
     *                                   holds the content; the refused drop is recorded as a failed run with stage
     *                                   {@code duplicate}. A content whose runs all {@link FileState#FAILED} is
     *                                   claimed again: a failed list dropped again is processed again.
     */
    public FileEntry begin(String sha256, String fileName, String profile, Instant start)
            throws DuplicateContentException {
        return files.begin(sha256, fileName, profile, start);
    }

    /** The run that holds this content and has not finished (its process crashed or is still running), if any. */
    public Optional<FileEntry> resumable(String sha256) {
        return files.resumable(sha256);
    }

    /**
     * Takes over the unfinished run of this content: after a crash its process is dead, so the caller (a
     * restarted service picking the same file up again) becomes its owner and carries on from {@link #progress}.
     *
     * @throws IllegalStateException when no unfinished run holds the content
     */
    public FileEntry resume(String sha256, Instant now) {
        return files.resume(sha256, now);
    }

    /**
     * Takes over the unfinished run of this content if its owner let its lease lapse (by the database's clock) or
     * it has none: this instance becomes its owner under fence + 1, in one atomic statement, so of several instances
     * exactly one takes it. Empty when no unfinished run holds the content or its lease is live.
     */
    public Optional<FileEntry> takeOver(String sha256, Instant now) {
        return files.takeOver(sha256, now);
    }

    /** The owner of the unfinished run of this content while its lease is live; empty when none or lapsed. */
    public Optional<String> liveOwner(String sha256) {
        return files.liveOwner(sha256);
    }

    /**
     * Claims the list {@code key} (its name in its inbox) for this instance, atomically: a list no one holds, or
     * whose claim lapsed by the database's clock (the fence goes up by one), or, when {@code ownIsLapsed}, one held
     * under this instance's own id (no list of that name is in flight here). Empty when another instance holds it.
     *
     * @return the claim's fence
     */
    public java.util.OptionalLong claimList(String key, boolean ownIsLapsed) {
        return claims.take(bounded(key), ownIsLapsed);
    }

    /** Lets go of this instance's claim on a list; false when it did not hold it (any more). */
    public boolean releaseList(String key) {
        return claims.release(bounded(key));
    }

    /** The claim on a list, if any, lapsed or live. */
    public Optional<ListClaim> listClaim(String key) {
        return claims.holder(bounded(key));
    }

    /** Every list claim, by key: the {@code status} command. */
    public List<ListClaim> listClaims() {
        return claims.claims();
    }

    /**
     * One heartbeat, in one transaction: renews the claims on {@code keys} (key to fence) and the leases of
     * {@code runs} (ledger id to fence) this instance holds, and marks this instance seen. What it did not renew is
     * no longer this instance's.
     */
    public Renewal renew(java.util.Map<String, Long> keys, java.util.Map<Long, Long> runs) {
        return claims.renew(keys, runs);
    }

    /**
     * Registers this instance as started, letting go of what an earlier process of the same id held (its claims
     * released, its runs' leases lapsed); {@code everyInstance}: of every instance (an embedded ledger, used by one).
     */
    public void startInstance(boolean everyInstance) {
        claims.start(everyInstance);
    }

    /** Removes this instance from the instances seen (a graceful stop). */
    public void stopInstance() {
        claims.stop();
    }

    /** The instances that registered, each with whether it was seen within a lease. */
    public List<InstanceSeen> instances() {
        return claims.instances();
    }

    /** The lease of this instance's claims, in milliseconds. */
    public long leaseMillis() {
        return leaseMillis;
    }

    private static String bounded(String key) {
        return LedgerRows.bounded(key, LedgerClaims.KEY_MAX);
    }

    /**
     * Ends a run. {@link FileState#DONE} keeps the content claimed for good; {@link FileState#FAILED} releases it.
     *
     * @param stage where a failed run stopped, or null
     * @throws IllegalStateException when the run is unknown or already finished
     */
    public void finish(long fileId, FileState state, long rows, long accepted, long rejected, String stage,
            Instant end) {
        files.finish(fileId, state, rows, accepted, rejected, stage, end);
    }

    /**
     * Reserves a task name no task in the ledger has: {@code wanted} itself when free, otherwise
     * {@code wanted(2)}, {@code wanted(3)}, ... (the smallest free one), each within 50 characters
     * ({@link TaskNames#suffixed}). The suffix cannot be mistaken for a continuation ({@code -2}) or for the
     * shortening hash ({@code ~1a2b3c}). Reserved for good, even if never planned: two callers never get the
     * same name.
     */
    public String uniqueTaskName(String wanted) {
        return tasks.uniqueTaskName(wanted);
    }

    /**
     * Records that task {@code taskIndex} of a run goes by {@code taskName} (reserved by {@link #uniqueTaskName}).
     * Recording the same again is harmless.
     *
     * @throws IllegalStateException when the name was not reserved, belongs to another task, or the task has
     *                               another name
     */
    public void taskPlanned(long fileId, int taskIndex, String taskName) {
        tasks.taskPlanned(fileId, taskIndex, taskName);
    }

    /**
     * Records the vendor's confirmation of a task's create, in one transaction: the task's vendor id, and request
     * 1 (recorded with {@link #requestSent}) as confirmed with the vendor's answer. A crash can therefore never
     * leave a confirmed create without its task id.
     *
     * @throws IllegalStateException when the task is unknown, has another vendor id, or its create was not
     *                               recorded as sent
     */
    public void taskCreated(long fileId, int taskIndex, long vendorTaskId, String code, String message) {
        tasks.taskCreated(fileId, taskIndex, vendorTaskId, code, message, null);
    }

    /** {@link #taskCreated}, recorded against the run's {@code fence}. */
    public void taskCreated(long fileId, int taskIndex, long vendorTaskId, String code, String message, long fence) {
        tasks.taskCreated(fileId, taskIndex, vendorTaskId, code, message, fence);
    }

    /**
     * Records a request as sent, before it is posted: until its answer is recorded, it counts as sent with its
     * answer lost. Sending again a request that was not confirmed (lost answer, retryable failure) is recorded
     * as another attempt.
     *
     * @param sequence 1 for the task's create, 2, 3, ... for appends
     * @throws IllegalStateException when the vendor already confirmed this request (sending it again would send
     *                               its customers twice), the task is not planned, or an append's task has no
     *                               vendor id yet
     */
    public void requestSent(long fileId, int taskIndex, int sequence, int customers) {
        requests.requestSent(fileId, taskIndex, sequence, customers, null);
    }

    /**
     * {@link #requestSent}, under the run's {@code fence}: recorded only while this instance owns the run under that
     * fence.
     *
     * @throws ClaimLostException when another instance took the run over (nothing is recorded: send nothing)
     */
    public void requestSent(long fileId, int taskIndex, int sequence, int customers, long fence) {
        requests.requestSent(fileId, taskIndex, sequence, customers, fence);
    }

    /**
     * Records the vendor's success for an append.
     *
     * @throws IllegalArgumentException for sequence 1: a create is confirmed with {@link #taskCreated}
     * @throws IllegalStateException    when the request was not recorded as sent
     */
    public void requestConfirmed(long fileId, int taskIndex, int sequence, String code, String message) {
        requests.requestConfirmed(fileId, taskIndex, sequence, code, message, null);
    }

    /**
     * Records an append the vendor confirmed, in one transaction, without a separate record of it being sent:
     * an append whose answer never came is sent again on resume anyway, so only its confirmation must be durable.
     * Half the commits of {@link #requestSent} + {@link #requestConfirmed}.
     */
    public void appendConfirmed(long fileId, int taskIndex, int sequence, int customers, String code, String message) {
        requests.appendConfirmed(fileId, taskIndex, sequence, customers, code, message, null);
    }

    /** {@link #appendConfirmed}, recorded against the run's {@code fence} (whoever holds the run now). */
    public void appendConfirmed(long fileId, int taskIndex, int sequence, int customers, String code, String message,
            long fence) {
        requests.appendConfirmed(fileId, taskIndex, sequence, customers, code, message, fence);
    }

    /**
     * Records the vendor's refusal of a request (its code and message); it may be sent again later.
     *
     * @throws IllegalStateException when the request was not recorded as sent, or is already confirmed
     */
    public void requestFailed(long fileId, int taskIndex, int sequence, String code, String message) {
        requests.requestFailed(fileId, taskIndex, sequence, code, message, null);
    }

    /**
     * How far a run got: per task its vendor id and the requests and customers the vendor confirmed, and the
     * requests sent without an answer.
     *
     * @throws IllegalStateException when the run is unknown
     */
    public Progress progress(long fileId) {
        return files.progress(fileId);
    }

    /** The last {@code n} runs, newest first: the {@code status} command. */
    public List<FileSummary> recent(int n) {
        return files.recent(n);
    }

    /**
     * The latest run of a content (refused duplicate drops aside), whatever its state: how an earlier attempt at
     * the same list ended, and how far it got.
     */
    public Optional<FileSummary> latestRun(String sha256) {
        return files.latestRun(sha256);
    }

    /**
     * The runs among {@code runs} (read from outcome files) whose customers the vendor confirmed and that the ledger
     * does not hold: no run of their content (refused duplicates aside), or none with every task id they name and as
     * many customers confirmed in it. A ledger restored from an old backup, or cut short, lacks them, and would send
     * their contents again. One query per 100 contents.
     */
    public List<PastRun> unrecorded(List<PastRun> runs) {
        return history.unrecorded(runs);
    }

    /**
     * Records a run from its outcome file, in one transaction, so that the ledger holds it as {@link #unrecorded}
     * asks: a list that went through as {@link FileState#DONE} (the same content dropped again is refused as a
     * duplicate), a failed one as {@link FileState#FAILED} with the tasks, task ids and requests the vendor confirmed
     * (handled as any failed run when dropped again). Task names are reserved for good. A run the ledger holds part
     * of (a backup taken while it ran) is completed; a run the ledger holds already is left as it is.
     *
     * @throws IllegalArgumentException when the vendor confirmed nothing of the run
     * @throws IllegalStateException    when the ledger contradicts the report (a task name of another content, or
     *                                  with another vendor id)
     */
    public PastRun.Restoration restore(PastRun run) {
        return history.restore(run);
    }

    /**
     * Whether the ledger's database answers now (for a health check): cheap, a connection the database confirms
     * valid; reconnects when it was away. False also while the ledger is still opening.
     */
    public boolean available() {
        try {
            db.check();
            return true;
        } catch (LedgerException e) {
            return false;
        }
    }

    /**
     * Like {@link #available}, with the reason.
     *
     * @throws LedgerUnavailableException when the database does not answer now (lists wait for it)
     * @throws LedgerException            when the ledger could not be opened at all, or is closed
     */
    public void check() {
        db.check();
    }

    /** Who this ledger records as the owner of the runs it begins or resumes. */
    public String owner() {
        return owner;
    }

    /**
     * Closes the pooled connections, then the embedded database's last one; a ledger
     * still opening in the background is waited for first, one that could not be opened has nothing to close.
     */
    @Override
    public void close() {
        db.close();
    }

    private static String defaultOwner() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            host = System.getenv("COMPUTERNAME");
        }
        return ProcessHandle.current().pid() + "@" + (host == null || host.isBlank() ? "localhost" : host);
    }
}
