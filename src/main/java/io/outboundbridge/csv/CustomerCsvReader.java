package io.outboundbridge.csv;

import io.outboundbridge.task.CustomerRow;
import io.outboundbridge.task.Violation;

import org.apache.camel.CamelContext;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Streams the data records of a customer-list CSV file, one at a time and in constant memory.
 *
 * <p>{@code open} checks what makes a file unusable as a whole and throws {@link CsvFileException}: binary content,
 * bytes that do not decode in the charset (a UTF-8 BOM means UTF-8 whatever the setting), a header that does not
 * name the layout's columns in order (trimmed; extra empty columns at the end tolerated), no data rows.
 * Later records may still throw it, for undecodable bytes or an unterminated quote further down.
 *
 * <p>Each record keeps its physical start line and its original text. Blank lines (empty or only spaces) are
 * skipped but counted.
 * A row with fewer columns has the missing ones {@code null}; one with non-empty fields beyond the layout, or text
 * after a closing quote, is returned with a {@link Violation} in {@link CsvRecord#problems()} for the validator.
 */
public final class CustomerCsvReader implements Iterator<CsvRecord>, Closeable {

    private static final int SNIFF_BYTES = 8 * 1024;
    private static final Pattern LONG_NUMBER = Pattern.compile("\\d{5,}");
    private static final int MAX_FOUND_COLUMNS = 20;

    private final CsvRecordSplitter splitter;
    private final CustomerRowBinder binder;
    private final String fileName;
    private final int layoutColumns;
    private CsvRecord pending;
    private boolean fetched;
    private long dataRows;

    private CustomerCsvReader(CsvRecordSplitter splitter, CustomerRowBinder binder, String fileName) {
        this.splitter = splitter;
        this.binder = binder;
        this.fileName = fileName;
        this.layoutColumns = binder.columns().size();
    }

    public static CustomerCsvReader open(Path file, Charset charset) {
        return open(file, charset, null);
    }

    /** As {@link #open(Path, Charset)}, binding with the context's Bindy format registry. */
    public static CustomerCsvReader open(Path file, Charset charset, CamelContext camelContext) {
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return open(in, String.valueOf(file.getFileName()), charset, camelContext);
    }

    public static CustomerCsvReader open(InputStream in, String fileName, Charset charset) {
        return open(in, fileName, charset, null);
    }

    /** Reads from {@code in}, which the reader closes; {@code fileName} names the file in messages. */
    public static CustomerCsvReader open(InputStream in, String fileName, Charset charset, CamelContext camelContext) {
        try {
            BufferedInputStream bytes = new BufferedInputStream(in, 64 * 1024);
            Charset actual = skipUtf8Bom(bytes) ? StandardCharsets.UTF_8 : charset;
            rejectNul(bytes, fileName, actual);
            CsvRecordSplitter splitter = new CsvRecordSplitter(new StrictTextReader(bytes, actual), fileName, actual.name());
            CustomerCsvReader reader = new CustomerCsvReader(splitter, CustomerRowBinder.create(camelContext), fileName);
            reader.checkHeader();
            if (!reader.hasNext()) {
                throw new CsvFileException(fileName + ": no data rows");
            }
            return reader;
        } catch (IOException e) {
            closeQuietly(in);
            throw new UncheckedIOException("cannot read " + fileName, e);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    private static boolean skipUtf8Bom(BufferedInputStream in) throws IOException {
        in.mark(3);
        boolean bom = in.read() == 0xEF && in.read() == 0xBB && in.read() == 0xBF;
        if (!bom) {
            in.reset();
        }
        return bom;
    }

    /**
     * A NUL in the first bytes means a binary file (an image, a spreadsheet, UTF-16 text) even where it happens to
     * decode; looking before the header check reports it as such instead of as a wrong header. Counting lines on
     * bytes is exact here because every supported charset keeps CR and LF as single ASCII bytes.
     */
    private static void rejectNul(BufferedInputStream in, String fileName, Charset charset) throws IOException {
        in.mark(SNIFF_BYTES);
        byte[] head = in.readNBytes(SNIFF_BYTES);
        in.reset();
        long line = 1;
        for (int i = 0; i < head.length; i++) {
            byte b = head[i];
            if (b == 0) {
                throw CsvFileException.at(fileName, line, "not a text file in " + charset.name() + " (undecodable bytes / NUL)");
            }
            if (b == '\n' || b == '\r' && (i + 1 >= head.length || head[i + 1] != '\n')) {
                line++;
            }
        }
    }

    private void checkHeader() {
        if (!splitter.next()) {
            throw new CsvFileException(fileName + ": no data rows");
        }
        List<String> found = new ArrayList<>();
        for (int f = 0; f < splitter.tokens().size(); f++) {
            found.add(splitter.value(f).trim());
        }
        while (found.size() > layoutColumns && found.get(found.size() - 1).isEmpty()) {
            found.remove(found.size() - 1);
        }
        if (!found.equals(binder.columns())) {
            throw CsvFileException.at(fileName, splitter.startLine(),
                    "header does not match: expected " + binder.columns() + " found " + shown(found));
        }
    }

    /** The found header for a message: a data row in place of the header must not leak phone numbers. */
    private static String shown(List<String> found) {
        List<String> shown = new ArrayList<>();
        for (String cell : found.subList(0, Math.min(found.size(), MAX_FOUND_COLUMNS))) {
            shown.add(LONG_NUMBER.matcher(cell).replaceAll("<number>"));
        }
        if (found.size() > MAX_FOUND_COLUMNS) {
            shown.add("... " + found.size() + " columns");
        }
        return shown.toString();
    }

    @Override
    public boolean hasNext() {
        if (!fetched) {
            pending = splitter.next() ? toRecord() : null;
            fetched = true;
        }
        return pending != null;
    }

    @Override
    public CsvRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException(fileName + ": no more records");
        }
        CsvRecord next = pending;
        pending = null;
        fetched = false;
        dataRows++;
        return next;
    }

    private CsvRecord toRecord() {
        List<String> tokens = splitter.tokens();
        List<Violation> problems = List.of();
        if (tokens.size() > layoutColumns && lastNonEmpty(tokens) >= layoutColumns) {
            problems = List.of(new Violation("row", tokens.size() + " columns, the layout has " + layoutColumns));
        }
        int badQuote = splitter.textAfterQuoteField();
        if (badQuote >= 0) {
            String column = badQuote < layoutColumns ? binder.columns().get(badQuote) : "row";
            problems = new ArrayList<>(problems);
            problems.add(new Violation(column, "text after the closing quote"));
        }
        List<String> bound = tokens.size() > layoutColumns ? tokens.subList(0, layoutColumns) : tokens;
        CustomerRow row = binder.bind(splitter.startLine(), bound);
        return new CsvRecord(row, new RecordText(splitter), problems);
    }

    /** A record's text, taken from the splitter while the record is its current one, then kept. */
    private static final class RecordText implements Supplier<String> {

        private final CsvRecordSplitter splitter;
        private final long record;
        private final long line;
        private String text;

        RecordText(CsvRecordSplitter splitter) {
            this.splitter = splitter;
            this.record = splitter.records();
            this.line = splitter.startLine();
        }

        @Override
        public String get() {
            if (text == null) {
                if (splitter.records() != record) {
                    throw new IllegalStateException("the text of the record at line " + line + " was not asked for"
                            + " before the reader moved on to the record at line " + splitter.startLine());
                }
                text = splitter.original();
            }
            return text;
        }
    }

    private static int lastNonEmpty(List<String> tokens) {
        int last = tokens.size() - 1;
        while (last >= 0 && tokens.get(last).isBlank()) {
            last--;
        }
        return last;
    }

    /** Data records returned by {@link #next()} so far. */
    public long dataRows() {
        return dataRows;
    }

    @Override
    public void close() throws IOException {
        splitter.close();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the open failure being reported matters more than a failed close
        }
    }
}
