package io.outboundbridge.alert;

import io.outboundbridge.task.Phones;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the alert endpoint (bean {@code alerts}) what needs a person, once per event: any bean or route calls
 * {@link #raise} when something goes wrong and {@link #recovered} when a condition ends. Kinds are listed in
 * {@link AlertKind}; {@code list-failed} is an event, every other kind a condition, told once until it ends (a
 * raise while it holds is not told again).
 * <p>
 * No storm: the first alert of a kind is sent at once and opens a quiet period; later alerts of that kind within
 * it are counted, and once it is over one summary says how many more there were since when, and about what
 * ({@link #sendSummaries}, called now and then). A recovered message is sent for a condition whose alert was sent
 * (alone or in a summary); one that ends before its summary is named there as recovered.
 * <p>
 * Nothing here waits for the endpoint or throws: alerts are handed to a queue ({@code outbox}) that the
 * {@code send-alert} route empties. With alerts off ({@code bridge.alert.uri} empty) every call returns at once.
 */
public final class Alerts {

    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    /** A secret in a URI's options ({@code password=...}) or user info ({@code user:secret@}), to be hidden. */
    private static final Pattern SECRETS = Pattern.compile(
            "(?i)((?:password|passphrase|secret\\w*|\\w*token|api[-_]?key)=)[^&\\s]+|(://[^/\\s:@]+:)[^@\\s/]+@");
    /**
     * Raised, the end of {@code vendor-breaker-open}: what it is sent as ({@code "state":"recovered"}), so either
     * way of telling the breaker's closing reads the same.
     */
    public static final String BREAKER_CLOSED = "vendor-breaker-closed";
    /** Subjects named in one summary; more are counted only. */
    private static final int SUBJECTS_NAMED = 10;

    private final boolean enabled;
    private final Duration quietPeriod;
    private final Clock clock;
    private final String instance;
    private final Consumer<Alert> outbox;
    /** The open quiet period of each kind. */
    private final Map<String, QuietPeriod> quiet = new HashMap<>();
    /** Conditions that hold, by kind and subject: true once they were told (alone or in a summary). */
    private final Map<String, Boolean> holding = new ConcurrentHashMap<>();
    private volatile boolean endpointDown;

    /**
     * @param enabled     false: alerts are off, nothing is ever sent
     * @param quietPeriod how long after an alert of a kind further ones of that kind are counted into a summary
     * @param instance    the instance named in every alert
     * @param outbox      where an alert goes to be sent (a queue: it must not wait for the endpoint)
     */
    public Alerts(boolean enabled, Duration quietPeriod, Clock clock, String instance, Consumer<Alert> outbox) {
        this.enabled = enabled;
        this.quietPeriod = quietPeriod;
        this.clock = clock;
        this.instance = instance;
        this.outbox = outbox;
    }

    /** Whether alerts are on ({@code bridge.alert.uri} set). */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Something went wrong: {@code kind} (see {@link AlertKind}, e.g. {@code vendor-breaker-open}) about
     * {@code subject} ({@code vendor}, a list's name, an inbox's route), {@code detail} saying what (phone numbers
     * in it are masked, passwords in URIs hidden). A condition that already holds is not told again.
     */
    public void raise(String kind, String subject, String detail) {
        if (!enabled) {
            return;
        }
        if (BREAKER_CLOSED.equals(kind)) {
            recovered(AlertKind.VENDOR_BREAKER_OPEN.id(), subject, detail);
            return;
        }
        Alert alert;
        String safeSubject = safe(subject);
        synchronized (this) {
            Instant now = clock.instant();
            if (AlertKind.isCondition(kind) && holding.putIfAbsent(key(kind, safeSubject), false) != null) {
                return;
            }
            String message = AlertKind.message(kind, false, safeSubject, safe(detail));
            QuietPeriod period = quiet.get(kind);
            if (period != null && now.isBefore(period.end)) {
                period.count(safeSubject, message, now);
                return;
            }
            List<Alert> due = summaries(now, kind);
            due.forEach(this::send);
            quiet.put(kind, new QuietPeriod(now.plus(quietPeriod)));
            holding.computeIfPresent(key(kind, safeSubject), (k, told) -> true);
            alert = new Alert(kind, Alert.RAISED, safeSubject, message, instance, now.toString(), 1, null);
        }
        send(alert);
    }

    /** The condition {@code kind} of {@code subject} ended; a no-op unless it holds. */
    public void recovered(String kind, String subject) {
        recovered(kind, subject, null);
    }

    /** The condition {@code kind} of {@code subject} ended, {@code detail} saying how; a no-op unless it holds. */
    public void recovered(String kind, String subject, String detail) {
        // called for every vendor call that succeeds: nothing to do in the usual case, and no lock taken for it
        if (!enabled || holding.isEmpty()) {
            return;
        }
        String safeSubject = safe(subject);
        Boolean told;
        synchronized (this) {
            told = holding.remove(key(kind, safeSubject));
            if (told != null && !told) {
                QuietPeriod period = quiet.get(kind);
                if (period != null) {
                    period.recovered.add(safeSubject);
                }
                return;
            }
        }
        if (told != null) {
            send(new Alert(kind, Alert.RECOVERED, safeSubject,
                    AlertKind.message(kind, true, safeSubject, safe(detail == null ? "the condition ended" : detail)),
                    instance, clock.instant().toString(), 1, null));
        }
    }

    /** Whether the condition {@code kind} of {@code subject} holds (raised and not recovered). */
    public boolean holds(String kind, String subject) {
        return holding.containsKey(key(kind, safe(subject)));
    }

    /** Sends the summary of every quiet period that is over and counted repeats; called now and then. */
    public void sendSummaries() {
        if (!enabled) {
            return;
        }
        List<Alert> due;
        synchronized (this) {
            due = summaries(clock.instant(), null);
        }
        due.forEach(this::send);
    }

    /** The summaries due at {@code now} (of {@code kind} only, or of every kind when null); their periods end. */
    private List<Alert> summaries(Instant now, String kind) {
        List<Alert> due = new ArrayList<>();
        for (Iterator<Map.Entry<String, QuietPeriod>> i = quiet.entrySet().iterator(); i.hasNext();) {
            Map.Entry<String, QuietPeriod> e = i.next();
            QuietPeriod period = e.getValue();
            if ((kind != null && !kind.equals(e.getKey())) || now.isBefore(period.end)) {
                continue;
            }
            if (period.more == 0) {
                i.remove();
                continue;
            }
            due.add(period.summary(e.getKey(), instance, now));
            for (String subject : period.subjects) {
                holding.computeIfPresent(key(e.getKey(), subject), (k, told) -> true);
            }
            // the summary opens a new quiet period: at most one message of a kind per period
            e.setValue(new QuietPeriod(now.plus(quietPeriod)));
        }
        return due;
    }

    /** The alert endpoint took an alert: after an outage, said once. */
    public void delivered() {
        if (endpointDown) {
            endpointDown = false;
            LOG.info("The alert endpoint takes alerts again");
        }
    }

    /**
     * The alert endpoint could not take {@code alert} (its JSON): a WARN once per outage, then each alert not
     * delivered at INFO, so it is still in the log. List processing is not affected.
     */
    public void undelivered(String alert, Throwable cause) {
        String reason = cause == null ? "unknown" : safe(cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        if (!endpointDown) {
            endpointDown = true;
            LOG.warn("The alert endpoint (bridge.alert.uri) cannot be reached ({}): alerts are logged here until it "
                    + "takes them again; lists are processed as usual", reason);
        }
        LOG.info("Alert not delivered: {}", alert);
    }

    private void send(Alert alert) {
        try {
            outbox.accept(alert);
        } catch (RuntimeException e) {
            undelivered(alert.toString(), e);
        }
    }

    private static String key(String kind, String subject) {
        return kind + '\n' + subject;
    }

    /** Text as it may leave: phone numbers masked, passwords in URIs hidden. */
    private static String safe(String text) {
        return text == null ? null
                : SECRETS.matcher(Phones.maskIn(text)).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                        m.group(1) != null ? m.group(1) + "xxxxxx" : m.group(2) + "xxxxxx@"));
    }

    /** A kind's quiet period: until {@code end}, its alerts are counted for the summary, not sent. */
    private static final class QuietPeriod {
        final Instant end;
        int more;
        Instant since;
        String lastMessage;
        final Set<String> subjects = new LinkedHashSet<>();
        final Set<String> recovered = new LinkedHashSet<>();

        QuietPeriod(Instant end) {
            this.end = end;
        }

        void count(String subject, String message, Instant now) {
            if (more++ == 0) {
                since = now;
            }
            subjects.add(subject);
            lastMessage = message;
        }

        Alert summary(String kind, String instance, Instant now) {
            String named = subjects.stream().limit(SUBJECTS_NAMED)
                    .map(s -> recovered.contains(s) ? s + " (recovered since)" : s)
                    .collect(Collectors.joining(", "));
            if (subjects.size() > SUBJECTS_NAMED) {
                named += " and " + (subjects.size() - SUBJECTS_NAMED) + " more";
            }
            String message = more + " more " + kind + " since " + since + " (" + named + "). Last: " + lastMessage;
            return new Alert(kind, Alert.RAISED, named, message, instance, now.toString(), more, since.toString());
        }
    }
}
