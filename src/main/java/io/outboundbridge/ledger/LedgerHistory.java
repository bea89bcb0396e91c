package io.outboundbridge.ledger;

import static io.outboundbridge.ledger.LedgerRows.bounded;
import static io.outboundbridge.ledger.LedgerRows.generatedId;
import static io.outboundbridge.ledger.LedgerRows.nullableLong;
import static io.outboundbridge.ledger.LedgerRows.timestamp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ledger checked against, and completed from, the outcome files of past runs: a ledger restored from an old
 * backup, or cut short, has lost runs the vendor confirmed, and would send their contents again under new names.
 * Behind {@link Ledger}.
 */
final class LedgerHistory {

    /** The stage of a run recorded from its outcome file that has none of its own. */
    static final String RESTORED_STAGE = "restored";

    private final LedgerDatabase db;
    private final String owner;

    LedgerHistory(LedgerDatabase db, String owner) {
        this.db = db;
        this.owner = bounded(owner, LedgerSql.OWNER_MAX);
    }

    /** What the ledger holds of a content: whether a run holds it, and per vendor task id the customers confirmed. */
    private record Content(boolean claimed, Map<Long, Long> tasks) {
    }

    /** What the ledger holds of some contents; a content it has no run of (refused duplicates aside) is absent. */
    private record Held(Map<String, Content> byContent) {

        /**
         * Whether the ledger holds {@code run}: a run of its content with every task id it names and at least its
         * customers, and for a run that went through, a run that holds the content (a drop of it is refused).
         */
        boolean holds(PastRun run) {
            Content content = byContent.get(run.sha256());
            if (content == null || (run.done() && !content.claimed())) {
                return false;
            }
            for (PastRun.Task t : run.tasks()) {
                if (t.taskId() != null && content.tasks().getOrDefault(t.taskId(), -1L) < t.customers()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The run that holds a content, or a run a report's task names belong to. */
    private record Run(long id, FileState state, String fileName) {
    }

    List<PastRun> unrecorded(List<PastRun> runs) {
        List<PastRun> confirmed = runs.stream().filter(PastRun::vendorConfirmed).toList();
        List<String> contents = confirmed.stream().map(PastRun::sha256).distinct().toList();
        Map<String, Content> held = new HashMap<>();
        for (int from = 0; from < contents.size(); from += LedgerSql.BATCH) {
            List<String> batch = contents.subList(from, Math.min(contents.size(), from + LedgerSql.BATCH));
            held.putAll(db.read("read the history of " + batch.size() + " contents", c -> held(c, batch).byContent()));
        }
        Held ledger = new Held(held);
        return confirmed.stream().filter(r -> !ledger.holds(r)).toList();
    }

    PastRun.Restoration restore(PastRun run) {
        if (!run.vendorConfirmed()) {
            throw new IllegalArgumentException(run.source() + ": the vendor confirmed nothing of this run: there is "
                    + "nothing to restore");
        }
        return db.write("record " + run.source() + " from its outcome file", c -> {
            if (held(c, List.of(run.sha256())).holds(run)) {
                return new PastRun.Restoration(PastRun.Restored.ALREADY_KNOWN, null);
            }
            Optional<Run> existing = runOfTasks(c, run);
            if (existing.isEmpty()) {
                // a backup taken before the run planned its first task
                Optional<Run> holder = holder(c, run.sha256());
                if (holder.isPresent() && holder.get().state() == FileState.IN_PROGRESS
                        && count(c, LedgerSql.COUNT_TASKS_OF_FILE, holder.get().id()) == 0) {
                    existing = holder;
                }
            }
            return existing.isPresent() ? complete(c, existing.get(), run) : record(c, run);
        });
    }

    /** Records {@code run} as a run of its own. */
    private PastRun.Restoration record(Connection c, PastRun run) throws SQLException {
        Optional<Run> holder = holder(c, run.sha256());
        FileState state = run.done() && holder.isEmpty() ? FileState.DONE : FileState.FAILED;
        String stage = state == FileState.DONE ? null : run.done() || run.stage() == null ? RESTORED_STAGE : run.stage();
        long id;
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSERT_RESTORED_FILE,
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, run.sha256());
            ps.setString(2, bounded(run.fileName(), LedgerSql.FILE_NAME_MAX));
            ps.setString(3, bounded(run.profile(), LedgerSql.PROFILE_MAX));
            ps.setString(4, state.name());
            ps.setString(5, state == FileState.DONE ? run.sha256() : null);
            ps.setString(6, owner);
            ps.setObject(7, timestamp(run.start()));
            ps.setObject(8, timestamp(end(run)));
            setLong(ps, 9, run.rows());
            setLong(ps, 10, run.accepted());
            setLong(ps, 11, run.rejected());
            ps.setString(12, bounded(stage, LedgerSql.STAGE_MAX));
            ps.executeUpdate();
            id = generatedId(ps);
        }
        addTasks(c, id, run);
        return holder.isPresent() ? new PastRun.Restoration(PastRun.Restored.SENT_TWICE, holder.get().fileName())
                : new PastRun.Restoration(PastRun.Restored.RECORDED, null);
    }

    /** Completes a run the ledger has part of (a backup taken while it ran) from its report. */
    private PastRun.Restoration complete(Connection c, Run existing, PastRun run) throws SQLException {
        addTasks(c, existing.id(), run);
        if (existing.state() == FileState.DONE || (existing.state() == FileState.FAILED && !run.done())) {
            return new PastRun.Restoration(PastRun.Restored.COMPLETED, null);
        }
        Optional<Run> holder = holder(c, run.sha256()).filter(h -> h.id() != existing.id());
        if (run.done() && holder.isPresent()) {
            // another run holds the content since this one failed: this one stays failed
            return new PastRun.Restoration(PastRun.Restored.SENT_TWICE, holder.get().fileName());
        }
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.FINISH_RESTORED)) {
            ps.setString(1, run.done() ? FileState.DONE.name() : FileState.FAILED.name());
            ps.setString(2, run.done() ? run.sha256() : null);
            setLong(ps, 3, run.rows());
            setLong(ps, 4, run.accepted());
            setLong(ps, 5, run.rejected());
            ps.setString(6, run.done() ? null : bounded(run.stage() == null ? RESTORED_STAGE : run.stage(),
                    LedgerSql.STAGE_MAX));
            ps.setObject(7, timestamp(end(run)));
            ps.setLong(8, existing.id());
            ps.executeUpdate();
        }
        return new PastRun.Restoration(PastRun.Restored.COMPLETED, null);
    }

