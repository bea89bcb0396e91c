package io.outboundbridge.observe;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A readiness check in Camel's health check registry: DOWN, with the reason, while {@code whyNotReady} gives one
 * (the ledger cannot be reached, a list's outcome could not be filed, the vendor breaker is open). It does not count
 * for liveness: waiting for the ledger or the vendor is no reason to restart the process.
 */
public final class ReadinessCheck extends AbstractHealthCheck {

    private final Supplier<Optional<String>> whyNotReady;

    public ReadinessCheck(String id, Supplier<Optional<String>> whyNotReady) {
        super("bridge", id);
        this.whyNotReady = whyNotReady;
    }

    /** Registers a readiness check named {@code id} in the context's health check registry (if health is enabled). */
    public static void register(CamelContext context, String id, Supplier<Optional<String>> whyNotReady) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry != null) {
            ReadinessCheck check = new ReadinessCheck(id, whyNotReady);
            check.setCamelContext(context);
            registry.register(check);
        }
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Optional<String> reason = whyNotReady.get();
        if (reason.isPresent()) {
            builder.down().message(reason.get());
        } else {
            builder.up();
        }
    }
}
