package io.outboundbridge.ledger;

import io.outboundbridge.task.TaskNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.ConnectionPoolDataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The ledger: which contents were sent, under which vendor tasks, and which requests the vendor confirmed, so a
 * list is sent at most once and an interrupted one resumes after its last confirmed request.
 *
 * <p>Every method takes its own connection and commits before it returns, so it is safe to call from several
 * threads and from several processes sharing one PostgreSQL database (or one H2 file through AUTO_SERVER). What
 * must not happen twice is guarded by the database's constraints, not by this process's memory: one unique index
 * lets one run hold a content, one unique key lets one task hold a name, and a confirmed request cannot be
 * recorded as sent again.
 *
 * <p>Conventions: tasks of a file are numbered 1, 2, 3, ... (continuations); requests of a task are numbered 1
 * (the create), 2, 3, ... (appends).
 */
public final class Ledger implements AutoCloseable {

    /** The most suffixes {@link #uniqueTaskName} tries before giving up. */
    static final int MAX_NAME_SUFFIX = 10_000;
    private static final int TRANSIENT_RETRIES = 5;
    private static final String UNIQUE_VIOLATION = "23505";
    /** PostgreSQL's and H2's codes for a reference to a missing row. */
    private static final List<String> FOREIGN_KEY_VIOLATIONS = List.of("23503", "23506");

    /** At most this many ledger calls at once (tasks of several lists are sent side by side). */
    private static final int POOL_SIZE = 16;

    private final LedgerSettings settings;
    private final Clock clock;
    private final String owner;
    /** Completes once the database is open and its schema up to date (at once unless opened in the background). */
    private final CompletableFuture<Opened> opened;

    /**
     * An open ledger database.
     *
     * @param keepOpen keeps an embedded H2 database open between calls (H2 closes it with its last connection);
     *                 null for PostgreSQL
     */
    private record Opened(JdbcConnectionPool dataSource, Connection keepOpen) {
    }

    private Ledger(LedgerSettings settings, Clock clock, String owner, CompletableFuture<Opened> opened) {
        this.settings = settings;
        this.clock = clock;
        this.owner = owner;
        this.opened = opened;
    }

    /** Opens the ledger and brings its schema up to date. */
    public static Ledger open(LedgerSettings settings) {
        return open(settings, Clock.systemUTC(), defaultOwner());
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
        return new Ledger(settings, clock, owner, CompletableFuture.completedFuture(migrate(settings)));
    }

