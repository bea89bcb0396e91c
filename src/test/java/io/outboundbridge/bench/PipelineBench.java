package io.outboundbridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.csv.CustomerCsvReader;
import io.outboundbridge.csv.CustomerCsvRecord;
import io.outboundbridge.reading.Inspection;
import io.outboundbridge.reading.ListInspector;
import io.outboundbridge.reading.SpoolBatches;
import io.outboundbridge.task.PhoneNormalizer;
import io.outboundbridge.task.PlannedRequest;
import io.outboundbridge.task.RowValidator;
import io.outboundbridge.task.TaskPlanner;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.dataformat.bindy.csv.BindyCsvDataFormat;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * Rows per second of the service's work before sending, in this JVM on one thread, over one file:
 * {@link ListInspector} (parse, validate with {@link RowValidator}, duplicate ids, rejects, spool, SHA-256) followed
 * by {@link TaskPlanner} over the spool (every request planned, as the route's split pulls them); and for context
 * the parts alone: our reader (record splitter + Bindy binding), the record splitter alone, and Bindy's
 * whole-file unmarshal (the naive baseline's parse).
 *
 * <p>Run alone: {@code java -cp ... io.outboundbridge.bench.PipelineBench FILE.csv [runs]}.
 */
public final class PipelineBench {

    /** Median rows/s of each measured part (-1 where it could not run). */
    public record Rates(long rows, double ours, double reader, double splitter, double bindy) {
    }

    private final Path file;
    private final Path warmFile;
    private final Path work;
    private final String phonePattern;
    private final String identify;

    /** {@code warmFile}: a smaller list each part runs over once first, to warm the JIT without a full-size run. */
    PipelineBench(Path file, Path warmFile, Path work, String phonePattern, String identify) {
        this.file = file;
        this.warmFile = warmFile;
        this.work = work;
        this.phonePattern = phonePattern;
        this.identify = identify;
    }

    public static void main(String[] args) throws Exception {
        BridgeBenchmark.quietLogging();
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path work = Files.createTempDirectory("pipeline-bench");
        Rates r = new PipelineBench(file, file, work, PhoneNormalizer.DEFAULT_PATTERN, "default").measure(runs, 3, true);
        System.out.printf("rows %,d: ours %,.0f rows/s; reader %,.0f; splitter %,.0f; bindy %,.0f%n", r.rows(),
                r.ours(), r.reader(), r.splitter(), r.bindy());
    }

    /** Median of {@code runs} for ours, of {@code contextRuns} for the context figures, each after one warm-up. */
    Rates measure(int runs, int contextRuns, boolean withBindy) throws Exception {
        long rows = BenchRows.count(file);
        ours(warmFile);
        double ours = median(runs, () -> ours(file), rows, "parse+validate+plan");
        reader(warmFile);
        double reader = median(contextRuns, () -> reader(file), rows, "reader (splitter + Bindy binding)");
        double splitter = -1;
        try {
            splitter(warmFile);
            splitter = median(contextRuns, () -> splitter(file), rows, "record splitter");
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("  record splitter not measured: " + e);
        }
        double bindy = -1;
        if (withBindy) {
            try (CamelContext camel = new DefaultCamelContext()) {
                camel.start();
                bindy(camel, warmFile);
                bindy = median(contextRuns, () -> bindy(camel, file), rows, "Bindy whole-file unmarshal");
            }
        }
        return new Rates(rows, ours, reader, splitter, bindy);
    }

    interface Run {
        long run() throws Exception;
    }

    private static double median(int runs, Run run, long rows, String what) throws Exception {
        double[] rates = new double[runs];
        for (int i = 0; i < runs; i++) {
            System.gc();
            long start = System.nanoTime();
            long n = run.run();
            rates[i] = n / ((System.nanoTime() - start) / 1e9);
            if (n != rows) {
                throw new IllegalStateException(what + ": " + n + " rows, expected " + rows);
            }
        }
        Arrays.sort(rates);
        System.err.printf("  %-36s %s rows/s (median %,.0f)%n", what, Arrays.toString(
                Arrays.stream(rates).mapToLong(Math::round).toArray()), rates[runs / 2]);
        return rates[runs / 2];
    }

    /** What the service does before its first vendor call, minus the Camel wiring: inspect, then plan every request. */
    long ours(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ListInspector inspector = new ListInspector(StandardCharsets.UTF_8, mapper);
        RowValidator validator = new RowValidator(new PhoneNormalizer(phonePattern), identify);
        Path dir = work.resolve("inspect");
        Inspection inspection = inspector.inspect(file, file.getFileName().toString(), validator, dir);
        if (inspection.rejected() != 0) {
            throw new IllegalStateException(inspection.rejected() + " rows rejected: " + inspection.firstRejections());
        }
        long planned = 0;
        try (SpoolBatches batches = new SpoolBatches(inspection.spool(), inspection.spoolIndex())) {
            TaskPlanner planner = new TaskPlanner(1000, 20_000);
            for (int t = 1; t <= planner.tasks(inspection.accepted()); t++) {
                Iterator<PlannedRequest> requests = planner.planTask("bench-list", inspection.accepted(), t, batches);
                while (requests.hasNext()) {
                    planned += requests.next().customers().size();
                }
            }
        }
        if (planned != inspection.accepted()) {
            throw new IllegalStateException("planned " + planned + " of " + inspection.accepted());
        }
        deleteTree(dir);
        return inspection.rows();
    }

    long reader(Path file) throws IOException {
        try (CustomerCsvReader reader = CustomerCsvReader.open(file, StandardCharsets.UTF_8)) {
            long chars = 0;
            while (reader.hasNext()) {
                chars += reader.next().row().name().length();
            }
            if (chars == 0) {
                throw new IllegalStateException("nothing read");
            }
            return reader.dataRows();
        }
    }

    /**
     * The package-private record splitter of {@code csv}, reached by reflection (bench only): if its name or
     * constructor changes, this figure is left out.
     */
    long splitter(Path file) throws Exception {
        Class<?> readerClass = Class.forName("io.outboundbridge.csv.StrictTextReader");
        Constructor<?> readerNew = readerClass.getDeclaredConstructor(InputStream.class, Charset.class);
        readerNew.setAccessible(true);
        Class<?> splitterClass = Class.forName("io.outboundbridge.csv.CsvRecordSplitter");
        Constructor<?> splitterNew = splitterClass.getDeclaredConstructor(Reader.class, String.class, String.class);
        splitterNew.setAccessible(true);
        Method next = splitterClass.getDeclaredMethod("next");
        next.setAccessible(true);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                Reader text = (Reader) readerNew.newInstance(in, StandardCharsets.UTF_8);
                AutoCloseable splitter = (AutoCloseable) splitterNew.newInstance(text, "bench", "UTF-8")) {
            long records = 0;
            while ((Boolean) next.invoke(splitter)) {
                records++;
            }
            return records - 1;
        }
    }

    /** The naive baseline's parse: Bindy unmarshals the whole file into one list. */
    long bindy(CamelContext camel, Path file) throws Exception {
        BindyCsvDataFormat format = new BindyCsvDataFormat(CustomerCsvRecord.class);
        format.setCamelContext(camel);
        format.start();
        Exchange exchange = new DefaultExchange(camel);
        try (InputStream in = Files.newInputStream(file)) {
            Object result = format.unmarshal(exchange, in);
            return result instanceof List<?> list ? list.size() : 1;
        } finally {
            format.stop();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
