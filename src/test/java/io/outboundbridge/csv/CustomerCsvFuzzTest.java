package io.outboundbridge.csv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.outboundbridge.task.Customer;
import io.outboundbridge.task.CustomerRow;
import io.outboundbridge.task.PhoneNormalizer;
import io.outboundbridge.task.PhoneRelation;
import io.outboundbridge.task.RowResult;
import io.outboundbridge.task.RowValidator;
import io.outboundbridge.task.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fuzzes the customer-list path from bytes to verdicts: {@link CustomerCsvReader} (with its splitter, strict decoder
 * and Bindy binder), {@link RowValidator} and {@link RejectsCsvWriter}. A plain build replays the committed inputs in
 * {@code CustomerCsvFuzzTestInputs/}; docs/fuzzing.md says how to fuzz. Every input is read as UTF-8, GBK and
 * GB18030, the supported charsets, through a stream that hands out its bytes in uneven pieces; one input in 8 also
 * with a first data record stretched past the reader's first buffer.
 *
 * <p>What must hold for any input:
 * <ul>
 *   <li>only {@link CsvFileException} escapes, and exactly when the file is unusable as a whole by the tests' own
 *       reading ({@link ReferenceCsv}); otherwise the records are the ones that reading finds, line for line;</li>
 *   <li>accepted + rejected = data rows, and an accepted row is a customer the vendor takes;</li>
 *   <li>no message holds a phone number: no 11 digits in a row, once spaces and dashes are taken out as the phone
 *       normaliser does;</li>
 *   <li>the rejects report reads back as exactly the rows written;</li>
 *   <li>memory stays bounded: inputs are capped at 64 KiB and what reading them allocates grows at most linearly
 *       with their size (a record is never held beyond the reader's record limit).</li>
 * </ul>
 */
class CustomerCsvFuzzTest {

    private static final int MAX_INPUT = 64 * 1024;
    /** About the reader's first buffer, in chars. */
    private static final int STRETCH = 64 * 1024;
    private static final List<Charset> CHARSETS = List.of(UTF_8, Charset.forName("GBK"), Charset.forName("GB18030"));
    private static final String FILE = "fuzz.csv";
    private static final String IDENTIFY = "default";
    private static final Set<String> COLUMNS = Set.of("name", "desc", "externalCustomerId", "externalData", "mobile1",
            "relation1", "mobile2", "relation2", "mobile3", "relation3", "row");
    private static final Pattern ELEVEN_DIGITS = Pattern.compile("\\p{Nd}{11}");
    /** Allocation allowed per charset: a fixed part (buffers, the Bindy binder) and a part per input byte. */
    private static final long FIXED_ALLOCATION = 8L << 20;
    private static final long ALLOCATION_PER_BYTE = 1_000;

    private static final RowValidator VALIDATOR = new RowValidator(new PhoneNormalizer(PhoneNormalizer.DEFAULT_PATTERN), IDENTIFY);
    private static final PhoneNormalizer PHONES = new PhoneNormalizer(PhoneNormalizer.DEFAULT_PATTERN);
    private static final Path REJECTS;

    static {
        try {
            Path dir = Files.createTempDirectory("csv-fuzz");
            dir.toFile().deleteOnExit();
            REJECTS = dir.resolve("rejects.csv");
            REJECTS.toFile().deleteOnExit();
            // classes loaded and initialised once (Bindy, the charsets) are not what the allocation check is about
            byte[] warmUp = (String.join(",", ReferenceCsv.LAYOUT) + "\n张三,,C1,,13800000001\n").getBytes(UTF_8);
            for (Charset charset : CHARSETS) {
                readOnly(warmUp, charset);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void should_keep_its_invariants_on_any_list(byte[] input) throws IOException {
        byte[] bytes = input.length > MAX_INPUT ? Arrays.copyOf(input, MAX_INPUT) : input;
        for (Charset charset : CHARSETS) {
            readAndCheck(bytes, charset);
        }
        // the input's hash spread over 64 bits: which inputs are stretched, in which charset, by how much
        long pick = Arrays.hashCode(bytes) * 0x9E3779B97F4A7C15L;
        byte[] stretched = stretched(bytes, pick);
        if (stretched != null) {
            readAndCheck(stretched, CHARSETS.get((int) ((pick >>> 32) % CHARSETS.size())));
        }
    }

    private static void readAndCheck(byte[] bytes, Charset charset) throws IOException {
        long before = allocatedBytes();
        readOnly(bytes, charset);
        assertThat(allocatedBytes() - before).as("bytes allocated reading %d input bytes as %s", bytes.length, charset)
                .isLessThan(FIXED_ALLOCATION + ALLOCATION_PER_BYTE * bytes.length);
        check(bytes, charset);
    }

    /**
     * For one input in 8: the input with about 64 Ki 'x' put at the start of its second line, so that the record
     * there outgrows the reader's first buffer (64 Ki chars) and the input's own characters meet that boundary; null
     * for the others and for inputs of one line. Fuzzed inputs stay far smaller than that by themselves.
     */
    private static byte[] stretched(byte[] bytes, long pick) {
        int firstLineEnd = 0;
        while (firstLineEnd < bytes.length && bytes[firstLineEnd] != '\n') {
            firstLineEnd++;
        }
        if (pick >>> 61 != 0 || firstLineEnd == bytes.length) {
            return null;
        }
        int padding = STRETCH - 64 + (int) ((pick >>> 40) & 127);
        byte[] out = new byte[bytes.length + padding];
        System.arraycopy(bytes, 0, out, 0, firstLineEnd + 1);
        Arrays.fill(out, firstLineEnd + 1, firstLineEnd + 1 + padding, (byte) 'x');
        System.arraycopy(bytes, firstLineEnd + 1, out, firstLineEnd + 1 + padding, bytes.length - firstLineEnd - 1);
        return out;
    }

    /** Reads every record as the service does (and its text, as for a rejected row), nothing else. */
    private static void readOnly(byte[] bytes, Charset charset) throws IOException {
        try (CustomerCsvReader reader = CustomerCsvReader.open(new Trickle(bytes), FILE, charset)) {
            while (reader.hasNext()) {
                reader.next().original();
            }
        } catch (CsvFileException e) {
            // check() looks at the exception
        }
    }

    private static void check(byte[] bytes, Charset charset) throws IOException {
        ReferenceCsv.Listing expected = ReferenceCsv.list(bytes, charset);
        List<CsvRecord> records = new ArrayList<>();
        List<RowResult> results = new ArrayList<>();
        long dataRows;
        Files.deleteIfExists(REJECTS);
        List<List<String>> written = new ArrayList<>();
        long accepted = 0;
        long rejected = 0;
        try (CustomerCsvReader reader = CustomerCsvReader.open(new Trickle(bytes), FILE, charset);
                RejectsCsvWriter rejects = new RejectsCsvWriter(REJECTS)) {
            while (reader.hasNext()) {
                CsvRecord record = reader.next();
                assertThat(record.original().length()).isLessThanOrEqualTo(CsvRecordSplitter.MAX_RECORD_CHARS);
                RowResult result = VALIDATOR.validate(record.row());
                List<Violation> problems = new ArrayList<>(record.problems());
                problems.addAll(result.violations());
                if (problems.isEmpty()) {
                    accepted++;
                    checkAccepted(record.row(), result.customer());
                } else {
                    rejected++;
                    for (Violation v : problems) {
                        assertThat(COLUMNS).contains(v.column());
                        assertNoPhoneNumber(v.rule());
                        rejects.write(record.row().line(), v, record.original());
                        written.add(List.of(Long.toString(record.row().line()), v.column(), v.rule(), record.original()));
                    }
                }
                records.add(record);
                results.add(result);
            }
            dataRows = reader.dataRows();
        } catch (CsvFileException e) {
            assertThat(e.getMessage()).startsWith(FILE);
            assertNoPhoneNumber(e.getMessage());
            assertThat(expected.usable()).as("the reader refused a usable list: %s", e.getMessage()).isFalse();
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("only CsvFileException may escape the reader, not " + e, e);
        }
        assertThat(expected.usable()).as("the reader took a list that is %s", expected.unusable()).isTrue();
        assertThat(accepted + rejected).isEqualTo(dataRows).isEqualTo(records.size());
        assertSameRecords(records, expected.data());
        assertRejectsReadBack(written);
    }

    /** An accepted row is sent as it was written: stripped texts, numbers the vendor takes. */
    private static void checkAccepted(CustomerRow row, Customer customer) {
        assertThat(customer.name()).isEqualTo(strip(row.name()));
        assertThat(customer.externalCustomerId()).isEqualTo(strip(row.externalCustomerId()));
        for (PhoneRelation relation : customer.phoneGroupVoList().get(0).relations()) {
            assertThat(PHONES.isValid(relation.mobile())).as("accepted number").isTrue();
            assertThat(relation.mobile()).matches("[0-9]+");
        }
    }

    private static void assertSameRecords(List<CsvRecord> records, List<ReferenceCsv.Record> expected) {
        assertThat(records).hasSameSizeAs(expected);
        for (int r = 0; r < records.size(); r++) {
            CsvRecord actual = records.get(r);
            ReferenceCsv.Record want = expected.get(r);
            assertThat(actual.row().line()).isEqualTo(want.line());
            assertThat(actual.original()).isEqualTo(want.original());
            List<String> values = want.values();
            String[] fields = new String[ReferenceCsv.LAYOUT.size()];
            for (int k = 0; k < Math.min(values.size(), fields.length); k++) {
                fields[k] = values.get(k);
            }
            assertThat(actual.row()).isEqualTo(new CustomerRow(want.line(), fields[0], fields[1], fields[2], fields[3],
                    fields[4], fields[5], fields[6], fields[7], fields[8], fields[9]));
            List<Violation> problems = new ArrayList<>();
            int last = values.size() - 1;
            while (last >= 0 && values.get(last).isBlank()) {
                last--;
            }
            if (values.size() > fields.length && last >= fields.length) {
                problems.add(new Violation("row", values.size() + " columns, the layout has " + fields.length));
            }
            if (want.textAfterQuote() >= 0) {
                problems.add(new Violation(want.textAfterQuote() < fields.length
                        ? ReferenceCsv.LAYOUT.get(want.textAfterQuote()) : "row", "text after the closing quote"));
            }
            assertThat(actual.problems()).isEqualTo(problems);
        }
    }

    /** The report is UTF-8 with a BOM and reads back, through RFC 4180, as the rows written (formulas defused). */
    private static void assertRejectsReadBack(List<List<String>> written) throws IOException {
        if (written.isEmpty()) {
            assertThat(REJECTS).doesNotExist();
            return;
        }
        byte[] bytes = Files.readAllBytes(REJECTS);
        assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF);
        String text = new String(bytes, 3, bytes.length - 3, UTF_8);
        List<ReferenceCsv.Record> read;
        try {
            read = ReferenceCsv.records(text);
        } catch (ReferenceCsv.Unterminated e) {
            throw new AssertionError("the rejects report has an unterminated quote:\n" + text, e);
        }
        List<List<String>> expected = new ArrayList<>();
        expected.add(List.of("line", "column", "reason", "original"));
        for (List<String> row : written) {
            List<String> cells = new ArrayList<>();
            for (String cell : row) {
                cells.add(!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell);
            }
            expected.add(cells);
        }
        assertThat(read).extracting(ReferenceCsv.Record::values).isEqualTo(expected);
        assertThat(read).allSatisfy(r -> assertThat(r.textAfterQuote()).isEqualTo(-1));
    }

    /** No 11 digits in a row once what the phone normaliser drops from a number (spaces, dashes) is dropped. */
    private static void assertNoPhoneNumber(String message) {
        StringBuilder kept = new StringBuilder(message.length());
        message.codePoints()
                .filter(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp) && "-‐‑–—－".indexOf(cp) < 0)
                .forEach(kept::appendCodePoint);
        assertThat(ELEVEN_DIGITS.matcher(kept).find()).as("a phone number in: %s", message).isFalse();
    }

    private static String strip(String value) {
        return value == null ? null : value.strip();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Hands out the input in pieces of 1 to 4096 bytes, as a network or a slow disk may: refills at any point. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final Random pieces;
        private int at;

        Trickle(byte[] bytes) {
            this.bytes = bytes;
            this.pieces = new Random(Arrays.hashCode(bytes));
        }

        @Override
        public int read() {
            return at < bytes.length ? bytes[at++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (at >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, bytes.length - at), 1 + pieces.nextInt(pieces.nextBoolean() ? 8 : 4096));
            System.arraycopy(bytes, at, b, off, n);
            at += n;
            return n;
        }
    }
}
