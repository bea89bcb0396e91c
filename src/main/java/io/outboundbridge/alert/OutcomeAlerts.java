package io.outboundbridge.alert;

import io.outboundbridge.run.ListRun;
import io.outboundbridge.run.OutcomeReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts of a list's outcome, once it is filed (file-outcome): {@code list-failed} for a list filed in error,
 * {@code list-unreported} for one whose report no folder took, recovered once such a list is filed.
 */
public final class OutcomeAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeAlerts.class);

    private final Alerts alerts;

    public OutcomeAlerts(Alerts alerts) {
        this.alerts = alerts;
    }

    /** After the outcome {@code report} of {@code run} was filed (or could not be). Never throws. */
    public void filed(ListRun run, OutcomeReport report) {
        if (!alerts.isEnabled() || run == null || report == null) {
            return;
        }
        try {
            String list = run.getFileName();
            String where = run.getOutcomeFolder() == null ? "" : " (" + run.getOutcomeFolder() + ")";
            if (run.getUnfiled() != null) {
                alerts.raise(AlertKind.LIST_UNREPORTED.id(), list, "its report could be written neither in "
                        + run.getUnfiled() + "; " + sent(report));
                return;
            }
            alerts.recovered(AlertKind.LIST_UNREPORTED.id(), list, (run.isFiledAsFailed() ? "in error" : "in the archive")
                    + where + " as " + run.getStoredAs());
            if (run.isFiledAsFailed()) {
                alerts.raise(AlertKind.LIST_FAILED.id(), list, "stage " + report.stage()
                        + (report.vendorCode() == null ? "" : ", vendor code " + report.vendorCode()) + ": "
                        + report.message() + "; " + sent(report) + ". The list and its .error.json are in "
                        + run.getOutcomeFolder() + " as " + run.getStoredAs());
            }
        } catch (RuntimeException e) {
            // an alert must never change what happens to a list
            LOG.warn("Could not make the alert of {}: {}", run, e.toString());
        }
    }

    private static String sent(OutcomeReport report) {
        String tasks = report.tasks() == null || report.tasks().isEmpty() ? "no task created"
                : "tasks " + report.tasks().stream().map(t -> t.taskName() + "=" + t.taskId()).toList();
        return tasks + ", customers sent " + (report.customersSent() == null ? 0 : report.customersSent());
    }
}
