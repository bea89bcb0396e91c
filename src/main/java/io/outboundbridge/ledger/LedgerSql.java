package io.outboundbridge.ledger;

/** Every statement of the ledger, in one place: portable SQL for H2 2.x and PostgreSQL (schema: V1__ledger.sql). */
final class LedgerSql {

    // The widest text each column holds (characters): text from outside is shortened to fit before it is stored
    // (LedgerRows.bounded). LedgerContractTest checks them against the schema.

    /** {@code ledger_file.file_name}. */
    static final int FILE_NAME_MAX = 1000;
    /** {@code ledger_file.profile}. */
    static final int PROFILE_MAX = 200;
    /** {@code ledger_file.owner}. */
    static final int OWNER_MAX = 200;
    /** {@code ledger_file.stage}. */
    static final int STAGE_MAX = 32;
    /** {@code ledger_request.vendor_code}. */
    static final int VENDOR_CODE_MAX = 64;
    /** {@code ledger_request.vendor_message}. */
    static final int VENDOR_MESSAGE_MAX = 2000;
    /** {@code ledger_task.task_name} and {@code ledger_task_name.name}. */
    static final int TASK_NAME_MAX = 200;

    static final String FILE_COLUMNS = "id, sha256, file_name, profile, state, owner, started_at, resumed_at, ended_at,"
            + " row_count, accepted, rejected, stage, fence, lease_until";

    /**
     * The end of a lease that starts now by the database's clock; its parameter is the lease in seconds (a decimal
     * with milliseconds). Every instance reckons leases by the one clock they share.
     */
    static final String LEASE_END = "CURRENT_TIMESTAMP + CAST(? AS DECIMAL(12, 3)) * INTERVAL '1' SECOND";

    static final String INSERT_CLAIM = "INSERT INTO ledger_file (sha256, file_name, profile, state, claim, owner,"
            + " started_at, fence, lease_until) VALUES (?, ?, ?, 'IN_PROGRESS', ?, ?, ?, 1, " + LEASE_END + ")";

    static final String INSERT_DUPLICATE = "INSERT INTO ledger_file (sha256, file_name, profile, state, claim, owner,"
            + " started_at, ended_at, stage) VALUES (?, ?, ?, 'FAILED', NULL, ?, ?, ?, 'duplicate')";

    static final String FILE_BY_CLAIM = "SELECT " + FILE_COLUMNS + " FROM ledger_file WHERE claim = ?";

    static final String FILE_BY_ID = "SELECT " + FILE_COLUMNS + " FROM ledger_file WHERE id = ?";

    static final String RESUME = "UPDATE ledger_file SET owner = ?, resumed_at = ?, fence = fence + 1,"
            + " lease_until = " + LEASE_END + " WHERE claim = ? AND state = 'IN_PROGRESS'";

    /** Takes over the unfinished run of a content whose owner let its lease lapse (or had none: before V2). */
    static final String TAKE_OVER_RUN = RESUME + " AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP)";

    static final String RUN_LEASE_LIVE = "SELECT owner, lease_until FROM ledger_file WHERE claim = ?"
            + " AND state = 'IN_PROGRESS' AND lease_until >= CURRENT_TIMESTAMP";

    static final String RUN_FENCE = "SELECT owner, fence FROM ledger_file WHERE id = ?";

    // ---- several instances: list claims, leases, instances (V2__instances.sql)

    static final String INSERT_LIST_CLAIM = "INSERT INTO ledger_claim (list_key, instance, fence, claimed_at,"
            + " lease_until) VALUES (?, ?, 1, CURRENT_TIMESTAMP, " + LEASE_END + ")";

    /** Takes a claim that lapsed, or one this instance holds with no list in flight here (the last parameter). */
    static final String TAKE_LIST_CLAIM = "UPDATE ledger_claim SET instance = ?, fence = fence + 1,"
            + " claimed_at = CURRENT_TIMESTAMP, lease_until = " + LEASE_END + " WHERE list_key = ?"
            + " AND (lease_until < CURRENT_TIMESTAMP OR (instance = ? AND ? = 1))";

