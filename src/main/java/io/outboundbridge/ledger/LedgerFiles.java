package io.outboundbridge.ledger;

import static io.outboundbridge.ledger.LedgerRows.bounded;
import static io.outboundbridge.ledger.LedgerRows.generatedId;
import static io.outboundbridge.ledger.LedgerRows.instant;
import static io.outboundbridge.ledger.LedgerRows.nullableLong;
import static io.outboundbridge.ledger.LedgerRows.timestamp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's records of runs: which content a run holds, who runs it, how it ended, and how far it got. One unique
 * index lets one run hold a content at a time. Behind {@link Ledger}.
 */
final class LedgerFiles {

    private final LedgerDatabase db;
    private final LedgerTasks tasks;
    private final String owner;
    private final java.math.BigDecimal lease;

    LedgerFiles(LedgerDatabase db, LedgerTasks tasks, String owner, java.math.BigDecimal lease) {
        this.db = db;
        this.tasks = tasks;
        this.owner = bounded(owner, LedgerSql.OWNER_MAX);
        this.lease = lease;
    }

    FileEntry begin(String sha256, String wantedFileName, String wantedProfile, Instant start)
            throws DuplicateContentException {
        String fileName = bounded(wantedFileName, LedgerSql.FILE_NAME_MAX);
        String profile = bounded(wantedProfile, LedgerSql.PROFILE_MAX);
        String what = "begin " + fileName;
        for (int attempt = 1; attempt <= LedgerDatabase.TRANSIENT_RETRIES; attempt++) {
            // auto-commit: a claim lost to another run (unique violation) must not abort the look-up that follows
            Object outcome = db.autoCommit(what, c -> {
                Optional<FileEntry> claimed = tryClaim(c, sha256, fileName, profile, start);
                if (claimed.isPresent()) {
                    return claimed.get();
                }
                Optional<DuplicateContent> earlier = holderOf(c, sha256);
                if (earlier.isPresent()) {
                    long refused = insertDuplicate(c, sha256, fileName, profile, start);
                    return new DuplicateContentException(refused, fileName, earlier.get());
                }
                // the holder failed between our insert and our look-up: the content is free again
                return null;
            }, e -> Optional.empty());
            if (outcome instanceof FileEntry entry) {
                return entry;
            }
            if (outcome instanceof DuplicateContentException duplicate) {
                throw duplicate;
            }
        }
        throw new LedgerException(what + ": the content's claim kept changing, gave up after "
                + LedgerDatabase.TRANSIENT_RETRIES + " attempts", null);
    }

    Optional<FileEntry> resumable(String sha256) {
        return db.read("find resumable content",
                c -> fileByClaim(c, sha256).filter(f -> f.state() == FileState.IN_PROGRESS));
    }

    FileEntry resume(String sha256, Instant now) {
        return db.write("resume " + sha256, c -> {
            if (!resume(c, LedgerSql.RESUME, sha256, now)) {
                throw new IllegalStateException("no unfinished run holds content " + sha256);
            }
            return fileByClaim(c, sha256).orElseThrow();
        });
    }

    Optional<FileEntry> takeOver(String sha256, Instant now) {
        return db.write("take over " + sha256, c -> resume(c, LedgerSql.TAKE_OVER_RUN, sha256, now)
                ? fileByClaim(c, sha256) : Optional.<FileEntry>empty());
    }

    Optional<String> liveOwner(String sha256) {
        return db.read("read the lease of " + sha256, c -> {
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.RUN_LEASE_LIVE)) {
                ps.setString(1, sha256);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    private boolean resume(Connection c, String sql, String sha256, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            ps.setObject(2, timestamp(now));
            ps.setBigDecimal(3, lease);
            ps.setString(4, sha256);
            return ps.executeUpdate() == 1;
        }
    }

    void finish(long fileId, FileState state, long rows, long accepted, long rejected, String stage, Instant end) {
        if (state == FileState.IN_PROGRESS) {
            throw new IllegalArgumentException("a run finishes DONE or FAILED, not " + state);
        }
        db.write("finish file " + fileId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    state == FileState.DONE ? LedgerSql.FINISH_DONE : LedgerSql.FINISH_FAILED)) {
                ps.setLong(1, rows);
                ps.setLong(2, accepted);
                ps.setLong(3, rejected);
                ps.setString(4, bounded(stage, LedgerSql.STAGE_MAX));
                ps.setObject(5, timestamp(end));
                ps.setLong(6, fileId);
                if (ps.executeUpdate() == 0) {
                    throw new IllegalStateException("file " + fileId + " is not an unfinished run");
                }
            }
            return null;
        });
    }

    Progress progress(long fileId) {
        return db.read("read progress of file " + fileId, c -> {
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
            return new Progress(fileId, file.state(), tasks.taskProgress(c, fileId), unanswered);
        });
    }

    List<FileSummary> recent(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1 (found " + n + ")");
        }
        return db.read("read recent files", c -> summaries(c, LedgerSql.RECENT_FILES, ps -> ps.setInt(1, n)));
    }

    Optional<FileSummary> latestRun(String sha256) {
        return db.read("find the latest run of " + sha256,
                c -> summaries(c, LedgerSql.LATEST_RUN, ps -> ps.setString(1, sha256)).stream().findFirst());
    }

    private List<FileSummary> summaries(Connection c, String sql, LedgerDatabase.Binder binder) throws SQLException {
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
                    f.end(), f.rows(), f.accepted(), f.rejected(), f.stage(), tasks.taskProgress(c, f.fileId())));
        }
        return withTasks;
    }

    private Optional<FileEntry> tryClaim(Connection c, String sha256, String fileName, String profile, Instant start)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSERT_CLAIM, Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, sha256);
            ps.setString(2, fileName);
            ps.setString(3, profile);
            ps.setString(4, sha256);
            ps.setString(5, owner);
            ps.setObject(6, timestamp(start));
            ps.setBigDecimal(7, lease);
            ps.executeUpdate();
            return Optional.of(new FileEntry(generatedId(ps), sha256, fileName, profile, FileState.IN_PROGRESS, owner,
                    start, null, 1));
        } catch (SQLException e) {
            if (LedgerDatabase.isUniqueViolation(e)) {
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
                        tasks.tasksOf(c, id)));
            }
        }
    }

    private Optional<FileEntry> fileByClaim(Connection c, String sha256) throws SQLException {
        return file(c, LedgerSql.FILE_BY_CLAIM, ps -> ps.setString(1, sha256));
    }

    private Optional<FileEntry> fileById(Connection c, long id) throws SQLException {
        return file(c, LedgerSql.FILE_BY_ID, ps -> ps.setLong(1, id));
    }

    private Optional<FileEntry> file(Connection c, String sql, LedgerDatabase.Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new FileEntry(rs.getLong("id"), rs.getString("sha256"), rs.getString("file_name"),
                        rs.getString("profile"), FileState.valueOf(rs.getString("state")), rs.getString("owner"),
                        instant(rs, "started_at"), instant(rs, "resumed_at"), rs.getLong("fence")));
            }
        }
    }
}
