package io.outboundbridge.ledger;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.ConnectionPoolDataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGConnectionPoolDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's database plumbing, apart from what the ledger records: opening and migrating the database (Flyway),
 * the connection pool, one transaction per unit of work, running a unit again after a transient conflict, and
 * getting the database back after it went away. The operations ({@link LedgerFiles}, {@link LedgerTasks},
 * {@link LedgerRequests}) only say what to read and write.
 *
 * <p>When the database goes away (PostgreSQL restarted or failed over: every pooled connection is dead; H2 closed
 * by a full disk: every session is), the pool is dropped and each call fails fast with
 * {@link LedgerUnavailableException} until the database can be opened again; a new pool is tried at most once per
 * {@link #REOPEN_INTERVAL}, by the first call after it. A unit of work that failed that way before its commit did
 * not happen, so it runs once more on the new pool; one that failed at its commit may have happened, and is left
 * to the caller.
 */
final class LedgerDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerDatabase.class);

    static final int TRANSIENT_RETRIES = 5;
    static final String UNIQUE_VIOLATION = "23505";
    /** PostgreSQL's and H2's codes for a reference to a missing row. */
    static final List<String> FOREIGN_KEY_VIOLATIONS = List.of("23503", "23506");

    /** While the database is away, a new pool is tried at most this often; calls in between fail at once. */
    static final Duration REOPEN_INTERVAL = Duration.ofSeconds(1);

    /** At most this many ledger calls at once (tasks of several lists are sent side by side). */
    private static final int POOL_SIZE = 16;
    /** How long {@link #check} and the test of a failed connection wait for the database's answer. */
    private static final int VALID_SECONDS = 2;

    /**
     * H2's codes for a database that is closed, cannot be reached or cannot be written: database closed (90098),
     * closing (90121), object (connection) closed (90007), connection broken (90067), I/O errors (90028, 90031),
     * disk full (90100), file locked by another process (90020), file gone (90146, on reopen only: IFEXISTS).
     */
    private static final Set<String> H2_UNAVAILABLE = Set.of("90098", "90121", "90007", "90067", "90028", "90031",
            "90100", "90020", "90146");

    /** One unit of work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Sets the parameters of a statement. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** What an expected failure of a single statement means, or empty when it is not expected. */
    @FunctionalInterface
    interface Expected<T> {
        Optional<T> of(SQLException e);
    }

    /**
     * An open database: its pool and, for an embedded H2 database, the connection that keeps it open between calls
     * (H2 closes it with its last connection).
     */
    private record Pool(JdbcConnectionPool dataSource, Connection keepOpen) {

        void dispose() {
            dataSource.dispose();
            if (keepOpen != null) {
                try {
                    keepOpen.close();
                } catch (SQLException dead) {
                    // the database went away with it
                }
            }
        }
    }

    private sealed interface State permits Up, Down, Failed, Closed {
    }

    private record Up(Pool pool) implements State {
    }

    /** Away since {@code cause}; {@code lastTry} is when a new pool was last tried (0: at once). */
    private record Down(Exception cause, long lastTry) implements State {
    }

    /** Could not be opened, for a reason that waiting does not cure (a wrong password, a failed migration). */
    private record Failed(LedgerException failure) implements State {
    }

    private record Closed() implements State {
    }

    private final LedgerSettings settings;
    /** The door of an embedded H2 database in files; empty for PostgreSQL and in-memory H2. */
    private final Optional<EmbeddedH2> embedded;
    /** The settings the database was last opened with (for an embedded one: its password, its loopback server). */
    private volatile LedgerSettings opening;
    /** Completes once the first attempt to open the database ended, either way. */
    private final CompletableFuture<Void> firstOpen;
    private final ReentrantLock reopening = new ReentrantLock();
    private volatile State state = new Down(null, 0);
    /** Why the first attempt to open could not reach the database, for {@link #awaitOpen}. */
    private volatile LedgerUnavailableException firstFailure;
    private volatile boolean migrated;

    private LedgerDatabase(LedgerSettings settings, boolean inBackground) {
        this.settings = settings;
        this.opening = settings;
        this.embedded = EmbeddedH2.of(settings);
        if (inBackground) {
            this.firstOpen = new CompletableFuture<>();
            Thread opener = new Thread(() -> {
                try {
                    openFirst();
                } finally {
                    firstOpen.complete(null);
                }
            }, "outbound-bridge-ledger-open");
            opener.start();
        } else {
            openFirst();
            this.firstOpen = CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Opens the database and brings its schema up to date before it returns.
     *
     * @throws LedgerException naming the URL and user (never the password) when it cannot be opened or migrated;
     *                         a {@link LedgerUnavailableException} when it cannot be reached
     */
    static LedgerDatabase open(LedgerSettings settings) {
        LedgerDatabase db = new LedgerDatabase(settings, false);
        db.awaitOpen();
        return db;
    }

    /** Opens the database and brings its schema up to date on a thread of its own; every call waits for it. */
    static LedgerDatabase openInBackground(LedgerSettings settings) {
        return new LedgerDatabase(settings, true);
    }

    /** Waits until the first attempt to open the database ended; throws what it failed with. */
    void awaitOpen() {
        firstOpen.join();
        State s = state;
        if (s instanceof Failed failed) {
            throw failed.failure();
        }
        if (s instanceof Down down) {
            throw firstFailure != null ? firstFailure : unavailable("open", down.cause());
        }
    }

    private void openFirst() {
        reopening.lock();
        try {
            state = new Up(newPool());
        } catch (LedgerUnavailableException e) {
            firstFailure = e;
            state = new Down((Exception) e.getCause(), System.nanoTime());
        } catch (LedgerException e) {
            state = new Failed(e);
        } finally {
            reopening.unlock();
        }
    }

    /**
     * A new pool on the database, its schema brought up to date the first time.
     *
     * @throws LedgerUnavailableException when the database cannot be reached
     * @throws LedgerException            when it cannot be opened or migrated for another reason
     */
    private Pool newPool() {
        JdbcConnectionPool dataSource = null;
        Connection keepOpen = null;
        try {
            LedgerSettings prepared = embedded.map(e -> e.prepare(settings)).orElse(settings);
            opening = prepared;
            if (migrated) {
                prepared = reopenSettings(prepared);
            }
            if (prepared.isH2()) {
                JdbcDataSource h2 = h2DataSource(prepared);
                keepOpen = embedded.isPresent() ? embedded.get().connect(h2, prepared) : h2.getConnection();
                embedded.ifPresent(EmbeddedH2::ownerOnlyFiles);
                dataSource = pool(h2);
            } else {
                dataSource = pool(pgDataSource(prepared));
                // connects now, so that a database still away is found here (and tried again only after a while)
                dataSource.getConnection().close();
            }
            if (!migrated) {
                Flyway.configure(LedgerDatabase.class.getClassLoader())
                        .dataSource(dataSource)
                        .locations("classpath:db/migration")
                        .failOnMissingLocations(true)
                        .load()
                        .migrate();
                migrated = true;
                embedded.ifPresent(EmbeddedH2::ownerOnlyFiles);
            }
            return new Pool(dataSource, keepOpen);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(keepOpen, e);
            if (dataSource != null) {
                dataSource.dispose();
            }
            String message = "cannot open the ledger at " + settings.safeUrl() + " as user " + settings.user() + ": "
                    + scrubbed(e.getMessage());
            if (isUnavailable(e)) {
                throw new LedgerUnavailableException(message + "; lists wait until it can be opened", e);
            }
            throw new LedgerException(message, e);
        }
    }

    /**
     * The settings of a reopen: an embedded H2 database must exist by then, and a missing file is the database
     * being away (an unmounted volume), not a reason to start an empty ledger.
     */
    private static LedgerSettings reopenSettings(LedgerSettings settings) {
        if (settings.isH2() && !settings.url().toUpperCase(java.util.Locale.ROOT).contains(";IFEXISTS=")) {
            return settings.withUrl(settings.url() + ";IFEXISTS=TRUE");
        }
        return settings;
    }

    /** A database's message as it may be shown: neither the configured nor the generated password in it. */
    private String scrubbed(String message) {
        return opening.scrubbed(settings.scrubbed(message));
    }

    /**
     * The open pool; when the database is away, a new one if the last try is {@link #REOPEN_INTERVAL} ago and no
     * other thread is trying, else a {@link LedgerUnavailableException} at once.
     */
    private Pool pool(String what) {
        firstOpen.join();
        State s = state;
        if (s instanceof Up up) {
            return up.pool();
        }
        if (s instanceof Failed failed) {
            throw failed.failure();
        }
        if (s instanceof Closed) {
            throw new LedgerException("ledger at " + settings.safeUrl() + ": cannot " + what + ": the ledger is closed",
                    null);
        }
        Down down = (Down) s;
        if (down.lastTry() != 0 && System.nanoTime() - down.lastTry() < REOPEN_INTERVAL.toNanos()) {
            throw unavailable(what, down.cause());
        }
        if (!reopening.tryLock()) {
            throw unavailable(what, down.cause());
        }
        try {
            if (state instanceof Up up) {
                return up.pool();
            }
            if (!(state instanceof Down)) {
                return pool(what);
            }
            Pool pool = newPool();
            state = new Up(pool);
            LOG.info("Ledger at {} reachable again", settings.safeUrl());
            return pool;
        } catch (LedgerException e) {
            Exception cause = e.getCause() instanceof Exception c ? c : e;
            state = new Down(cause, System.nanoTime());
            throw unavailable(what, cause);
        } finally {
            reopening.unlock();
        }
    }

    /** The database of {@code pool} went away: drops the pool; the next call tries a new one at once. */
    private void wentAway(Pool pool, Exception cause) {
        boolean first = false;
        synchronized (this) {
            if (state instanceof Up up && up.pool() == pool) {
                state = new Down(cause, 0);
                first = true;
            }
        }
        if (first) {
            LOG.warn("Ledger at {} went away ({}): lists wait until it is back", settings.safeUrl(),
                    scrubbed(cause.getMessage()));
            pool.dispose();
        }
    }

    private LedgerUnavailableException unavailable(String what, Exception cause) {
        String reason = cause == null ? "not open yet" : scrubbed(cause.getMessage());
        return new LedgerUnavailableException("ledger at " + settings.safeUrl() + " unavailable: cannot " + what + ": "
                + reason + "; lists wait until it is back", cause);
    }

    /**
     * Runs {@code work} in one transaction; run again when the database reports a transient conflict, and once
     * more on a new pool when the database went away before the commit.
     */
    <T> T write(String what, Work<T> work) {
        boolean reopened = false;
        for (int attempt = 1;; attempt++) {
            Pool pool = pool(what);
            Connection c = connect(pool, what, false, reopened);
            if (c == null) {
                reopened = true;
                continue;
            }
            boolean committing = false;
            try {
                T result = work.run(c);
                committing = true;
                c.commit();
                return result;
            } catch (SQLException e) {
                if (wentAway(pool, c, e)) {
                    if (committing || reopened) {
                        throw unavailable(what, e);
                    }
                    reopened = true;
                    continue;
                }
                rollbackQuietly(c, e);
                retryOrThrow(e, attempt, what);
            } catch (RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                closeQuietly(c);
            }
        }
    }

    /**
     * A connection of {@code pool} with auto-commit as asked, or null when the database went away (the pool is
     * dropped: the caller tries once more on a new one; {@code reopened} says it did already).
     */
    private Connection connect(Pool pool, String what, boolean autoCommit, boolean reopened) {
        try {
            Connection c = pool.dataSource().getConnection();
            c.setAutoCommit(autoCommit);
            return c;
        } catch (SQLException | IllegalStateException e) {
            // IllegalStateException: another thread dropped the pool (it went away) just now
            if (isPoolTimeout(e)) {
                throw cannot(what, (SQLException) e);
            }
            wentAway(pool, e);
            if (reopened) {
                throw unavailable(what, e);
            }
            return null;
        }
    }

    /** Runs a query of several statements in one transaction, so it reads what was committed as a whole. */
    <T> T read(String what, Work<T> work) {
        return write(what, work);
    }

    /**
     * Runs {@code work} with auto-commit, each statement on its own. A failure that {@code expected} gives a
     * meaning to is that result; otherwise a transient conflict runs it again. Not run again when the database
     * went away while it ran: a statement may have been committed.
     */
    <T> T autoCommit(String what, Work<T> work, Expected<T> expected) {
        boolean reopened = false;
        for (int attempt = 1;; attempt++) {
            Pool pool = pool(what);
            Connection c = connect(pool, what, true, reopened);
            if (c == null) {
                reopened = true;
                continue;
            }
            try {
                return work.run(c);
            } catch (SQLException e) {
                if (wentAway(pool, c, e)) {
                    throw unavailable(what, e);
                }
                Optional<T> meant = expected.of(e);
                if (meant.isPresent()) {
                    return meant.get();
                }
                retryOrThrow(e, attempt, what);
            } finally {
                closeQuietly(c);
            }
        }
    }

    /** Whether {@code e} on {@code c} means the database went away; if so the pool is dropped. */
    private boolean wentAway(Pool pool, Connection c, SQLException e) {
        if (isUnavailable(e) || !isValid(c)) {
            wentAway(pool, e);
            return true;
        }
        return false;
    }

    /**
     * Whether the database answers now: a connection from the pool that the database confirms valid. Reconnects
     * when it was away (at most once per {@link #REOPEN_INTERVAL}); does not wait for a ledger still opening.
     *
     * @throws LedgerUnavailableException when it does not answer
     * @throws LedgerException            when it could not be opened at all, or is closed
     */
    void check() {
        if (!firstOpen.isDone()) {
            throw unavailable("check the database", null);
        }
        write("check the database", c -> {
            if (!c.isValid(VALID_SECONDS)) {
                throw new SQLNonTransientConnectionException("the connection is no longer valid", "08003");
            }
            return null;
        });
    }

    private void retryOrThrow(SQLException e, int attempt, String what) {
        if (attempt < TRANSIENT_RETRIES && isTransient(e)) {
            return;
        }
        throw cannot(what, e);
    }

    LedgerException cannot(String what, SQLException e) {
        return new LedgerException("ledger at " + settings.safeUrl() + ": cannot " + what + ": "
                + scrubbed(e.getMessage()), e);
    }

    static boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    /**
     * Serialization failures and deadlocks (class 40, both databases), H2's concurrent update of one row (90131)
     * and lock timeout (HYT00): the statement can simply run again.
     */
    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("40") || state.equals("90131") || state.equals("HYT00"));
    }

    /**
     * Whether {@code e} (or what it wraps) says the database cannot be reached or used at the moment: connection
     * errors (SQLSTATE class 08, and the JDBC classes for them), PostgreSQL shutting down or starting (57P0x), out
     * of resources such as disk (53) or an I/O error (58), H2's codes for a closed or unwritable database, an I/O
     * exception underneath.
     */
    static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
                        || state.startsWith("58") || H2_UNAVAILABLE.contains(state)) {
                    return true;
                }
            }
            if (t.getClass().getName().equals("org.h2.mvstore.MVStoreException")) {
                return true;
            }
        }
        return false;
    }

    /** H2's pool waited its login timeout for one of its connections: all busy, none broken. */
    private static boolean isPoolTimeout(Exception e) {
        return e instanceof SQLException sql && "08001".equals(sql.getSQLState()) && sql.getErrorCode() == 8001;
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(VALID_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Closes the pooled connections, then the embedded database's last one; a database still opening in the
     * background is waited for first, one that could not be opened has nothing to close.
     */
    @Override
    public void close() {
        firstOpen.join();
        reopening.lock();
        try {
            State s = state;
            state = new Closed();
            if (s instanceof Up up) {
                up.pool().dispose();
            }
        } finally {
            reopening.unlock();
        }
    }

    private static JdbcDataSource h2DataSource(LedgerSettings settings) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(settings.url());
        ds.setUser(settings.user());
        ds.setPassword(settings.password());
        return ds;
    }

    private static PGConnectionPoolDataSource pgDataSource(LedgerSettings settings) {
        PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
        ds.setURL(settings.url());
        ds.setUser(settings.user());
        ds.setPassword(settings.password());
        return ds;
    }

    /**
     * Connections kept in a pool (H2's own, for either database): a ledger call runs on an open session instead of
     * a new session (and, for PostgreSQL, a new login) every call.
     */
    private static JdbcConnectionPool pool(ConnectionPoolDataSource source) {
        JdbcConnectionPool pool = JdbcConnectionPool.create(source);
        pool.setMaxConnections(POOL_SIZE);
        return pool;
    }

    private static void rollbackQuietly(Connection c, Exception primary) {
        try {
            c.rollback();
        } catch (SQLException e) {
            primary.addSuppressed(e);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // a connection of a database that went away
        }
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
