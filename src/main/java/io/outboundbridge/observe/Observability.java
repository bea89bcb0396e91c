package io.outboundbridge.observe;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Where the wiring hands the bridge's state to operators: the metrics ({@link BridgeMetrics}) and the readiness
 * checks, one per reason not to be ready. What another concern adds is one line here, e.g. the vendor breaker:
 * {@code observability.vendorBreaker(vendorBreaker::state)}.
 */
public final class Observability {

    /** The name Camel's Micrometer support looks its registry up by (and binds the one it makes under). */
    public static final String METER_REGISTRY = "metricsRegistry";

    private final CamelContext context;
    private final BridgeMetrics metrics;

    public Observability(CamelContext context, BridgeMetrics metrics) {
        this.context = context;
        this.metrics = metrics;
    }

    /**
     * The registry {@code /observe/metrics} serves: Camel's, or one made and bound for Camel to take (whichever of the
     * two is set up first, both use the same one).
     */
    public static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry registry = context.getRegistry().lookupByNameAndType(METER_REGISTRY, MeterRegistry.class);
        if (registry == null) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind(METER_REGISTRY, registry);
        }
        return registry;
    }

    /**
     * The registry the bridge's own meters go to: {@link #meterRegistry}, and with {@code jmx} (Karaf) MBeans too, in
     * the domain {@code io.outboundbridge.metrics}, unregistered when Camel stops (a bundle update leaves none behind).
     */
    public static MeterRegistry bridgeRegistry(CamelContext context, boolean jmx) throws Exception {
        MeterRegistry served = meterRegistry(context);
        if (!jmx) {
            return served;
        }
        JmxConfig config = new JmxConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String domain() {
                return "io.outboundbridge.metrics";
            }
        };
        JmxMeterRegistry mbeans = new JmxMeterRegistry(config, Clock.SYSTEM);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                mbeans.close();
            }
        }, true, true);
        CompositeMeterRegistry both = new CompositeMeterRegistry();
        both.add(served);
        both.add(mbeans);
        return both;
    }

    public BridgeMetrics metrics() {
        return metrics;
    }

    /** A readiness check {@code id}: DOWN with the reason while {@code whyNotReady} gives one. */
    public void readiness(String id, Supplier<Optional<String>> whyNotReady) {
        ReadinessCheck.register(context, id, whyNotReady);
    }

    /**
     * The vendor breaker ({@code state}: CLOSED, OPEN or HALF_OPEN): its state as a metric, and readiness DOWN
     * while it is not closed (intake is paused until a probe succeeds).
     */
    public void vendorBreaker(Supplier<String> state) {
        metrics.breakerState(state);
        readiness("vendor-breaker", () -> {
            String s = state.get();
            return "CLOSED".equalsIgnoreCase(s) ? Optional.empty()
                    : Optional.of("the vendor breaker is " + s + ": lists wait until a call to the vendor succeeds");
        });
    }
}
