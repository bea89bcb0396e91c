package io.outboundbridge.alert;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One alert as it is sent (JSON).
 *
 * @param kind     what happened: {@code list-failed}, {@code list-unreported}, {@code credentials-refused},
 *                 {@code inbox-down}, {@code vendor-breaker-open} ({@link AlertKind})
 * @param state    {@code raised}, or {@code recovered} when the condition ended
 * @param subject  what it is about: a list's name, an inbox's route, {@code vendor}
 * @param message  what happened and what to do, for a person
 * @param instance the instance that saw it
 * @param time     when it was sent (ISO-8601, UTC)
 * @param count    how many events this message tells of: 1, or N in a summary of the repeats of a quiet period
 * @param since    in a summary, the time of the first repeat it counts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(String kind, String state, String subject, String message, String instance, String time,
        int count, String since) {

    public static final String RAISED = "raised";
    public static final String RECOVERED = "recovered";

    /** A line to read it by, e.g. a mail's subject: {@code outbound-bridge list-failed: a.csv}. */
    public String title() {
        String line = "outbound-bridge " + (RECOVERED.equals(state) ? "recovered " : "") + kind + ": " + subject;
        return line.length() > 200 ? line.substring(0, 199) + "…" : line;
    }
}
