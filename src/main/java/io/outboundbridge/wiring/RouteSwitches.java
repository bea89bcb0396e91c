package io.outboundbridge.wiring;

import java.util.Map;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{switch:NAME}}}: whether a route step is left out, worked out from the settings, for the steps' own
 * {@code disabled} option (which takes a placeholder, not an expression). {@code list-workers-off}: lists are not
 * handed to other threads when one list at a time is asked for ({@code bridge.parallel-lists=1}, the poll thread
 * works alone); {@code call-rate-off}: no throttle in front of the vendor ({@code vendor.max-calls-per-second=0}).
 */
public final class RouteSwitches implements PropertiesFunction {

    private final Map<String, Boolean> switches;

    public RouteSwitches(BridgeSettings settings) {
        this.switches = Map.of(
                "list-workers-off", settings.parallelLists() == 1,
                "call-rate-off", settings.maxCallsPerSecond() == 0);
    }

    @Override
    public String getName() {
        return "switch";
    }

    @Override
    public String apply(String name) {
        Boolean off = switches.get(name);
        if (off == null) {
            throw new IllegalArgumentException("no route switch " + name + " (known: " + switches.keySet() + ")");
        }
        return off.toString();
    }
}
