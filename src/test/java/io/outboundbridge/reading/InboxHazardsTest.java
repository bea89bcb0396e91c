package io.outboundbridge.reading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a partner or a local user can leave in an inbox: files the read lock could never take, odd names, symbolic
 * links. A good list is never held up by them; each is filed or named once, and a link is never followed.
 */
class InboxHazardsTest {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,"
            + "mobile3,relation3\n";
    static final String GOOD = HEADER + "张三,,G1,,13800000001,,,,,\n";

    @TempDir
    Path tmp;

    private SandboxVendor sandbox;
    private Folders folders;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(InboxFiles.class);

    @BeforeEach
    void start() {
        sandbox = Sandboxes.start();
        folders = new Folders(tmp.resolve("data"));
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(log);
        sandbox.close();
    }

    private List<String> lines(String containing) {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(containing)).toList();
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
    }

    @Test
    void should_take_a_good_list_at_once_whatever_else_waits_in_the_inbox() throws Exception {
        Path inbox = Files.createDirectories(folders.inbox());
        for (int i = 1; i <= 5; i++) {
            Files.createFile(inbox.resolve("empty-" + i + ".csv"));
        }
        run("mkfifo", inbox.resolve("pipe.csv").toString());
        Files.writeString(inbox.resolve("new\nline.csv"), GOOD.replace("G1", "NL"));
        // a name in bytes that are not UTF-8: Java cannot open it by the name it lists
        run("sh", "-c", "printf '" + HEADER.replace("\n", "\\n") + "' > \"$1\"/$(printf 'bad\\377\\376.csv')", "sh",
                inbox.toString());
        String longName = "l".repeat(246) + ".csv"; // 250 bytes: the longest names the file system takes
        Files.writeString(inbox.resolve(longName), GOOD.replace("G1", "LN"));

        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, Map.of())) {
            folders.drop("good.csv", GOOD);

            Outcome good = folders.awaitOutcome("good.csv", Duration.ofSeconds(10));
            assertThat(good.archived()).isTrue();
            for (int i = 1; i <= 5; i++) {
                Outcome empty = folders.awaitOutcome("empty-" + i + ".csv", Duration.ofSeconds(10));
                assertThat(empty.kind()).isEqualTo("error");
                assertThat(empty.report().path("message").asText()).contains("no data rows");
            }
            assertThat(folders.awaitOutcome("new\nline.csv").archived()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.totalCustomers() == 3);
            assertThat(Folders.filesUnder(folders.archive())).anySatisfy(
                    p -> assertThat(p.getFileName().toString()).startsWith("llll").endsWith(".csv.result.json"));

            // the FIFO and the undecodable name stay, each named once however many polls pass
            int polls = 10;
            await().pollDelay(Duration.ofMillis(50L * polls)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(Files.exists(inbox.resolve("pipe.csv"))).isTrue();
            assertThat(lines("pipe.csv")).hasSize(1).first().asString().contains("not a regular file");
            assertThat(lines("cannot be opened by its name")).hasSize(1);
            assertThat(Folders.filesUnder(folders.processing())).isEmpty();
        }
    }

    @Test
    void should_never_follow_a_symbolic_link_in_the_inbox() throws Exception {
        Path inbox = Files.createDirectories(folders.inbox());
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path valid = Files.writeString(outside.resolve("valid.csv"), GOOD.replace("G1", "OUT"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path inElsewhere = Files.writeString(elsewhere.resolve("list.csv"), GOOD.replace("G1", "ELSE"));
        Files.createSymbolicLink(inbox.resolve("p.csv"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(inbox.resolve("linked.csv"), valid);
        Files.createSymbolicLink(inbox.resolve("default"), elsewhere);

        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, Map.of())) {
            folders.drop("good.csv", GOOD);
            assertThat(folders.awaitOutcome("good.csv").archived()).isTrue();
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);

            assertThat(sandbox.totalCustomers()).isEqualTo(1);
            assertThat(Files.isSymbolicLink(inbox.resolve("p.csv"))).isTrue();
            assertThat(Files.isSymbolicLink(inbox.resolve("linked.csv"))).isTrue();
            assertThat(Files.isSymbolicLink(inbox.resolve("default"))).isTrue();
            assertThat(valid).exists();
            assertThat(inElsewhere).exists();
            assertThat(lines("symbolic link")).hasSize(3);
            assertThat(Folders.filesUnder(folders.error())).isEmpty();
            assertThat(Folders.filesUnder(folders.archive())).allSatisfy(p -> assertThat(
                    Files.readString(p, StandardCharsets.UTF_8)).doesNotContain("root:x"));
        }
    }

    @Test
    void should_leave_an_immutable_list_in_the_inbox_named_once_with_no_copy_in_processing() throws Exception {
        Path inbox = Files.createDirectories(folders.inbox());
        Path immutable = Files.writeString(inbox.resolve("immutable.csv"), GOOD.replace("G1", "IM"));
        Process chattr = new ProcessBuilder("chattr", "+i", immutable.toString()).redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr.waitFor() == 0, "chattr +i is not available here");
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, Map.of())) {
            folders.drop("good.csv", GOOD);
            assertThat(folders.awaitOutcome("good.csv").archived()).isTrue();
            await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).until(() -> true);

            assertThat(immutable).exists();
            assertThat(Folders.filesUnder(folders.processing())).isEmpty();
            assertThat(lines("immutable.csv")).hasSize(1).first().asString().contains("cannot be moved");
            assertThat(log.list.stream().filter(e -> e.getFormattedMessage().contains("immutable.csv")))
                    .allSatisfy(e -> assertThat(e.getLevel().toString()).isEqualTo("ERROR"));
            assertThat(sandbox.totalCustomers()).isEqualTo(1);
        } finally {
            new ProcessBuilder("chattr", "-i", immutable.toString()).start().waitFor();
        }
    }
}