    /** A list claim's columns, and whether it lapsed by the database's clock. */
    private static final String CLAIM_COLUMNS = "SELECT list_key, instance, fence, claimed_at, lease_until,"
            + " CASE WHEN lease_until < CURRENT_TIMESTAMP THEN 1 ELSE 0 END AS lapsed FROM ledger_claim";

    static final String LIST_CLAIM = CLAIM_COLUMNS + " WHERE list_key = ?";

    static final String LIST_CLAIMS = CLAIM_COLUMNS + " ORDER BY list_key";

    static final String RENEW_LIST_CLAIM = "UPDATE ledger_claim SET lease_until = " + LEASE_END
            + " WHERE list_key = ? AND instance = ? AND fence = ?";

    /** Renews a run's lease while this instance holds it under this fence (a run that just ended too: harmless). */
    static final String RENEW_RUN = "UPDATE ledger_file SET lease_until = " + LEASE_END
            + " WHERE id = ? AND owner = ? AND fence = ?";

    static final String RELEASE_LIST_CLAIM = "DELETE FROM ledger_claim WHERE list_key = ? AND instance = ?";

    static final String RELEASE_LIST_CLAIMS_OF = "DELETE FROM ledger_claim WHERE instance = ?";

    static final String RELEASE_ALL_LIST_CLAIMS = "DELETE FROM ledger_claim";

    static final String LAPSE_RUNS_OF = "UPDATE ledger_file SET lease_until = NULL WHERE owner = ? AND state = 'IN_PROGRESS'";

    static final String LAPSE_ALL_RUNS = "UPDATE ledger_file SET lease_until = NULL WHERE state = 'IN_PROGRESS'";

    static final String SEE_INSTANCE = "UPDATE ledger_instance SET seen_at = CURRENT_TIMESTAMP WHERE instance_id = ?";

    static final String INSERT_INSTANCE = "INSERT INTO ledger_instance (instance_id, started_at, seen_at)"
            + " VALUES (?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)";

    static final String RESTART_INSTANCE = "UPDATE ledger_instance SET started_at = CURRENT_TIMESTAMP,"
            + " seen_at = CURRENT_TIMESTAMP WHERE instance_id = ?";

    static final String REMOVE_INSTANCE = "DELETE FROM ledger_instance WHERE instance_id = ?";

    /** The instances, each with whether it was seen within a lease (the parameter, seconds) by the database's clock. */
    static final String INSTANCES = "SELECT instance_id, started_at, seen_at, CASE WHEN seen_at + CAST(? AS"
            + " DECIMAL(12, 3)) * INTERVAL '1' SECOND >= CURRENT_TIMESTAMP THEN 1 ELSE 0 END AS live"
            + " FROM ledger_instance ORDER BY instance_id";

    /** A failed run taken up again: it holds its content again (unique claim), under a new owner. */
    static final String REOPEN_FAILED = "UPDATE ledger_file SET state = 'IN_PROGRESS', claim = sha256, owner = ?,"
            + " resumed_at = ?, ended_at = NULL, stage = NULL, fence = COALESCE(fence, 0) + 1, lease_until = "
            + LEASE_END + " WHERE id = ? AND state = 'FAILED'";

    static final String FINISH_DONE = "UPDATE ledger_file SET state = 'DONE', claim = sha256, row_count = ?,"
            + " accepted = ?, rejected = ?, stage = ?, ended_at = ? WHERE id = ? AND state = 'IN_PROGRESS'";

    static final String FINISH_FAILED = "UPDATE ledger_file SET state = 'FAILED', claim = NULL, row_count = ?,"
            + " accepted = ?, rejected = ?, stage = ?, ended_at = ? WHERE id = ? AND state = 'IN_PROGRESS'";

    static final String RECENT_FILES = "SELECT " + FILE_COLUMNS + " FROM ledger_file ORDER BY id DESC"
            + " FETCH FIRST ? ROWS ONLY";

