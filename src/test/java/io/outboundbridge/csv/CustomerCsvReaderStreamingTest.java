package io.outboundbridge.csv;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads a 1,000,000-row file in a separate JVM whose heap (24 MB) is far smaller than the file (58 MB) and than the
 * rows it holds: if the reader kept records or the whole text, that JVM would fail with OutOfMemoryError.
 */
class CustomerCsvReaderStreamingTest {

    private static final int ROWS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void should_stream_a_million_rows_in_a_small_constant_heap() throws Exception {
        Path file = dir.resolve("million.csv");
        CsvReadBench.generate(file, ROWS);
        assertThat(Files.size(file)).isGreaterThan(50L * 1024 * 1024);
        Path output = dir.resolve("out.txt");

        Process child = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx24m", "-cp", System.getProperty("java.class.path"),
                ReadAll.class.getName(), file.toString()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();

        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(printed).isZero();
        assertThat(printed).contains("rows=" + ROWS);
    }

    /** The child JVM's main: reads every record and prints how many. */
    static final class ReadAll {

        private ReadAll() {
        }

        public static void main(String[] args) throws IOException {
            ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
            try (CustomerCsvReader reader = CustomerCsvReader.open(Path.of(args[0]), StandardCharsets.UTF_8)) {
                while (reader.hasNext()) {
                    reader.next();
                }
                System.out.println("rows=" + reader.dataRows());
            }
        }
    }
}
