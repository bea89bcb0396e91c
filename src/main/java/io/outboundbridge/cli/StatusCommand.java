package io.outboundbridge.cli;

import io.outboundbridge.ledger.FileState;
import io.outboundbridge.ledger.FileSummary;
import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.TaskProgress;
import io.outboundbridge.run.ListLedger;
import io.outboundbridge.task.Profile;
import io.outboundbridge.task.ProfileLoader;
import io.outboundbridge.wiring.BridgeSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code status}: the last lists from the ledger, and how far an unfinished one got. */
@Command(name = "status", description = "Show the last lists from the ledger: state, rows, tasks, and how far an "
        + "unfinished one got.")
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
        Set<Long> resumable = new HashSet<>();
        try (Ledger ledger = Ledger.open(settings.ledger())) {
            files = ledger.recent(last);
            // a failed list the same file dropped again resumes (ListLedger.claim says which)
            ListLedger lists = new ListLedger(ledger, settings.timezone(), Clock.system(settings.timezone()));
            Map<String, Profile> profiles = profiles(settings);
            for (FileSummary f : files) {
                if (lists.resumable(f, profiles.get(f.profile()))) {
                    resumable.add(f.fileId());
                }
            }
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
                    : f.state() == FileState.FAILED ? "  (stopped at " + f.stage()
                            + (resumable.contains(f.fileId()) ? "; resumable: drop the same file again" : "") + ")"
                    : "";
            System.out.printf(format, f.fileId(), TIME.format(f.start().atZone(zone)), f.fileName(),
                    f.state().name().toLowerCase().replace('_', ' '), text(f.rows()), text(f.accepted()),
                    text(f.rejected()), (tasks.isEmpty() ? "-" : tasks) + progress);
        }
        if (files.isEmpty()) {
            System.out.println("(no lists in the ledger yet)");
        }
        return 0;
    }

    /** The profiles, to tell whether a failed list's tasks ended; none when they cannot be read. */
    private static Map<String, Profile> profiles(BridgeSettings settings) {
        try {
            return ProfileLoader.loadAll(settings.profiles());
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private static String task(TaskProgress t) {
        return t.taskName() + "=" + (t.vendorTaskId() == null ? "?" : t.vendorTaskId());
    }

    private static String text(Long n) {
        return n == null ? "-" : n.toString();
    }
}
