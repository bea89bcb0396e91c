package io.outboundbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboundbridge.support.InProcessBridge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar outbound-bridge.jar demo} (and {@code bin/outbound-bridge demo}) from the project folder, as a new user runs it. */
class DemoIT {

    @TempDir
    Path tmp;

    @Test
    void should_file_every_sample_list_and_exit_0() throws Exception {
        String table = demo(new ProcessBuilder("java", "-jar", System.getProperty("bridge.jar"), "demo", "--dir",
                tmp.resolve("demo").toString()));

        assertSampleLists(table);
    }

    /** The same through bin/outbound-bridge: its JVM options in place, JAVA_OPTS added after them. */
    @Test
    void should_run_the_same_through_the_launcher_with_its_jvm_options() throws Exception {
        Path repo = InProcessBridge.repo();
        ProcessBuilder launcher = new ProcessBuilder("sh", repo.resolve("bin/outbound-bridge").toString(), "demo",
                "--dir", tmp.resolve("demo").toString());
        launcher.environment().put("JAVA_OPTS", "-XX:+PrintCommandLineFlags -Xmx128m");
        launcher.environment().remove("MALLOC_ARENA_MAX");

        String out = demo(launcher);

        assertSampleLists(out);
        String flags = out.lines().filter(l -> l.contains("-XX:InitialHeapSize")).findFirst().orElseThrow();
        assertThat(flags).contains("-XX:+UseSerialGC", "-XX:InitialHeapSize=67108864", "-XX:MaxHeapSize=134217728");
        Runtime.Version v = Runtime.version();
        boolean trims = v.feature() > 21 || v.feature() == 21 && v.update() >= 1 || v.feature() == 17 && v.update() >= 9;
        if (trims) {
            assertThat(flags).contains("-XX:TrimNativeHeapInterval=1000");
        } else {
            assertThat(flags).doesNotContain("TrimNativeHeapInterval");
        }
        if (Files.exists(repo.resolve("target/outbound-bridge.jsa"))) {
            assertThat(flags).contains("-XX:SharedArchiveFile=");
        }
    }

    private String demo(ProcessBuilder command) throws Exception {
        Path out = tmp.resolve("demo.out");
        Process demo = command.directory(InProcessBridge.repo().toFile())
                .redirectOutput(out.toFile())
                .redirectError(tmp.resolve("demo.err").toFile())
                .start();
        try {
            assertThat(demo.waitFor(120, TimeUnit.SECONDS)).as("demo finished").isTrue();
            String table = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(demo.exitValue()).as(table + Files.readString(tmp.resolve("demo.err"))).isZero();
            return table;
        } finally {
            demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void assertSampleLists(String table) throws Exception {
        assertThat(table).containsPattern("clean\\.csv\\s+archive\\s+\\d+\\s+6\\s+0")
                .containsPattern("with-invalid-rows\\.csv\\s+archive\\s+\\d+\\s+18\\s+2")
                .containsPattern("big-2500\\.csv\\s+archive\\s+\\d+\\s+2500\\s+0")
                .containsPattern("refused-by-vendor\\.csv\\s+error\\s+-\\s+0\\s+0\\s+create: 29002")
                .contains("holds 4 tasks and 2525 customers")
                // the scrape of /observe/metrics it prints: 3 lists archived, 1 in error, the customers it sent
                .contains("bridge_lists_filed_total{outcome=\"archive\",stage=\"\"} 3")
                .contains("bridge_lists_filed_total{outcome=\"error\",stage=\"create\"} 1")
                .contains("bridge_customers_confirmed_total 2524");
        assertThat(Files.list(tmp.resolve("demo/inbox")).toList()).isEmpty();
    }
}
