package io.outboundbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.BridgeLogsOnFailure;
import io.outboundbridge.support.BridgeProcess;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Sandboxes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integration teams change the flow by editing {@code routes/*.camel.yaml}, without recompiling: a copy of the
 * repository's routes, edited as YAML text, run by the packaged jar with {@code --routes}, changes what it does.
 */
class RoutesByConfigurationIT {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";
    static final String BRANCH_LOG = "PARAMETER-ERROR-BRANCH";

    /** The added branch of the vendor-code choice: 29002 leaves a marker file and a log line, then fails the list. */
    static final String PARAMETER_ERROR_BRANCH = """
            - id: vendor-parameter-error
              simple: "${exchangeProperty.call.answer.code} == '29002'"
              steps:
                - log:
                    loggingLevel: WARN
                    message: "%s ${exchangeProperty.run.fileName}: ${exchangeProperty.call.answer.describe()}"
                - setProperty:
                    name: parameterError
                    constant: "true"
                - setBody:
                    simple: "${exchangeProperty.call.answer.describe()}"
                - to:
                    id: to-parameter-error-marker
                    uri: "file:{{bridge.quarantine}}"
                    parameters:
                      fileName: "${exchangeProperty.run.day}/${exchangeProperty.run.fileName}.parameter-error.txt"
                - throwException:
                    id: refuse-parameters
                    exceptionType: io.outboundbridge.vendor.VendorRefusedException
                    message: "vendor answered ${exchangeProperty.call.answer.describe()}"
            """.formatted(BRANCH_LOG).indent(14);

    @TempDir
    Path tmp;

    @RegisterExtension
    final BridgeLogsOnFailure logs = new BridgeLogsOnFailure();

    @Test
    void should_follow_edited_routes_to_a_new_error_folder_and_a_new_vendor_code_branch() throws Exception {
        Path routes = copyRoutes(tmp.resolve("routes"));
        edit(routes.resolve("poll-customer-drops.camel.yaml"),
                "moveFailed: \"{{path:bridge.error}}/", "moveFailed: \"{{path:bridge.quarantine}}/", 1);
        edit(routes.resolve("file-outcome.camel.yaml"),
                "'{{path:bridge.error}}'", "'{{path:bridge.quarantine}}'", 1);
        edit(routes.resolve("call-vendor.camel.yaml"),
                "            otherwise:\n", PARAMETER_ERROR_BRANCH + "            otherwise:\n", 1);
        Path quarantine = tmp.resolve("quarantine");
        Folders folders = new Folders(tmp.resolve("data"));
        String day = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();

        try (SandboxVendor sandbox = Sandboxes.start()) {
            Map<String, String> settings = new HashMap<>(InProcessBridge.testSettings(folders, sandbox));
            settings.put("bridge.quarantine", quarantine.toString());
            try (BridgeProcess bridge = logs.watch(BridgeProcess.start(tmp.resolve("run"), routes, settings))) {
                sandbox.enqueue(Fault.code("29002"));
                folders.drop("refused-cfg.csv", HEADER + "张三,,P1,,13800000001,,,,,\n");

                Path list = quarantine.resolve(day).resolve("refused-cfg.csv");
                Path report = quarantine.resolve(day).resolve("refused-cfg.csv.error.json");
                Path marker = quarantine.resolve(day).resolve("refused-cfg.csv.parameter-error.txt");
                bridge.awaitUntil("refused list filed in the new error folder",
                        () -> Files.exists(list) && Files.exists(report));

                JsonNode error = new ObjectMapper().readTree(report.toFile());
                assertThat(error.path("stage").asText()).isEqualTo("create");
                assertThat(error.path("vendorCode").asText()).isEqualTo("29002");
                assertThat(marker).exists();
                assertThat(Files.readString(marker, StandardCharsets.UTF_8)).contains("29002");
                assertThat(bridge.log()).contains(BRANCH_LOG + " refused-cfg.csv");
                assertThat(Folders.filesUnder(folders.error())).as("the configured error folder is not used").isEmpty();
                assertThat(sandbox.tasks()).isEmpty();

                // the edited routes still send a good list as before
                folders.drop("fine-cfg.csv", HEADER + "李四,,P2,,13800000002,,,,,\n");
                assertThat(bridge.awaitOutcome(folders, "fine-cfg.csv").archived()).isTrue();
                assertThat(sandbox.task("default-fine-cfg").orElseThrow().externalCustomerIds()).containsExactly("P2");
                assertThat(Folders.filesUnder(folders.inbox())).isEmpty();
                assertThat(Folders.filesUnder(folders.processing())).isEmpty();
            }
        }
    }

    static Path copyRoutes(Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(InProcessBridge.repo().resolve("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }

    /** Replaces {@code from} by {@code to} in a route file, failing unless it occurs exactly {@code times} times. */
    static void edit(Path file, String from, String to, int times) throws IOException {
        String yaml = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(List.of(yaml.split(java.util.regex.Pattern.quote(from), -1))).as("occurrences of %s in %s", from,
                file.getFileName()).hasSize(times + 1);
        Files.writeString(file, yaml.replace(from, to), StandardCharsets.UTF_8);
    }
}
