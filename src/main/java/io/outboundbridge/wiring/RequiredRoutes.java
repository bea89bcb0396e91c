package io.outboundbridge.wiring;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.VetoCamelContextStartException;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * Refuses to start a service whose routes folder gave no route, or not the routes the flow calls: a service that
 * reports "started" and takes no list is worse than one that does not start.
 */
final class RequiredRoutes implements StartupListener {

    /** The routes every list passes through, whatever its inbox. */
    static final List<String> FLOW = List.of("process-customer-list", "send-task", "send-planned-request",
            "call-vendor", "file-outcome", "record-outcome", "file-recorded-list");

    private final String folder;

    RequiredRoutes(String folder) {
        this.folder = folder;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted)
            throws VetoCamelContextStartException {
        List<RouteDefinition> routes = context.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteDefinitions();
        Set<String> ids = new TreeSet<>();
        boolean intake = false;
        for (RouteDefinition route : routes) {
            ids.add(route.getRouteId());
            String from = route.getInput() == null ? "" : route.getInput().getEndpointUri();
            intake |= from != null && !from.startsWith("direct:");
        }
        String problem = ids.isEmpty() ? "no route was loaded from " + folder + " (expected *.camel.yaml files there)"
                : missing(ids).isEmpty() ? intake ? null : "no route in " + folder + " takes lists from an inbox"
                : "the routes folder " + folder + " lacks route(s) " + missing(ids) + " that the flow needs (found "
                        + ids + ")";
        if (problem != null) {
            throw new VetoCamelContextStartException(problem, context, true);
        }
    }

    private static List<String> missing(Set<String> ids) {
        return FLOW.stream().filter(id -> !ids.contains(id)).toList();
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // checked before the routes start
    }
}
