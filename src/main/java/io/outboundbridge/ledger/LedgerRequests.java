package io.outboundbridge.ledger;

import static io.outboundbridge.ledger.LedgerRows.bounded;
import static io.outboundbridge.ledger.LedgerRows.timestamp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The ledger's records of vendor calls: a request is recorded as sent before it is posted and as confirmed or
 * failed when the vendor answers, so a confirmed request is never sent again. Behind {@link Ledger}.
 */
final class LedgerRequests {

    private final LedgerDatabase db;
    private final Clock clock;
    private final String instance;

    LedgerRequests(LedgerDatabase db, Clock clock, String instance) {
        this.db = db;
        this.clock = clock;
        this.instance = bounded(instance, LedgerSql.OWNER_MAX);
    }

    void requestSent(long fileId, int taskIndex, int sequence, int customers, Long fence) {
        String what = "record request " + taskIndex + "/" + sequence + " of file " + fileId + " as sent";
        for (int attempt = 1;; attempt++) {
            try {
                db.write(what, c -> {
                    sent(c, fileId, taskIndex, sequence, customers, fence);
                    return null;
                });
                return;
            } catch (LedgerException e) {
                if (!(e.getCause() instanceof SQLException sql) || !LedgerDatabase.isUniqueViolation(sql)
                        || attempt >= LedgerDatabase.TRANSIENT_RETRIES) {
                    throw e;
                }
                // another thread inserted the same request first: look again
            }
        }
    }

    void requestConfirmed(long fileId, int taskIndex, int sequence, String code, String message, Long fence) {
        if (sequence == 1) {
            throw new IllegalArgumentException("request 1 is the create: confirm it with taskCreated");
        }
        answerOrThrow(fileId, taskIndex, sequence, "CONFIRMED", code, message, fence);
    }

    void appendConfirmed(long fileId, int taskIndex, int sequence, int customers, String code, String message,
            Long fence) {
        if (sequence == 1) {
            throw new IllegalArgumentException("request 1 is the create: confirm it with taskCreated");
        }
        String what = "record request " + taskIndex + "/" + sequence + " of file " + fileId + " as confirmed";
        if (insertConfirmedAppend(what, fileId, taskIndex, sequence, customers, code, message, fence)) {
            return;
        }
        // an earlier attempt left a row, or the task is not ready for appends: the same checks as requestSent (but
        // no fence: what the vendor confirmed is recorded whoever holds the run now)
        db.write(what, c -> {
            sent(c, fileId, taskIndex, sequence, customers, null);
            if (!answer(c, fileId, taskIndex, sequence, "CONFIRMED", code, message, fence)) {
                throw new IllegalStateException("request " + taskIndex + "/" + sequence + " of file " + fileId
                        + " cannot be confirmed: it is " + requestState(c, fileId, taskIndex, sequence).orElse("?"));
            }
            return null;
        });
    }

    /** The common case of {@link #appendConfirmed}: one row inserted, one statement; false when it does not apply. */
    private boolean insertConfirmedAppend(String what, long fileId, int taskIndex, int sequence, int customers,
            String code, String message, Long fence) {
        return db.autoCommit(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSERT_CONFIRMED_APPEND)) {
                OffsetDateTime now = timestamp(clock.instant());
                ps.setInt(1, sequence);
                ps.setInt(2, customers);
                ps.setObject(3, now);
                ps.setString(4, bounded(code, LedgerSql.VENDOR_CODE_MAX));
                ps.setString(5, bounded(message, LedgerSql.VENDOR_MESSAGE_MAX));
                ps.setObject(6, now);
                ps.setString(7, instance);
                ps.setObject(8, fence, java.sql.Types.BIGINT);
                ps.setLong(9, fileId);
                ps.setInt(10, taskIndex);
                return ps.executeUpdate() == 1;
            }
        }, e -> LedgerDatabase.isUniqueViolation(e) || LedgerDatabase.isTransient(e) ? Optional.of(false)
                : Optional.empty());
    }

    void requestFailed(long fileId, int taskIndex, int sequence, String code, String message, Long fence) {
        answerOrThrow(fileId, taskIndex, sequence, "FAILED", code, message, fence);
    }

    /**
     * Records a request as sent; with a {@code fence}, only while the run is still this instance's under that fence:
     * else {@link ClaimLostException} and nothing is recorded (nor, by the caller, sent).
     */
    private void sent(Connection c, long fileId, int taskIndex, int sequence, int customers, Long fence)
            throws SQLException {
        String request = "request " + taskIndex + "/" + sequence + " of file " + fileId;
        if (fence != null) {
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.RUN_FENCE)) {
                ps.setLong(1, fileId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && (!instance.equals(rs.getString(1)) || rs.getLong(2) != fence)) {
                        throw new ClaimLostException(request + ": the run was taken over by " + rs.getString(1)
                                + " (fence " + rs.getLong(2) + ", ours " + fence + ")");
                    }
                }
            }
        }
        Long vendorTaskId;
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.VENDOR_TASK_ID_OF)) {
            ps.setLong(1, fileId);
            ps.setInt(2, taskIndex);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException(request + ": task " + taskIndex + " is not planned");
                }
                vendorTaskId = LedgerRows.nullableLong(rs, 1);
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
                ps.setString(3, instance);
                ps.setObject(4, fence, java.sql.Types.BIGINT);
                bindRequest(ps, 5, fileId, taskIndex, sequence);
                ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSERT_REQUEST)) {
                bindRequest(ps, 1, fileId, taskIndex, sequence);
                ps.setInt(4, customers);
                ps.setObject(5, timestamp(clock.instant()));
                ps.setString(6, instance);
                ps.setObject(7, fence, java.sql.Types.BIGINT);
                ps.executeUpdate();
            }
        }
    }

    private void answerOrThrow(long fileId, int taskIndex, int sequence, String state, String code, String message,
            Long fence) {
        db.write("record answer to request " + taskIndex + "/" + sequence + " of file " + fileId, c -> {
            if (!answer(c, fileId, taskIndex, sequence, state, code, message, fence)) {
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
    boolean answer(Connection c, long fileId, int taskIndex, int sequence, String state, String code,
            String message, Long fence) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.ANSWER_REQUEST)) {
            ps.setString(1, state);
            ps.setString(2, bounded(code, LedgerSql.VENDOR_CODE_MAX));
            ps.setString(3, bounded(message, LedgerSql.VENDOR_MESSAGE_MAX));
            ps.setObject(4, timestamp(clock.instant()));
            ps.setString(5, instance);
            ps.setObject(6, fence, java.sql.Types.BIGINT);
            bindRequest(ps, 7, fileId, taskIndex, sequence);
            return ps.executeUpdate() == 1;
        }
    }

    Optional<String> requestState(Connection c, long fileId, int taskIndex, int sequence) throws SQLException {
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
}