    /**
     * Opens the ledger and brings its schema up to date like {@link #open(LedgerSettings)}, but on a thread of its own,
     * and returns at once: the service opens it while Camel builds its routes (H2 and Flyway take a good part of a
     * second of start-up). Every call on the ledger waits until it is open; {@link #awaitOpen} waits and reports a
     * failure to open, {@link #close} waits and closes it.
     */
    public static Ledger openInBackground(LedgerSettings settings) {
        CompletableFuture<Opened> opened = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                opened.complete(migrate(settings));
            } catch (Throwable e) {
                opened.completeExceptionally(e);
            }
        }, "outbound-bridge-ledger-open");
        opener.start();
        return new Ledger(settings, Clock.systemUTC(), defaultOwner(), opened);
    }

    /**
     * Waits until the ledger is open and its schema up to date.
     *
     * @throws LedgerException naming the URL and user (never the password) when it could not be opened or migrated
     */
    public void awaitOpen() {
        opened();
    }

    private Opened opened() {
        try {
            return opened.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        return opened().dataSource().getConnection();
    }

    private static Opened migrate(LedgerSettings settings) {
        JdbcConnectionPool dataSource = dataSource(settings);
        Connection keepOpen = null;
        try {
            if (settings.isH2()) {
                keepOpen = dataSource.getConnection();
            }
            Flyway.configure(Ledger.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            return new Opened(dataSource, keepOpen);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(keepOpen, e);
            dataSource.dispose();
            throw new LedgerException("cannot open the ledger at " + settings.safeUrl() + " as user " + settings.user()
                    + ": " + e.getMessage(), e);
        }
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
        String what = "begin " + fileName;
        for (int attempt = 1;; attempt++) {
            try (Connection c = connection()) {
                Optional<FileEntry> claimed = tryClaim(c, sha256, fileName, profile, start);
                if (claimed.isPresent()) {
                    return claimed.get();
                }
                Optional<DuplicateContent> earlier = holderOf(c, sha256);
                if (earlier.isPresent()) {
                    long refused = insertDuplicate(c, sha256, fileName, profile, start);
                    throw new DuplicateContentException(refused, fileName, earlier.get());
                }
                // the holder failed between our insert and our look-up: the content is free again
            } catch (SQLException e) {
                retryOrThrow(e, attempt, what);
            }
            if (attempt >= TRANSIENT_RETRIES) {
                throw new LedgerException(what + ": the content's claim kept changing, gave up after " + attempt
                        + " attempts", null);
            }
        }
    }

    /** The run that holds this content and has not finished (its process crashed or is still running), if any. */
    public Optional<FileEntry> resumable(String sha256) {
        return read("find resumable content", c -> fileByClaim(c, sha256).filter(f -> f.state() == FileState.IN_PROGRESS));
    }

    /**
     * Takes over the unfinished run of this content: after a crash its process is dead, so the caller (a
     * restarted service picking the same file up again) becomes its owner and carries on from {@link #progress}.
     *
     * @throws IllegalStateException when no unfinished run holds the content
     */
    public FileEntry resume(String sha256, Instant now) {
        return write("resume " + sha256, c -> {
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.RESUME)) {
                ps.setString(1, owner);
                ps.setObject(2, timestamp(now));
                ps.setString(3, sha256);
                if (ps.executeUpdate() == 0) {
                    throw new IllegalStateException("no unfinished run holds content " + sha256);
                }
            }
            return fileByClaim(c, sha256).orElseThrow();
        });
    }

    /**
     * Ends a run. {@link FileState#DONE} keeps the content claimed for good; {@link FileState#FAILED} releases it.
     *
     * @param stage where a failed run stopped, or null
     * @throws IllegalStateException when the run is unknown or already finished
     */
    public void finish(long fileId, FileState state, long rows, long accepted, long rejected, String stage,
            Instant end) {
        if (state == FileState.IN_PROGRESS) {
            throw new IllegalArgumentException("a run finishes DONE or FAILED, not " + state);
        }
        write("finish file " + fileId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    state == FileState.DONE ? LedgerSql.FINISH_DONE : LedgerSql.FINISH_FAILED)) {
                ps.setLong(1, rows);
                ps.setLong(2, accepted);
                ps.setLong(3, rejected);
                ps.setString(4, stage);
                ps.setObject(5, timestamp(end));
                ps.setLong(6, fileId);
                if (ps.executeUpdate() == 0) {
                    throw new IllegalStateException("file " + fileId + " is not an unfinished run");
                }
            }
            return null;
        });
    }

    /**
     * Reserves a task name no task in the ledger has: {@code wanted} itself when free, otherwise
     * {@code wanted(2)}, {@code wanted(3)}, ... (the smallest free one), each within 50 characters
     * ({@link TaskNames#suffixed}). The suffix cannot be mistaken for a continuation ({@code -2}) or for the
     * shortening hash ({@code ~1a2b3c}). Reserved for good, even if never planned: two callers never get the
     * same name.
     */
    public String uniqueTaskName(String wanted) {
        for (int n = 1; n <= MAX_NAME_SUFFIX; n++) {
            String candidate = n == 1 ? TaskNames.fit(wanted) : TaskNames.suffixed(wanted, "(" + n + ")");
            if (reserve(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free task name for '" + wanted + "' up to suffix (" + MAX_NAME_SUFFIX + ")");
    }

    /**
     * Records that task {@code taskIndex} of a run goes by {@code taskName} (reserved by {@link #uniqueTaskName}).
     * Recording the same again is harmless.
     *
     * @throws IllegalStateException when the name was not reserved, belongs to another task, or the task has
     *                               another name
     */
    public void taskPlanned(long fileId, int taskIndex, String taskName) {
        write("plan task " + taskIndex + " of file " + fileId, c -> {
            Optional<String> existing = taskNameOf(c, fileId, taskIndex);
            if (existing.isPresent()) {
                if (!existing.get().equals(taskName)) {
                    throw new IllegalStateException("task " + taskIndex + " of file " + fileId + " is already named '"
                            + existing.get() + "', not '" + taskName + "'");
                }
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSERT_TASK)) {
                ps.setLong(1, fileId);
                ps.setInt(2, taskIndex);
                ps.setString(3, taskName);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new IllegalStateException("task name '" + taskName + "' belongs to another task", e);
                }
                if (FOREIGN_KEY_VIOLATIONS.contains(e.getSQLState())) {
                    throw new IllegalStateException("file " + fileId + " is unknown or task name '" + taskName
                            + "' was not reserved with uniqueTaskName", e);
                }
                throw e;
            }
            return null;
        });
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
        write("record created task " + taskIndex + " of file " + fileId, c -> {
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.TASK_CREATED)) {
                ps.setLong(1, vendorTaskId);
                ps.setObject(2, timestamp(clock.instant()));
                ps.setLong(3, fileId);
                ps.setInt(4, taskIndex);
                ps.setLong(5, vendorTaskId);
                if (ps.executeUpdate() == 0) {
                    throw new IllegalStateException("task " + taskIndex + " of file " + fileId
                            + " is not planned or already has another vendor task id");
                }
            }
            if (!answer(c, fileId, taskIndex, 1, "CONFIRMED", code, message)
                    && !"CONFIRMED".equals(requestState(c, fileId, taskIndex, 1).orElse(null))) {
                throw new IllegalStateException("the create of task " + taskIndex + " of file " + fileId
                        + " was not recorded as sent");
            }
            return null;
        });
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
        String what = "record request " + taskIndex + "/" + sequence + " of file " + fileId + " as sent";
        for (int attempt = 1;; attempt++) {
            try {
                write(what, c -> {
                    sent(c, fileId, taskIndex, sequence, customers);
                    return null;
                });
                return;
            } catch (LedgerException e) {
                if (!(e.getCause() instanceof SQLException sql) || !UNIQUE_VIOLATION.equals(sql.getSQLState())
                        || attempt >= TRANSIENT_RETRIES) {
                    throw e;
                }
                // another thread inserted the same request first: look again
            }
        }
    }

    /**
     * Records the vendor's success for an append.
     *
     * @throws IllegalArgumentException for sequence 1: a create is confirmed with {@link #taskCreated}
     * @throws IllegalStateException    when the request was not recorded as sent
     */
    public void requestConfirmed(long fileId, int taskIndex, int sequence, String code, String message) {
        if (sequence == 1) {
            throw new IllegalArgumentException("request 1 is the create: confirm it with taskCreated");
        }
        answerOrThrow(fileId, taskIndex, sequence, "CONFIRMED", code, message);
    }

    /**
     * Records an append the vendor confirmed, in one transaction, without a separate record of it being sent:
     * an append whose answer never came is sent again on resume anyway, so only its confirmation must be durable.
     * Half the commits of {@link #requestSent} + {@link #requestConfirmed}.
     */
    public void appendConfirmed(long fileId, int taskIndex, int sequence, int customers, String code, String message) {
        if (sequence == 1) {
            throw new IllegalArgumentException("request 1 is the create: confirm it with taskCreated");
        }
        String what = "record request " + taskIndex + "/" + sequence + " of file " + fileId + " as confirmed";
        if (insertConfirmedAppend(what, fileId, taskIndex, sequence, customers, code, message)) {
            return;
        }
        // an earlier attempt left a row, or the task is not ready for appends: the same checks as requestSent
        write(what, c -> {
            sent(c, fileId, taskIndex, sequence, customers);
            if (!answer(c, fileId, taskIndex, sequence, "CONFIRMED", code, message)) {
                throw new IllegalStateException("request " + taskIndex + "/" + sequence + " of file " + fileId
                        + " cannot be confirmed: it is " + requestState(c, fileId, taskIndex, sequence).orElse("?"));
            }
            return null;
        });
    }

    /** The common case of {@link #appendConfirmed}: one row inserted, one statement; false when it does not apply. */
    private boolean insertConfirmedAppend(String what, long fileId, int taskIndex, int sequence, int customers,
            String code, String message) {
        try (Connection c = connection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSERT_CONFIRMED_APPEND)) {
                OffsetDateTime now = timestamp(clock.instant());
                ps.setInt(1, sequence);
                ps.setInt(2, customers);
                ps.setObject(3, now);
                ps.setString(4, code);
                ps.setString(5, message);
                ps.setObject(6, now);
                ps.setLong(7, fileId);
                ps.setInt(8, taskIndex);
                return ps.executeUpdate() == 1;
            }
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState()) || isTransient(e)) {
                return false;
            }
            throw cannot(what, e);
        }
    }

    /**
     * Records the vendor's refusal of a request (its code and message); it may be sent again later.
     *
     * @throws IllegalStateException when the request was not recorded as sent, or is already confirmed
     */
    public void requestFailed(long fileId, int taskIndex, int sequence, String code, String message) {
        answerOrThrow(fileId, taskIndex, sequence, "FAILED", code, message);
    }

    /**
     * How far a run got: per task its vendor id and the requests and customers the vendor confirmed, and the
     * requests sent without an answer.
     *
     * @throws IllegalStateException when the run is unknown
     */
    public Progress progress(long fileId) {
        return read("read progress of file " + fileId, c -> {
            FileEntry file = fileById(c, fileId)
                    .orElseThrow(() -> new IllegalStateException("file " + fileId + " is not in the ledger"));
            List<UnansweredRequest> unanswered = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.UNANSWERED)) {
                ps.setLong(1, fileId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        unanswered.add(new UnansweredRequest(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4),
                                instant(rs, 5)));
                    }
                }
            }
            return new Progress(fileId, file.state(), taskProgress(c, fileId), unanswered);
        });
    }

    /** The last {@code n} runs, newest first: the {@code status} command. */
    public List<FileSummary> recent(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1 (found " + n + ")");
        }
        return read("read recent files", c -> summaries(c, LedgerSql.RECENT_FILES, ps -> ps.setInt(1, n)));
    }

    /**
     * The latest run of a content (refused duplicate drops aside), whatever its state: how an earlier attempt at
     * the same list ended, and how far it got.
     */
    public Optional<FileSummary> latestRun(String sha256) {
        return read("find the latest run of " + sha256,
                c -> summaries(c, LedgerSql.LATEST_RUN, ps -> ps.setString(1, sha256)).stream().findFirst());
    }

    private List<FileSummary> summaries(Connection c, String sql, Binder binder) throws SQLException {
        List<FileSummary> files = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    files.add(new FileSummary(rs.getLong("id"), rs.getString("file_name"), rs.getString("sha256"),
                            rs.getString("profile"), FileState.valueOf(rs.getString("state")),
                            instant(rs, "started_at"), instant(rs, "ended_at"), nullableLong(rs, "row_count"),
                            nullableLong(rs, "accepted"), nullableLong(rs, "rejected"), rs.getString("stage"),
                            List.of()));
                }
            }
        }
        List<FileSummary> withTasks = new ArrayList<>(files.size());
        for (FileSummary f : files) {
            withTasks.add(new FileSummary(f.fileId(), f.fileName(), f.sha256(), f.profile(), f.state(), f.start(),
                    f.end(), f.rows(), f.accepted(), f.rejected(), f.stage(), taskProgress(c, f.fileId())));
        }
        return withTasks;
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
        Opened open;
        try {
            open = opened.join();
        } catch (CompletionException notOpened) {
            return;
        }
        open.dataSource().dispose();
        Connection keepOpen = open.keepOpen();
        if (keepOpen != null) {
            try {
                keepOpen.close();
            } catch (SQLException e) {
                throw new LedgerException("cannot close the ledger at " + settings.safeUrl(), e);
            }
        }
    }

    // ---- files

    private Optional<FileEntry> tryClaim(Connection c, String sha256, String fileName, String profile, Instant start)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSERT_CLAIM, Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, sha256);
            ps.setString(2, fileName);
            ps.setString(3, profile);
            ps.setString(4, sha256);
            ps.setString(5, owner);
            ps.setObject(6, timestamp(start));
            ps.executeUpdate();
            return Optional.of(new FileEntry(generatedId(ps), sha256, fileName, profile, FileState.IN_PROGRESS, owner,
                    start, null));
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private long insertDuplicate(Connection c, String sha256, String fileName, String profile, Instant start)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSERT_DUPLICATE, Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, sha256);
            ps.setString(2, fileName);
            ps.setString(3, profile);
            ps.setString(4, owner);
            ps.setObject(5, timestamp(start));
            ps.setObject(6, timestamp(start));
            ps.executeUpdate();
            return generatedId(ps);
        }
    }

    private Optional<DuplicateContent> holderOf(Connection c, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.FILE_BY_CLAIM)) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long id = rs.getLong("id");
                return Optional.of(new DuplicateContent(id, rs.getString("file_name"), rs.getString("profile"),
                        FileState.valueOf(rs.getString("state")), instant(rs, "started_at"), instant(rs, "ended_at"),
                        tasksOf(c, id)));
            }
        }
    }

    private Optional<FileEntry> fileByClaim(Connection c, String sha256) throws SQLException {
        return file(c, LedgerSql.FILE_BY_CLAIM, ps -> ps.setString(1, sha256));
    }

    private Optional<FileEntry> fileById(Connection c, long id) throws SQLException {
        return file(c, LedgerSql.FILE_BY_ID, ps -> ps.setLong(1, id));
    }

    private Optional<FileEntry> file(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new FileEntry(rs.getLong("id"), rs.getString("sha256"), rs.getString("file_name"),
                        rs.getString("profile"), FileState.valueOf(rs.getString("state")), rs.getString("owner"),
                        instant(rs, "started_at"), instant(rs, "resumed_at")));
            }
        }
    }

    // ---- tasks

    private boolean reserve(String name) {
        String what = "reserve task name '" + name + "'";
        for (int attempt = 1;; attempt++) {
            try (Connection c = connection();
                    PreparedStatement ps = c.prepareStatement(LedgerSql.RESERVE_TASK_NAME)) {
                ps.setString(1, name);
                ps.setObject(2, timestamp(clock.instant()));
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return false;
                }
                retryOrThrow(e, attempt, what);
            }
        }
    }

    private Optional<String> taskNameOf(Connection c, long fileId, int taskIndex) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.TASK_NAME_OF)) {
            ps.setLong(1, fileId);
            ps.setInt(2, taskIndex);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private List<TaskRef> tasksOf(Connection c, long fileId) throws SQLException {
        List<TaskRef> tasks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.TASKS_OF_FILE)) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tasks.add(new TaskRef(rs.getInt(1), rs.getString(2), nullableLong(rs, 3)));
                }
            }
        }
        return tasks;
    }

    private List<TaskProgress> taskProgress(Connection c, long fileId) throws SQLException {
        List<TaskProgress> tasks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.TASK_PROGRESS)) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tasks.add(new TaskProgress(rs.getInt(1), rs.getString(2), nullableLong(rs, 3), rs.getInt(4),
                            rs.getInt(5), rs.getLong(6)));
                }
            }
        }
        return tasks;
    }

    // ---- requests

    private void sent(Connection c, long fileId, int taskIndex, int sequence, int customers) throws SQLException {
        String request = "request " + taskIndex + "/" + sequence + " of file " + fileId;
        Long vendorTaskId;
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.VENDOR_TASK_ID_OF)) {
            ps.setLong(1, fileId);
            ps.setInt(2, taskIndex);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException(request + ": task " + taskIndex + " is not planned");
                }
                vendorTaskId = nullableLong(rs, 1);
            }
        }
        if (sequence > 1 && vendorTaskId == null) {
            throw new IllegalStateException(request + ": an append needs the task's vendor id, and the create of task "
                    + taskIndex + " is not confirmed");
        }
        Optional<String> state;
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.REQUEST_STATE_FOR_UPDATE)) {
            bindRequest(ps, 1, fileId, taskIndex, sequence);
            try (ResultSet rs = ps.executeQuery()) {
                state = rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
        if (state.isPresent() && state.get().equals("CONFIRMED")) {
            throw new IllegalStateException(request + " is already confirmed by the vendor: sending it again would"
                    + " send its customers twice");
        }
        if (state.isPresent()) {
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.RESEND_REQUEST)) {
                ps.setInt(1, customers);
                ps.setObject(2, timestamp(clock.instant()));
                bindRequest(ps, 3, fileId, taskIndex, sequence);
                ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSERT_REQUEST)) {
                bindRequest(ps, 1, fileId, taskIndex, sequence);
                ps.setInt(4, customers);
                ps.setObject(5, timestamp(clock.instant()));
                ps.executeUpdate();
            }
        }
    }

    private void answerOrThrow(long fileId, int taskIndex, int sequence, String state, String code, String message) {
        write("record answer to request " + taskIndex + "/" + sequence + " of file " + fileId, c -> {
            if (!answer(c, fileId, taskIndex, sequence, state, code, message)) {
                String now = requestState(c, fileId, taskIndex, sequence).orElse("not recorded as sent");
                if (!(state.equals("CONFIRMED") && now.equals("CONFIRMED"))) {
                    throw new IllegalStateException("request " + taskIndex + "/" + sequence + " of file " + fileId
                            + " cannot become " + state + ": it is " + now);
                }
            }
            return null;
        });
    }

    /** Records the answer to a request in state SENT; false when it is not in that state. */
    private boolean answer(Connection c, long fileId, int taskIndex, int sequence, String state, String code,
            String message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.ANSWER_REQUEST)) {
            ps.setString(1, state);
            ps.setString(2, code);
            ps.setString(3, message);
            ps.setObject(4, timestamp(clock.instant()));
            bindRequest(ps, 5, fileId, taskIndex, sequence);
            return ps.executeUpdate() == 1;
        }
    }

    private Optional<String> requestState(Connection c, long fileId, int taskIndex, int sequence)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.REQUEST_STATE)) {
            bindRequest(ps, 1, fileId, taskIndex, sequence);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static void bindRequest(PreparedStatement ps, int first, long fileId, int taskIndex, int sequence)
            throws SQLException {
        ps.setLong(first, fileId);
        ps.setInt(first + 1, taskIndex);
        ps.setInt(first + 2, sequence);
    }

    // ---- plumbing

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Runs {@code work} in one transaction; retried when the database reports a transient conflict. */
    private <T> T write(String what, Work<T> work) {
        for (int attempt = 1;; attempt++) {
            try (Connection c = connection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                retryOrThrow(e, attempt, what);
            }
        }
    }

    /** Runs a query of several statements in one transaction, so it reads what was committed as a whole. */
    private <T> T read(String what, Work<T> work) {
        return write(what, work);
    }

    private void retryOrThrow(SQLException e, int attempt, String what) {
        if (attempt < TRANSIENT_RETRIES && isTransient(e)) {
            return;
        }
        throw cannot(what, e);
    }

    private LedgerException cannot(String what, SQLException e) {
        return new LedgerException("ledger at " + settings.safeUrl() + ": cannot " + what + ": " + e.getMessage(), e);
    }

    /**
     * Serialization failures and deadlocks (class 40, both databases), H2's concurrent update of one row (90131)
     * and lock timeout (HYT00): the statement can simply run again.
     */
    private static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("40") || state.equals("90131") || state.equals("HYT00"));
    }

    private static long generatedId(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the database returned no generated id");
            }
            return keys.getLong(1);
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /**
     * Connections kept in a pool (H2's own, for either database): a ledger call runs on an open session instead of
     * a new session (and, for PostgreSQL, a new login) every call.
     */
    private static JdbcConnectionPool dataSource(LedgerSettings settings) {
        ConnectionPoolDataSource source;
        if (settings.isH2()) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(settings.url());
            ds.setUser(settings.user());
            ds.setPassword(settings.password());
            source = ds;
        } else {
            PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
            ds.setURL(settings.url());
            ds.setUser(settings.user());
            ds.setPassword(settings.password());
            source = ds;
        }
        JdbcConnectionPool pool = JdbcConnectionPool.create(source);
        pool.setMaxConnections(POOL_SIZE);
        return pool;
    }

    private static String defaultOwner() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            host = System.getenv("COMPUTERNAME");
        }
        return ProcessHandle.current().pid() + "@" + (host == null || host.isBlank() ? "localhost" : host);
    }

    private static void closeQuietly(Connection c, Exception primary) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                primary.addSuppressed(e);
            }
        }
    }
}