    /**
     * Records the report's tasks in run {@code fileId}: a task it lacks under its report name (reserved for good),
     * a vendor id it lacks, and the requests the vendor confirmed.
     */
    private void addTasks(Connection c, long fileId, PastRun run) throws SQLException {
        Map<String, TaskRef> tasks = new LinkedHashMap<>();
        Set<Integer> indexes = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.TASKS_OF_FILE)) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TaskRef t = new TaskRef(rs.getInt(1), rs.getString(2), nullableLong(rs, 3));
                    tasks.put(t.taskName(), t);
                    indexes.add(t.taskIndex());
                }
            }
        }
        Instant at = end(run);
        for (int position = 0; position < run.tasks().size(); position++) {
            PastRun.Task task = run.tasks().get(position);
            String name = bounded(task.taskName(), LedgerSql.TASK_NAME_MAX);
            TaskRef known = tasks.get(name);
            int index;
            if (known == null) {
                index = indexes.contains(position + 1) ? indexes.stream().mapToInt(i -> i).max().orElse(0) + 1
                        : position + 1;
                indexes.add(index);
                reserve(c, name, at);
                try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSERT_RESTORED_TASK)) {
                    ps.setLong(1, fileId);
                    ps.setInt(2, index);
                    ps.setString(3, name);
                    setLong(ps, 4, task.taskId());
                    if (task.taskId() == null) {
                        ps.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
                    } else {
                        ps.setObject(5, timestamp(at));
                    }
                    ps.executeUpdate();
                }
            } else {
                index = known.taskIndex();
                if (task.taskId() != null && known.vendorTaskId() != null
                        && !known.vendorTaskId().equals(task.taskId())) {
                    throw new IllegalStateException(run.source() + ": task " + name + " has vendor id "
                            + known.vendorTaskId() + " in the ledger, " + task.taskId() + " in the outcome file");
                }
                if (task.taskId() != null && known.vendorTaskId() == null) {
                    try (PreparedStatement ps = c.prepareStatement(LedgerSql.SET_VENDOR_TASK_ID)) {
                        ps.setLong(1, task.taskId());
                        ps.setObject(2, timestamp(at));
                        ps.setLong(3, fileId);
                        ps.setInt(4, index);
                        ps.executeUpdate();
                    }
                }
            }
            if (task.taskId() != null) {
                confirmRequests(c, fileId, index, task, run);
            }
        }
    }

    /**
     * Records requests 1 to {@code task.requests()} as confirmed, the task's customers spread over those not
     * confirmed yet (the report has each task's total, not each request's).
     */
    private static void confirmRequests(Connection c, long fileId, int index, PastRun.Task task, PastRun run)
            throws SQLException {
        Map<Integer, String> states = new HashMap<>();
        long confirmedCustomers = 0;
        int lastConfirmed = 0;
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.REQUESTS_OF_TASK)) {
            ps.setLong(1, fileId);
            ps.setInt(2, index);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getInt(1), rs.getString(2));
                    if ("CONFIRMED".equals(rs.getString(2))) {
                        confirmedCustomers += rs.getInt(3);
                        lastConfirmed = Math.max(lastConfirmed, rs.getInt(1));
                    }
                }
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int sequence = 1; sequence <= Math.max(1, task.requests()); sequence++) {
            if (!"CONFIRMED".equals(states.get(sequence))) {
                missing.add(sequence);
            }
        }
        long remaining = Math.max(0, task.customers() - confirmedCustomers);
        if (missing.isEmpty()) {
            if (remaining > 0) {
                // the report counts more customers than the requests it counts carry in the ledger: the last one
                // takes them, so the ledger holds what the vendor confirmed
                try (PreparedStatement ps = c.prepareStatement(LedgerSql.ADD_CUSTOMERS_TO_REQUEST)) {
                    ps.setInt(1, Math.toIntExact(remaining));
                    ps.setLong(2, fileId);
                    ps.setInt(3, index);
                    ps.setInt(4, lastConfirmed);
                    ps.executeUpdate();
                }
            }
            return;
        }
        String message = bounded("recorded from " + run.source() + " by ledger-restore", LedgerSql.VENDOR_MESSAGE_MAX);
        Instant at = end(run);
        for (int i = 0; i < missing.size(); i++) {
            int sequence = missing.get(i);
            int customers = Math.toIntExact(remaining / missing.size() + (i < remaining % missing.size() ? 1 : 0));
            if (states.containsKey(sequence)) {
                try (PreparedStatement ps = c.prepareStatement(LedgerSql.CONFIRM_RESTORED_REQUEST)) {
                    ps.setInt(1, customers);
                    ps.setString(2, message);
                    ps.setObject(3, timestamp(at));
                    ps.setLong(4, fileId);
                    ps.setInt(5, index);
                    ps.setInt(6, sequence);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSERT_RESTORED_REQUEST)) {
                    ps.setLong(1, fileId);
                    ps.setInt(2, index);
                    ps.setInt(3, sequence);
                    ps.setInt(4, customers);
                    ps.setString(5, message);
                    ps.setObject(6, timestamp(at));
                    ps.setObject(7, timestamp(at));
                    ps.executeUpdate();
                }
            }
        }
    }

    /** Reserves a task name for good unless it is reserved already. */
    private static void reserve(Connection c, String name, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.TASK_NAME_RESERVED)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.RESERVE_TASK_NAME)) {
            ps.setString(1, name);
            ps.setObject(2, timestamp(at));
            ps.executeUpdate();
        }
    }

    /**
     * The run the report's task names belong to in the ledger, if any.
     *
     * @throws IllegalStateException when they belong to a list of another content, or to several runs
     */
    private static Optional<Run> runOfTasks(Connection c, PastRun run) throws SQLException {
        List<String> names = run.tasks().stream().map(t -> bounded(t.taskName(), LedgerSql.TASK_NAME_MAX))
                .distinct().toList();
        if (names.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, Run> runs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.tasksNamed(names.size()))) {
            for (int i = 0; i < names.size(); i++) {
                ps.setString(i + 1, names.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!run.sha256().equals(rs.getString(5))) {
                        throw new IllegalStateException(run.source() + ": task " + rs.getString(1) + " belongs to "
                                + rs.getString(7) + " in the ledger, a list of other content");
                    }
                    runs.put(rs.getLong(2), new Run(rs.getLong(2), FileState.valueOf(rs.getString(6)),
                            rs.getString(7)));
                }
            }
        }
        if (runs.size() > 1) {
            throw new IllegalStateException(run.source() + ": its tasks " + run.taskList() + " belong to "
                    + runs.size() + " runs in the ledger");
        }
        return runs.values().stream().findFirst();
    }

    /** The run that holds the content (in progress or done), if any. */
    private static Optional<Run> holder(Connection c, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.FILE_BY_CLAIM)) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Run(rs.getLong("id"), FileState.valueOf(rs.getString("state")),
                        rs.getString("file_name"))) : Optional.empty();
            }
        }
    }

    /** What the ledger holds of {@code contents}, at most {@link LedgerSql#BATCH} of them. */
    private static Held held(Connection c, List<String> contents) throws SQLException {
        Map<String, Content> held = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.contentHistory(LedgerSql.BATCH))) {
            for (int i = 0; i < LedgerSql.BATCH; i++) {
                ps.setString(i + 1, contents.get(Math.min(i, contents.size() - 1)));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String sha256 = rs.getString(1);
                    Content known = held.getOrDefault(sha256, new Content(false, new HashMap<>()));
                    Content content = rs.getString(2) == null || known.claimed() ? known
                            : new Content(true, known.tasks());
                    Long id = nullableLong(rs, 3);
                    if (id != null) {
                        content.tasks().merge(id, "CONFIRMED".equals(rs.getString(4)) ? rs.getLong(5) : 0L, Long::sum);
                    }
                    held.put(sha256, content);
                }
            }
        }
        return new Held(held);
    }

    private static long count(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Instant end(PastRun run) {
        return run.end() == null ? run.start() : run.end();
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
