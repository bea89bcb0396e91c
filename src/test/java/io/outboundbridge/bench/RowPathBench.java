package io.outboundbridge.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.outboundbridge.csv.CsvReadBench;
import io.outboundbridge.csv.CsvRecord;
import io.outboundbridge.csv.CustomerCsvReader;
import io.outboundbridge.reading.DuplicateIdGuard;
import io.outboundbridge.task.PhoneNormalizer;
import io.outboundbridge.task.RowResult;
import io.outboundbridge.task.RowValidator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.LoggerFactory;

/**
 * Benchmark, not a test: the per-row path single-threaded, as the inspection runs it: {@link CustomerCsvReader},
 * {@link RowValidator} and {@link DuplicateIdGuard} over a generated 1,000,000-row UTF-8 file; rows per second,
 * median of 5 runs, for each stage added in turn.
 *
 * <p>Run: {@code mvn -o -q -Dexec.skip=true test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * -Dmdep.includeScope=test}, then {@code java -Xmx128m -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * io.outboundbridge.bench.RowPathBench [rows=1000000]}.
 */
public final class RowPathBench {

    private static final int RUNS = 5;

    private RowPathBench() {
    }

    public static void main(String[] args) throws Exception {
        // without a logback configuration for tests everything logs at DEBUG, Bindy once per field
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("row-path-bench");
        Path file = dir.resolve("list.csv");
        try {
            CsvReadBench.generate(file, rows);
            System.out.printf("%,d rows, %,d bytes%n", rows, Files.size(file));
            measure("reader", file, dir, 1);
            measure("reader + validator", file, dir, 2);
            measure("reader + validator + guard", file, dir, 3);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    private static void measure(String what, Path file, Path dir, int stages) throws Exception {
        long used = run(file, dir, stages, true)[1];
        double[] rates = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            System.gc();
            long start = System.nanoTime();
            long[] r = run(file, dir, stages, false);
            rates[i] = r[0] / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        System.out.printf("%-28s median %,9.0f rows/s  (runs %s); heap in use at the end (after GC) %,d KB%n", what,
                rates[RUNS / 2], Arrays.toString(Arrays.stream(rates).mapToLong(Math::round).toArray()),
                used / 1024);
    }

    /** @return rows read and, with {@code heap}, the heap in use after a GC at the end, everything still open */
    private static long[] run(Path file, Path dir, int stages, boolean heap) throws IOException {
        RowValidator validator = new RowValidator(new PhoneNormalizer(PhoneNormalizer.DEFAULT_PATTERN), "default");
        long valid = 0;
        long duplicates = 0;
        long used;
        try (CustomerCsvReader reader = CustomerCsvReader.open(file, StandardCharsets.UTF_8);
                DuplicateIdGuard ids = new DuplicateIdGuard(dir)) {
            while (reader.hasNext()) {
                CsvRecord rec = reader.next();
                if (stages >= 2) {
                    RowResult result = validator.validate(rec.row());
                    if (result.valid()) {
                        valid++;
                        if (stages >= 3 && ids.firstLineOf(result.customer().externalCustomerId(),
                                rec.row().line()) != 0) {
                            duplicates++;
                        }
                    }
                } else if (rec.row().name() != null) {
                    valid++;
                }
            }
            if (heap) {
                System.gc();
                used = heapInUse();
            } else {
                used = 0;
            }
            if (valid == 0 || duplicates != 0) {
                throw new IllegalStateException("valid " + valid + ", duplicates " + duplicates);
            }
            return new long[] {reader.dataRows(), used};
        }
    }

    private static long heapInUse() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }
}
