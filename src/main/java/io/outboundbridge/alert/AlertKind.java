package io.outboundbridge.alert;

import java.util.Arrays;

/**
 * The kinds of alert, and the words an operator reads for each. An event ({@code list-failed}) is told each time; a
 * condition is told once when it starts and once more ("recovered") when it ends.
 */
public enum AlertKind {

    /** A list was filed in error (subject: the list's name in the inbox). */
    LIST_FAILED("list-failed", false, "list %s was filed in error: %s", null),
    /** A list went through but neither folder took its report (subject: the list); recovered once it is filed. */
    LIST_UNREPORTED("list-unreported", true,
            "list %s could not be filed: %s. It waits in the processing folder and is filed once a folder takes its "
                    + "report; nothing is sent again. Check the free space and permissions of those folders",
            "list %s is filed now: %s"),
    /** The vendor answered 10001/10002 (subject: vendor); recovered when a later call succeeds. */
    CREDENTIALS_REFUSED("credentials-refused", true,
            "the %s refused our credentials (%s): check vendor.app-id, vendor.private-key, the public key uploaded to "
                    + "the vendor and the clock of this machine",
            "the %s accepts our credentials again: %s"),
    /** An inbox has not been polled successfully for bridge.alert.inbox-down-after (subject: its route). */
    INBOX_DOWN("inbox-down", true,
            "inbox %s cannot be polled: %s. Lists dropped there wait until it can; check the server, the network "
                    + "and the login",
            "inbox %s is polled again: %s"),
    /** The vendor breaker opened (subject: vendor); recovered when it closes. */
    VENDOR_BREAKER_OPEN("vendor-breaker-open", true,
            "the %s breaker is open: %s. Intake is paused and lists in flight wait in processing until a probe "
                    + "succeeds",
            "the %s breaker closed: %s. Calls go through again and the waiting lists resume");

    private final String id;
    private final boolean condition;
    private final String raised;
    private final String recovered;

    AlertKind(String id, boolean condition, String raised, String recovered) {
        this.id = id;
        this.condition = condition;
        this.raised = raised;
        this.recovered = recovered;
    }

    /** The kind as it appears in the JSON ({@code list-failed}). */
    public String id() {
        return id;
    }

    /** The kind named {@code id}, or null for a kind of someone else's (told as a condition, its detail as it is). */
    static AlertKind of(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst().orElse(null);
    }

    /** Whether {@code id} names a condition (or a kind we do not know, which is taken as one). */
    static boolean isCondition(String id) {
        AlertKind kind = of(id);
        return kind == null || kind.condition;
    }

    /** What a person reads when {@code subject} raises or recovers from an alert of kind {@code id}. */
    static String message(String id, boolean recovery, String subject, String detail) {
        AlertKind kind = of(id);
        String text = detail == null || detail.isBlank() ? "no detail" : detail;
        if (kind == null) {
            return id + (recovery ? " ended for " : " for ") + subject + ": " + text;
        }
        String template = recovery ? kind.recovered : kind.raised;
        return String.format(template == null ? kind.raised : template, subject, text);
    }
}
