package io.outboundbridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A list whose customers were sent always ends filed and reported, whatever happens to the outcome folders (issue
 * case 1): the archive cannot take its outcome, neither the archive nor the error folder can, or its name is too
 * long for its reports' names.
 */
class OutcomeFilingFaultsTest {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,"
            + "mobile3,relation3\n";
    static final String DAY = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();

    @TempDir
    Path tmp;

    private SandboxVendor sandbox;
    private Folders folders;

    @BeforeEach
    void start() {
        sandbox = Sandboxes.start();
        folders = new Folders(tmp.resolve("data"));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    static String rows(String prefix, int n) {
        StringBuilder s = new StringBuilder(HEADER);
        for (int i = 1; i <= n; i++) {
            s.append("客户").append(i).append(",,").append(prefix).append(i).append(",,1380000")
                    .append(String.format("%04d", i)).append(",,,,,\n");
        }
        return s.toString();
    }

    /** A day folder that cannot be made: a file stands where it would be. */
    private static Path block(Path outcomeFolder) throws Exception {
        Files.createDirectories(outcomeFolder);
        return Files.writeString(outcomeFolder.resolve(DAY), "not a folder");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void should_file_a_sent_list_in_error_at_stage_file_when_the_archive_cannot_take_its_outcome() throws Exception {
        block(folders.archive());
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, Map.of())) {
            folders.drop("blocked.csv", rows("B", 3));

            Outcome outcome = folders.awaitOutcome("blocked.csv");

            assertThat(outcome.kind()).isEqualTo("error");
            assertThat(outcome.report().path("stage").asText()).isEqualTo("file");
            assertThat(outcome.report().path("message").asText())
                    .startsWith("the outcome could not be written in " + folders.archive().resolve(DAY));
            assertThat(outcome.report().path("customersSent").asInt()).isEqualTo(3);
            assertThat(outcome.taskIds()).hasSize(1).doesNotContainNull();
            assertThat(outcome.report().path("sha256").asText()).isEqualTo(sha256(outcome.list()));
            assertThat(sandbox.totalCustomers()).isEqualTo(3);
            await().atMost(Duration.ofSeconds(10)).until(() -> Folders.filesUnder(folders.work()).isEmpty());
            assertThat(Folders.filesUnder(folders.processing())).isEmpty();
        }
    }

    @Test
    void should_keep_a_list_neither_folder_takes_in_processing_and_file_it_later_without_sending_again()
            throws Exception {
        Path archiveBlock = block(folders.archive());
        Path errorBlock = block(folders.error());
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, Map.of("bridge.refile-interval", "300"))) {
            folders.drop("nowhere.csv", rows("N", 4));
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.totalCustomers() == 4);
            int calls = sandbox.calls().size();
            // it waits in processing, its scratch files gone, and is taken again while no folder takes it
            await().atMost(Duration.ofSeconds(30)).until(() -> Folders.filesUnder(folders.work()).isEmpty()
                    && Files.exists(folders.processing().resolve("nowhere.csv")));
            assertThat(folders.outcome("nowhere.csv")).isEmpty();

            Files.delete(archiveBlock);
            Files.delete(errorBlock);

            Outcome outcome = folders.awaitOutcome("nowhere.csv");
            assertThat(outcome.kind()).isEqualTo("archive");
            assertThat(outcome.report().path("customersSent").asInt()).isEqualTo(4);
            assertThat(outcome.report().path("sha256").asText()).isEqualTo(sha256(outcome.list()));
            assertThat(sandbox.calls()).hasSize(calls);
            assertThat(sandbox.totalCustomers()).isEqualTo(4);
            assertThat(Folders.filesUnder(folders.processing())).isEmpty();
            assertThat(Folders.filesUnder(folders.inbox())).isEmpty();
        }
    }

    @Test
    void should_file_a_list_whose_name_is_too_long_for_its_reports_under_a_shortened_name() throws Exception {
        String name = "名".repeat(78) + ".csv"; // 238 bytes: NAME.result.json would be 250, .writing-NAME... 259
        assertThat(name.getBytes(StandardCharsets.UTF_8).length).isEqualTo(238);
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, Map.of())) {
            folders.drop(name, rows("L", 2));

            await().atMost(Duration.ofSeconds(30)).until(() -> Folders.filesUnder(folders.archive()).size() == 2);
            Path report = Folders.filesUnder(folders.archive()).stream()
                    .filter(p -> p.getFileName().toString().endsWith(".result.json")).findFirst().orElseThrow();
            String storedAs = report.getFileName().toString().replace(".result.json", "");
            Path list = report.resolveSibling(storedAs);
            assertThat(storedAs.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Outcomes.MAX_NAME_BYTES);
            assertThat(storedAs).endsWith(".csv").contains("~");
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toFile());
            assertThat(json.path("file").asText()).isEqualTo(name);
            assertThat(json.path("storedAs").asText()).isEqualTo(storedAs);
            assertThat(json.path("sha256").asText()).isEqualTo(sha256(list));
            assertThat(sandbox.totalCustomers()).isEqualTo(2);
        }
    }
}
