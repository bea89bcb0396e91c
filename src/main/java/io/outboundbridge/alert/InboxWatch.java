package io.outboundbridge.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Watches the inboxes (every route taking files: the local inbox, partner SFTP inboxes) through Camel's consumer
 * health checks ({@code camel.health.consumers-enabled}): an inbox whose polls have failed for
 * {@code bridge.alert.inbox-down-after} raises {@code inbox-down}; its first successful poll ends it. An inbox
 * whose route is not running (stopped, or intake paused on purpose) is not counted as down.
 */
public final class InboxWatch {

    private final CamelContext context;
    private final Alerts alerts;
    private final Duration downAfter;
    private final Clock clock;
    /** Since when each failing inbox (by route id) has failed, as first seen. */
    private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();

    public InboxWatch(CamelContext context, Alerts alerts, Duration downAfter, Clock clock) {
        this.context = context;
        this.alerts = alerts;
        this.downAfter = downAfter;
        this.clock = clock;
    }

    /** Looks at every inbox once; called now and then (check-alert-conditions). */
    public void check() {
        if (!alerts.isEnabled()) {
            return;
        }
        Instant now = clock.instant();
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof GenericFileEndpoint<?>) {
                check(route.getRouteId(), now);
            }
        }
    }

    private void check(String routeId, Instant now) {
        ServiceStatus status = context.getRouteController().getRouteStatus(routeId);
        if (status == null || !status.isStarted()) {
            failingSince.remove(routeId);
            return;
        }
        // the consumers' checks come from a repository, which the registry's look-up by id does not search
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        Optional<HealthCheck.Result> result = registry == null ? Optional.empty()
                : registry.stream().filter(c -> c.getId().equals("consumer:" + routeId)).findFirst()
                        .map(c -> c.call(Map.of(HealthCheck.CHECK_KIND, HealthCheck.Kind.READINESS)));
        if (result.isEmpty()) {
            return;
        }
        HealthCheck.Result r = result.get();
        if (r.getState() == HealthCheck.State.DOWN) {
            Instant since = failingSince.computeIfAbsent(routeId, id -> now);
            if (!Duration.between(since, now).minus(downAfter).isNegative()) {
                alerts.raise(AlertKind.INBOX_DOWN.id(), routeId, "no successful poll of "
                        + r.getDetails().getOrDefault(HealthCheck.ENDPOINT_URI, "its endpoint") + " since " + since
                        + ": "
                        + r.getError().map(InboxWatch::reason).or(r::getMessage).orElse("no reason given"));
            }
        } else if (r.getState() == HealthCheck.State.UP) {
            Instant since = failingSince.remove(routeId);
            alerts.recovered(AlertKind.INBOX_DOWN.id(), routeId,
                    "a poll succeeded" + (since == null ? "" : " (failing since " + since + ")"));
        }
    }

    /** The innermost message of a failed poll. */
    private static String reason(Throwable error) {
        String text = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        for (Throwable t = error.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null && !text.contains(t.getMessage())) {
                text += " (" + t.getMessage() + ")";
            }
        }
        return text;
    }
}