    static final String LATEST_RUN = "SELECT " + FILE_COLUMNS + " FROM ledger_file WHERE sha256 = ?"
            + " AND (stage IS NULL OR stage <> 'duplicate') ORDER BY id DESC FETCH FIRST 1 ROWS ONLY";

    static final String RESERVE_TASK_NAME = "INSERT INTO ledger_task_name (name, reserved_at) VALUES (?, ?)";

    static final String TASK_NAME_OF = "SELECT task_name FROM ledger_task WHERE file_id = ? AND task_index = ?";

    static final String INSERT_TASK = "INSERT INTO ledger_task (file_id, task_index, task_name) VALUES (?, ?, ?)";

    static final String TASK_CREATED = "UPDATE ledger_task SET vendor_task_id = ?, created_at = ?"
            + " WHERE file_id = ? AND task_index = ? AND (vendor_task_id IS NULL OR vendor_task_id = ?)";

    static final String VENDOR_TASK_ID_OF = "SELECT vendor_task_id FROM ledger_task WHERE file_id = ? AND task_index = ?";

    static final String TASKS_OF_FILE = "SELECT task_index, task_name, vendor_task_id FROM ledger_task"
            + " WHERE file_id = ? ORDER BY task_index";

    static final String TASK_PROGRESS = "SELECT t.task_index, t.task_name, t.vendor_task_id,"
            + " MAX(CASE WHEN r.state = 'CONFIRMED' THEN r.sequence_no END),"
            + " SUM(CASE WHEN r.state = 'CONFIRMED' THEN 1 ELSE 0 END),"
            + " SUM(CASE WHEN r.state = 'CONFIRMED' THEN r.customers ELSE 0 END)"
            + " FROM ledger_task t LEFT JOIN ledger_request r"
            + " ON r.file_id = t.file_id AND r.task_index = t.task_index"
            + " WHERE t.file_id = ? GROUP BY t.task_index, t.task_name, t.vendor_task_id ORDER BY t.task_index";

    static final String REQUEST_STATE_FOR_UPDATE = "SELECT state FROM ledger_request"
            + " WHERE file_id = ? AND task_index = ? AND sequence_no = ? FOR UPDATE";

    static final String REQUEST_STATE = "SELECT state FROM ledger_request"
            + " WHERE file_id = ? AND task_index = ? AND sequence_no = ?";

    static final String INSERT_REQUEST = "INSERT INTO ledger_request (file_id, task_index, sequence_no, customers,"
            + " state, attempts, sent_at, instance, fence) VALUES (?, ?, ?, ?, 'SENT', 1, ?, ?, ?)";

    /**
     * An append confirmed at its first attempt, in one statement: inserts nothing when its task is not planned or
     * has no vendor id yet, fails on the primary key when the request has a row already.
     */
    static final String INSERT_CONFIRMED_APPEND = "INSERT INTO ledger_request (file_id, task_index, sequence_no,"
            + " customers, state, attempts, sent_at, vendor_code, vendor_message, answered_at, instance, fence)"
            + " SELECT file_id, task_index, ?, ?, 'CONFIRMED', 1, ?, ?, ?, ?, ?, ? FROM ledger_task"
            + " WHERE file_id = ? AND task_index = ? AND vendor_task_id IS NOT NULL";

    static final String RESEND_REQUEST = "UPDATE ledger_request SET state = 'SENT', customers = ?,"
            + " attempts = attempts + 1, sent_at = ?, vendor_code = NULL, vendor_message = NULL, answered_at = NULL,"
            + " instance = ?, fence = ? WHERE file_id = ? AND task_index = ? AND sequence_no = ? AND state <> 'CONFIRMED'";

    static final String ANSWER_REQUEST = "UPDATE ledger_request SET state = ?, vendor_code = ?, vendor_message = ?,"
            + " answered_at = ?, instance = ?, fence = ? WHERE file_id = ? AND task_index = ? AND sequence_no = ? AND state = 'SENT'";

