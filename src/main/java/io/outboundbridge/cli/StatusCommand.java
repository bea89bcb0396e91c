package io.outboundbridge.cli;

import io.outboundbridge.ledger.FileState;
import io.outboundbridge.ledger.FileSummary;
import io.outboundbridge.ledger.InstanceSeen;
import io.outboundbridge.ledger.ListClaim;
import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.TaskProgress;
import io.outboundbridge.wiring.BridgeSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code status}: the last lists from the ledger, how far an unfinished one got, the instances working on the ledger
 * and which instance holds each list in flight and until when.
 */
@Command(name = "status", description = "Show the last lists from the ledger: state, rows, tasks, and how far an "
        + "unfinished one got; the instances, and which one holds each list in flight, until when.")
final class StatusCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Option(names = "--config", description = "config folder", defaultValue = "config")
    Path config;

    @Option(names = {"-n", "--last"}, description = "how many lists (default 20)", defaultValue = "20")
    int last;

    @Override
    public Integer call() {
        BridgeSettings settings;
        try {
            settings = BridgeSettings.read(BridgeProperties.lookup(config, Map.of()));
        } catch (RuntimeException e) {
            System.err.println("status: configuration error: " + e.getMessage());
            return 2;
        }
        List<FileSummary> files;
        List<ListClaim> claims;
        List<InstanceSeen> instances;
        try (Ledger ledger = Ledger.open(settings.ledger(), Clock.systemUTC(), settings.instanceId(),
                settings.instanceLease())) {
            files = ledger.recent(last);
            claims = ledger.listClaims();
            instances = ledger.instances();
        } catch (RuntimeException e) {
            System.err.println("status: " + e.getMessage());
            return 2;
        }
        ZoneId zone = settings.timezone();
        String format = "%-5s %-19s %-28s %-11s %7s %8s %8s  %s%n";
        System.out.printf(format, "RUN", "STARTED", "FILE", "STATE", "ROWS", "ACCEPTED", "REJECTED", "TASKS / PROGRESS");
        for (FileSummary f : files) {
            String tasks = f.tasks().stream().map(StatusCommand::task).collect(Collectors.joining(", "));
            String progress = f.state() == FileState.IN_PROGRESS
                    ? "  (so far " + f.requestsConfirmed() + " requests, " + f.customersConfirmed() + " customers confirmed)"
                    : f.state() == FileState.FAILED ? "  (stopped at " + f.stage() + ")" : "";
            System.out.printf(format, f.fileId(), TIME.format(f.start().atZone(zone)), f.fileName(),
                    f.state().name().toLowerCase().replace('_', ' '), text(f.rows()), text(f.accepted()),
                    text(f.rejected()), (tasks.isEmpty() ? "-" : tasks) + progress);
        }
        if (files.isEmpty()) {
            System.out.println("(no lists in the ledger yet)");
        }
        System.out.println();
        String instanceFormat = "%-40s %-19s %-19s %s%n";
        System.out.printf(instanceFormat, "INSTANCE", "STARTED", "SEEN", "");
        for (InstanceSeen i : instances) {
            System.out.printf(instanceFormat, i.instanceId(), TIME.format(i.startedAt().atZone(zone)),
                    TIME.format(i.seenAt().atZone(zone)), i.live() ? "live" : "not seen within bridge.instance.lease");
        }
        if (instances.isEmpty()) {
            System.out.println("(no instance running)");
        }
        System.out.println();
        String claimFormat = "%-40s %-40s %-19s %s%n";
        System.out.printf(claimFormat, "LIST IN FLIGHT", "HELD BY", "UNTIL", "");
        for (ListClaim c : claims) {
            System.out.printf(claimFormat, c.key(), c.instance() + " (fence " + c.fence() + ")",
                    TIME.format(c.leaseUntil().atZone(zone)), c.lapsed() ? "lapsed: taken over at the next look" : "");
        }
        if (claims.isEmpty()) {
            System.out.println("(no list held by an instance)");
        }
        return 0;
    }

    private static String task(TaskProgress t) {
        return t.taskName() + "=" + (t.vendorTaskId() == null ? "?" : t.vendorTaskId());
    }

    private static String text(Long n) {
        return n == null ? "-" : n.toString();
    }
}
