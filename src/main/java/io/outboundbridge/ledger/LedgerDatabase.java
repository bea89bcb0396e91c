package io.outboundbridge.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
 * The ledger's database plumbing, apart from what the ledger records: opening and migrating the database (Flyway),
 * the connection pool, one transaction per unit of work, and running a unit again after a transient conflict. The
 * operations ({@link LedgerFiles}, {@link LedgerTasks}, {@link LedgerRequests}) only say what to read and write.
 */
final class LedgerDatabase implements AutoCloseable {

    static final int TRANSIENT_RETRIES = 5;
    static final String UNIQUE_VIOLATION = "23505";
    /** PostgreSQL's and H2's codes for a reference to a missing row. */
    static final List<String> FOREIGN_KEY_VIOLATIONS = List.of("23503", "23506");

    /** At most this many ledger calls at once (tasks of several lists are sent side by side). */
    private static final int POOL_SIZE = 16;

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

    private final LedgerSettings settings;
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

    private LedgerDatabase(LedgerSettings settings, CompletableFuture<Opened> opened) {
        this.settings = settings;
        this.opened = opened;
    }

    /** Opens the database and brings its schema up to date before it returns. */
    static LedgerDatabase open(LedgerSettings settings) {
        return new LedgerDatabase(settings, CompletableFuture.completedFuture(migrate(settings)));
    }

    /** Opens the database and brings its schema up to date on a thread of its own; every call waits for it. */
    static LedgerDatabase openInBackground(LedgerSettings settings) {
        CompletableFuture<Opened> opened = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                opened.complete(migrate(settings));
            } catch (Throwable e) {
                opened.completeExceptionally(e);
            }
        }, "outbound-bridge-ledger-open");
        opener.start();
        return new LedgerDatabase(settings, opened);
    }

    LedgerSettings settings() {
        return settings;
    }

    /** Waits until the database is open; throws what opening it threw. */
    void awaitOpen() {
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
            Flyway.configure(LedgerDatabase.class.getClassLoader())
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

    /** Runs {@code work} in one transaction; run again when the database reports a transient conflict. */
    <T> T write(String what, Work<T> work) {
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
    <T> T read(String what, Work<T> work) {
        return write(what, work);
    }

    /**
     * Runs {@code work} (a single statement) with auto-commit, without a transaction of its own. A failure that
     * {@code expected} gives a meaning to is that result; otherwise a transient conflict runs it again.
     */
    <T> T autoCommit(String what, Work<T> work, Expected<T> expected) {
        for (int attempt = 1;; attempt++) {
            try (Connection c = connection()) {
                c.setAutoCommit(true);
                return work.run(c);
            } catch (SQLException e) {
                Optional<T> meant = expected.of(e);
                if (meant.isPresent()) {
                    return meant.get();
                }
                retryOrThrow(e, attempt, what);
            }
        }
    }

    private void retryOrThrow(SQLException e, int attempt, String what) {
        if (attempt < TRANSIENT_RETRIES && isTransient(e)) {
            return;
        }
        throw cannot(what, e);
    }

    LedgerException cannot(String what, SQLException e) {
        return new LedgerException("ledger at " + settings.safeUrl() + ": cannot " + what + ": " + e.getMessage(), e);
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
     * Closes the pooled connections, then the embedded database's last one; a database still opening in the
     * background is waited for first, one that could not be opened has nothing to close.
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