    static final String UNANSWERED = "SELECT task_index, sequence_no, customers, attempts, sent_at FROM ledger_request"
            + " WHERE file_id = ? AND state = 'SENT' ORDER BY task_index, sequence_no";

    // ---- history: reconciling with outcome files, recording runs from them (LedgerHistory)

    /**
     * Contents to a statement of {@link #contentHistory}: small enough that H2 plans it fast, a batch padded to this
     * size so that every batch is the same statement.
     */
    static final int BATCH = 100;

    /**
     * The runs of {@code n} contents (runs refused as duplicates aside), whether each holds its content, and each
     * of their requests with its task's vendor id (nulls for a run without tasks, a task without requests).
     */
    static String contentHistory(int n) {
        return "SELECT f.sha256, f.claim, t.vendor_task_id, r.state, r.customers"
                + " FROM ledger_file f LEFT JOIN ledger_task t ON t.file_id = f.id"
                + " LEFT JOIN ledger_request r ON r.file_id = t.file_id AND r.task_index = t.task_index"
                + " WHERE f.sha256 IN (" + placeholders(n) + ") AND (f.stage IS NULL OR f.stage <> 'duplicate')";
    }

    /** The tasks with any of {@code n} names, and their runs. */
    static String tasksNamed(int n) {
        return "SELECT t.task_name, t.file_id, t.task_index, t.vendor_task_id, f.sha256, f.state, f.file_name"
                + " FROM ledger_task t JOIN ledger_file f ON f.id = t.file_id WHERE t.task_name IN ("
                + placeholders(n) + ")";
    }

    static final String TASK_NAME_RESERVED = "SELECT COUNT(*) FROM ledger_task_name WHERE name = ?";

    static final String INSERT_RESTORED_FILE = "INSERT INTO ledger_file (sha256, file_name, profile, state, claim,"
            + " owner, started_at, ended_at, row_count, accepted, rejected, stage)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String FINISH_RESTORED = "UPDATE ledger_file SET state = ?, claim = ?, row_count = ?, accepted = ?,"
            + " rejected = ?, stage = ?, ended_at = ? WHERE id = ? AND state <> 'DONE'";

    static final String COUNT_TASKS_OF_FILE = "SELECT COUNT(*) FROM ledger_task WHERE file_id = ?";

    static final String INSERT_RESTORED_TASK = "INSERT INTO ledger_task (file_id, task_index, task_name,"
            + " vendor_task_id, created_at) VALUES (?, ?, ?, ?, ?)";

    static final String SET_VENDOR_TASK_ID = "UPDATE ledger_task SET vendor_task_id = ?, created_at = ?"
            + " WHERE file_id = ? AND task_index = ? AND vendor_task_id IS NULL";

    static final String REQUESTS_OF_TASK = "SELECT sequence_no, state, customers FROM ledger_request"
            + " WHERE file_id = ? AND task_index = ? ORDER BY sequence_no";

    static final String INSERT_RESTORED_REQUEST = "INSERT INTO ledger_request (file_id, task_index, sequence_no,"
            + " customers, state, attempts, vendor_message, sent_at, answered_at)"
            + " VALUES (?, ?, ?, ?, 'CONFIRMED', 1, ?, ?, ?)";

    static final String CONFIRM_RESTORED_REQUEST = "UPDATE ledger_request SET state = 'CONFIRMED', customers = ?,"
            + " vendor_message = ?, answered_at = ? WHERE file_id = ? AND task_index = ? AND sequence_no = ?"
            + " AND state <> 'CONFIRMED'";

    static final String ADD_CUSTOMERS_TO_REQUEST = "UPDATE ledger_request SET customers = customers + ?"
            + " WHERE file_id = ? AND task_index = ? AND sequence_no = ?";

    private static String placeholders(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("at least one value (found " + n + ")");
        }
        return "?" + ", ?".repeat(n - 1);
    }

    private LedgerSql() {
    }
}
