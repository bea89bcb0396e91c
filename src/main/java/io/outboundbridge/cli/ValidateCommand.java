package io.outboundbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outboundbridge.reading.Inspection;
import io.outboundbridge.reading.ListFailedException;
import io.outboundbridge.run.CustomerLists;
import io.outboundbridge.run.ListRun;
import io.outboundbridge.run.RequestBodies;
import io.outboundbridge.run.RequestPlans;
import io.outboundbridge.task.Phones;
import io.outboundbridge.task.PlannedRequest;
import io.outboundbridge.task.Profile;
import io.outboundbridge.task.ProfileLoader;
import io.outboundbridge.task.TaskPlanner;
import io.outboundbridge.wiring.BridgeConfiguration;
import io.outboundbridge.wiring.BridgeSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code validate}: what the service would do with a list, without sending anything. */
@Command(name = "validate", description = "Parse, validate and plan a list; print a summary and the first payload "
        + "(phones masked). Sends nothing. Exit 0 valid, 1 invalid rows, 2 usage or configuration error.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the CSV file")
    Path file;

    @Option(names = "--profile", description = "profile name (default: default)", defaultValue = CustomerLists.DEFAULT_PROFILE)
    String profile;

    @Option(names = "--config", description = "config folder", defaultValue = "config")
    Path config;

    @Override
    public Integer call() throws IOException {
        BridgeSettings settings;
        Map<String, Profile> profiles;
        try {
            settings = BridgeSettings.read(BridgeProperties.lookup(config, Map.of()));
            profiles = ProfileLoader.loadAll(settings.profiles());
        } catch (RuntimeException e) {
            System.err.println("validate: configuration error: " + e.getMessage());
            return 2;
        }
        if (!Files.isRegularFile(file)) {
            System.err.println("validate: no such file: " + file);
            return 2;
        }
        if (!profiles.containsKey(profile)) {
            System.err.println("validate: no profile '" + profile + "' (known: " + profiles.keySet() + ")");
            return 2;
        }
        Path work = Files.createTempDirectory("outbound-bridge-validate");
        ObjectMapper mapper = new ObjectMapper();
        CustomerLists lists = BridgeConfiguration.customerLists(settings, profiles, mapper, work,
                Clock.system(settings.timezone()));
        ListRun run = lists.pickUpAs(profile + "/" + file.getFileName(), file);
        try {
            Inspection inspection = lists.inspect(run);
            print(run, inspection, settings);
            try {
                lists.admit(run);
            } catch (ListFailedException e) {
                System.out.println("Verdict:     the service would put this list in error: " + e.getMessage());
                return 1;
            }
            printFirstPayload(run, settings, mapper);
            System.out.println("Verdict:     " + (inspection.rejected() == 0 ? "valid" : "sendable, with rejected rows"));
            return inspection.rejected() == 0 ? 0 : 1;
        } catch (ListFailedException e) {
            System.out.println("File:        " + file);
            System.out.println("Verdict:     the service would put this list in error at stage " + e.stage() + ": "
                    + e.getMessage());
            return 1;
        } finally {
            lists.cleanup(run);
            Files.deleteIfExists(work);
        }
    }

    private static void print(ListRun run, Inspection i, BridgeSettings s) throws IOException {
        System.out.println("File:        " + run.getFileName().substring(run.getProfileName().length() + 1)
                + "  (sha256 " + i.sha256() + ")");
        System.out.println("Profile:     " + run.getProfileName() + "  task name " + run.getBaseTaskName());
        System.out.println("Rows:        " + i.rows() + "  valid " + i.accepted() + "  rejected " + i.rejected());
        i.reasons().forEach((reason, n) -> System.out.println("  rejected:  " + n + " x " + reason));
        i.firstRejections().forEach(r -> System.out.println("    " + r));
        if (i.rejected() > i.firstRejections().size()) {
            System.out.println("    ... and more (the service writes every one to the rejects report)");
        }
        System.out.println("Planned:     " + TaskPlanner.tasksFor(i.accepted(), s.maxCustomersPerTask()) + " task(s), "
                + TaskPlanner.requestsFor(i.accepted(), s.batchSize(), s.maxCustomersPerTask())
                + " request(s) of at most " + s.batchSize() + " customers");
    }

    private static void printFirstPayload(ListRun run, BridgeSettings s, ObjectMapper mapper) throws IOException {
        RequestPlans plans = new RequestPlans(new TaskPlanner(s.batchSize(), s.maxCustomersPerTask()));
        Iterator<PlannedRequest> requests = plans.requests(run, 1);
        try {
            PlannedRequest first = requests.next();
            RequestBodies builder = new RequestBodies(Clock.system(s.timezone()));
            JsonNode payload = mapper.readTree(mapper.writeValueAsBytes(builder.build(first, run)));
            maskPhones(payload);
            System.out.println("First request (create " + first.taskName() + ", " + first.customers().size()
                    + " customers, phones masked):");
            System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(payload));
        } finally {
            ((java.io.Closeable) requests).close();
        }
    }

    private static void maskPhones(JsonNode node) {
        if (node instanceof ObjectNode object && object.has("mobile")) {
            object.put("mobile", Phones.mask(object.get("mobile").asText()));
        }
        node.forEach(ValidateCommand::maskPhones);
    }
}
