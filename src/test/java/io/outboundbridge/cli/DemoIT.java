package io.outboundbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboundbridge.support.InProcessBridge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar outbound-bridge.jar demo} from the project folder, as a new user runs it. */
class DemoIT {

    @TempDir
    Path tmp;

    @Test
    void should_file_every_sample_list_and_exit_0() throws Exception {
        Path out = tmp.resolve("demo.out");
        Process demo = new ProcessBuilder("java", "-jar", System.getProperty("bridge.jar"), "demo", "--dir",
                tmp.resolve("demo").toString())
                .directory(InProcessBridge.repo().toFile())
                .redirectOutput(out.toFile())
                .redirectError(tmp.resolve("demo.err").toFile())
                .start();
        try {
            assertThat(demo.waitFor(120, TimeUnit.SECONDS)).as("demo finished").isTrue();
            String table = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(demo.exitValue()).as(table + Files.readString(tmp.resolve("demo.err"))).isZero();
            assertThat(table).containsPattern("clean\\.csv\\s+archive\\s+\\d+\\s+6\\s+0")
                    .containsPattern("with-invalid-rows\\.csv\\s+archive\\s+\\d+\\s+18\\s+2")
                    .containsPattern("big-2500\\.csv\\s+archive\\s+\\d+\\s+2500\\s+0")
                    .containsPattern("refused-by-vendor\\.csv\\s+error\\s+-\\s+0\\s+0\\s+create: 29002")
                    .contains("holds 4 tasks and 2525 customers");
            assertThat(Files.list(tmp.resolve("demo/inbox")).toList()).isEmpty();
        } finally {
            demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
