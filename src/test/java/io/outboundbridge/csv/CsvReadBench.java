package io.outboundbridge.csv;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Benchmark, not a test: rows per second of {@link CustomerCsvReader} over a generated UTF-8 file, median of 5 runs.
 * Run: {@code mvn -o -q -Dexec.skip=true test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt}
 * then {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.outboundbridge.csv.CsvReadBench 1000000}.
 */
public final class CsvReadBench {

    private static final int RUNS = 5;

    private CsvReadBench() {
    }

    public static void main(String[] args) throws IOException {
        // without a logback configuration on the class path everything logs at DEBUG, Bindy once per field
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path file = Files.createTempFile("csv-read-bench", ".csv");
        try {
            generate(file, rows);
            read(file);
            double[] rates = new double[RUNS];
            for (int run = 0; run < RUNS; run++) {
                long start = System.nanoTime();
                long read = read(file);
                rates[run] = read / ((System.nanoTime() - start) / 1e9);
                System.out.printf("run %d: %,.0f rows/s%n", run + 1, rates[run]);
            }
            Arrays.sort(rates);
            System.out.printf("CustomerCsvReader: %,d rows, %,d bytes, median %,.0f rows/s%n",
                    rows, Files.size(file), rates[RUNS / 2]);
        } finally {
            Files.delete(file);
        }
    }

    /** A list shaped like a real one: Chinese names, some quoted fields, short rows, a second number on every third row. */
    public static void generate(Path file, int rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\r\n");
            for (int i = 0; i < rows; i++) {
                out.write("客户" + i);
                out.write(i % 10 == 0 ? ",\"VIP, 回访\"" : ",普通");
                out.write(",C" + i + ",");
                out.write(i % 7 == 0 ? "\"{\"\"k\"\":1}\"" : "");
                out.write("," + (13800000000L + i) + ",本人");
                if (i % 3 == 0) {
                    out.write("," + (13900000000L + i) + ",配偶,,");
                }
                out.write("\r\n");
            }
        }
    }

    private static long read(Path file) throws IOException {
        long checksum = 0;
        try (CustomerCsvReader reader = CustomerCsvReader.open(file, StandardCharsets.UTF_8)) {
            while (reader.hasNext()) {
                checksum += reader.next().row().name().length();
            }
            if (checksum == 0) {
                throw new IllegalStateException("nothing read");
            }
            return reader.dataRows();
        }
    }
}
