package io.outboundbridge.reading;

import io.outboundbridge.task.TaskPlanner;
import java.util.Locale;

/**
 * Decides from a list's inspection whether it may be sent: the reject policy, the invalid-row ratio, at least
 * one valid row, and what the vendor can take for the profile's task type.
 */
public final class RejectPolicy {

    /** What one invalid row does to the file. */
    public enum Mode {
        SKIP_INVALID_ROWS, REJECT_FILE;

        public static Mode of(String setting) {
            try {
                return valueOf(setting.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("setting bridge.reject-policy: must be skip-invalid-rows or "
                        + "reject-file (found '" + setting + "')");
            }
        }
    }

    private final Mode mode;
    private final double maxInvalidRatio;
    private final int batchSize;

    public RejectPolicy(Mode mode, double maxInvalidRatio, int batchSize) {
        this.mode = mode;
        this.maxInvalidRatio = maxInvalidRatio;
        this.batchSize = batchSize;
    }

    /** Throws {@link ListFailedException} (stage {@code validate}) when the list must not be sent. */
    public void check(Inspection i, int taskType) {
        if (i.rejected() > 0 && mode == Mode.REJECT_FILE) {
            throw new ListFailedException("validate", i.rejected() + " of " + i.rows()
                    + " rows are invalid and bridge.reject-policy is reject-file (see the rejects report)");
        }
        double ratio = i.rows() == 0 ? 0 : (double) i.rejected() / i.rows();
        if (ratio > maxInvalidRatio) {
            throw new ListFailedException("validate", String.format(Locale.ROOT,
                    "%d of %d rows are invalid (%.1f%%), above bridge.max-invalid-ratio %s (see the rejects report)",
                    i.rejected(), i.rows(), ratio * 100, maxInvalidRatio));
        }
        if (i.accepted() == 0) {
            throw new ListFailedException("validate", "no valid rows to send");
        }
        TaskPlanner.refusal(taskType, i.accepted(), batchSize).ifPresent(reason -> {
            throw new ListFailedException("validate", reason);
        });
    }
}
