package io.outboundbridge.ledger;

import static io.outboundbridge.ledger.LedgerRows.nullableLong;
import static io.outboundbridge.ledger.LedgerRows.timestamp;

import io.outboundbridge.task.TaskNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's records of vendor tasks: names reserved for good (the vendor refuses a name used before), the tasks
 * of a run and their vendor ids. Behind {@link Ledger}.
 */
final class LedgerTasks {

    private final LedgerDatabase db;
    private final LedgerRequests requests;
    private final Clock clock;

    LedgerTasks(LedgerDatabase db, LedgerRequests requests, Clock clock) {
        this.db = db;
        this.requests = requests;
        this.clock = clock;
    }

    String uniqueTaskName(String wanted) {
        for (int n = 1; n <= Ledger.MAX_NAME_SUFFIX; n++) {
            String candidate = n == 1 ? TaskNames.fit(wanted) : TaskNames.suffixed(wanted, "(" + n + ")");
            if (reserve(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free task name for '" + wanted + "' up to suffix (" + Ledger.MAX_NAME_SUFFIX
                + ")");
    }

    private boolean reserve(String name) {
        return db.autoCommit("reserve task name '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.RESERVE_TASK_NAME)) {
                ps.setString(1, name);
                ps.setObject(2, timestamp(clock.instant()));
                ps.executeUpdate();
                return true;
            }
        }, e -> LedgerDatabase.isUniqueViolation(e) ? Optional.of(false) : Optional.empty());
    }

    void taskPlanned(long fileId, int taskIndex, String taskName) {
        db.write("plan task " + taskIndex + " of file " + fileId, c -> {
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
                if (LedgerDatabase.isUniqueViolation(e)) {
                    throw new IllegalStateException("task name '" + taskName + "' belongs to another task", e);
                }
                if (LedgerDatabase.FOREIGN_KEY_VIOLATIONS.contains(e.getSQLState())) {
                    throw new IllegalStateException("file " + fileId + " is unknown or task name '" + taskName
                            + "' was not reserved with uniqueTaskName", e);
                }
                throw e;
            }
            return null;
        });
    }

    void taskCreated(long fileId, int taskIndex, long vendorTaskId, String code, String message, Long fence) {
        db.write("record created task " + taskIndex + " of file " + fileId, c -> {
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
            if (!requests.answer(c, fileId, taskIndex, 1, "CONFIRMED", code, message, fence)
                    && !"CONFIRMED".equals(requests.requestState(c, fileId, taskIndex, 1).orElse(null))) {
                throw new IllegalStateException("the create of task " + taskIndex + " of file " + fileId
                        + " was not recorded as sent");
            }
            return null;
        });
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

    List<TaskRef> tasksOf(Connection c, long fileId) throws SQLException {
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

    List<TaskProgress> taskProgress(Connection c, long fileId) throws SQLException {
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
}
