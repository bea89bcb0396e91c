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
 * UTF-16 text (named as such), bytes that do not decode in the charset (a UTF-8 BOM means UTF-8 whatever the
 * setting), a header that does not name the layout's columns in order (trimmed; extra empty columns at the end
 * tolerated; invisible characters in it shown as <code>&#92;uXXXX</code> escapes), no data rows.
 * Later records may still throw it, for undecodable bytes or an unterminated quote further down.
 *
 * <p>Each record keeps its physical start line and its original text. Blank lines (empty or only spaces) are
 * skipped but counted.
 * A row with fewer columns has the missing ones {@code null}; one with non-empty fields beyond the layout, or text
 * after a closing quote, is returned with a {@link Violation} in {@link CsvRecord#problems()} for the validator.
 */
public final class CustomerCsvReader implements Iterator<CsvRecord>, Closeable {

    private static final int SNIFF_BYTES = 8 * 1024;
    /**
     * Five digits or more (any script's digits), also when spaces or dashes stand between them, as people write
     * phone numbers ({@code +86 138-0000-0001}): the phone normaliser removes those, so they still make a number.
     */
    private static final Pattern LONG_NUMBER = Pattern.compile("\\p{Nd}(?:[\\s\\x1C-\\x1F\\p{Z}\\-‐‑–—－]*\\p{Nd}){4,}");
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
            rejectUtf16AndNul(bytes, fileName, actual);
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
     * A NUL in the first bytes means a binary file (an image, a spreadsheet) even where it happens to decode;
     * looking before the header check reports it as such instead of as a wrong header. UTF-16 text is named as such:
     * by its byte order mark, or by NULs on one side of most byte pairs, which is what the ASCII header and digits
     * of a list look like in UTF-16. Counting lines on bytes is exact here because every supported charset keeps CR
     * and LF as single ASCII bytes.
     */
    private static void rejectUtf16AndNul(BufferedInputStream in, String fileName, Charset charset) throws IOException {
        in.mark(SNIFF_BYTES);
        byte[] head = in.readNBytes(SNIFF_BYTES);
        in.reset();
        String utf16 = utf16(head);
        if (utf16 != null) {
            throw new CsvFileException(fileName + ": " + utf16 + " text, not " + charset.name() + ": save it as "
                    + charset.name());
        }
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

    /** {@code UTF-16LE (byte order mark FF FE)} and the like when {@code head} starts UTF-16 text; otherwise null. */
    static String utf16(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE
                && !(head.length >= 4 && head[2] == 0 && head[3] == 0)) {
            return "UTF-16LE (byte order mark FF FE)";
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
            return "UTF-16BE (byte order mark FE FF)";
        }
        int pairs = head.length / 2;
        int nulFirst = 0;
        int nulSecond = 0;
        for (int i = 0; i + 1 < head.length; i += 2) {
            nulFirst += head[i] == 0 ? 1 : 0;
            nulSecond += head[i + 1] == 0 ? 1 : 0;
        }
        // ASCII in UTF-16LE is (c, 0); a CJK character may put a NUL on the other side now and then (U+4E00: 00 4E)
        if (nulSecond > 0 && nulSecond * 4 >= pairs && nulFirst * 8 <= nulSecond) {
            return "UTF-16LE (no byte order mark)";
        }
        if (nulFirst > 0 && nulFirst * 4 >= pairs && nulSecond * 8 <= nulFirst) {
            return "UTF-16BE (no byte order mark)";
        }
        return null;
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

    /**
     * The found header for a message: a data row in place of the header must not leak phone numbers, and an
     * invisible character (a BOM, a zero-width or no-break space, a control character) is shown as an escape, so the
     * message does not read as if the header were right.
     */
    private static String shown(List<String> found) {
        List<String> shown = new ArrayList<>();
        boolean escaped = false;
        for (String cell : found.subList(0, Math.min(found.size(), MAX_FOUND_COLUMNS))) {
            String masked = LONG_NUMBER.matcher(cell).replaceAll("<number>");
            String visible = escapeInvisible(masked);
            escaped |= !visible.equals(masked);
            shown.add(visible);
        }
        if (found.size() > MAX_FOUND_COLUMNS) {
            shown.add("... " + found.size() + " columns");
        }
        return shown + (escaped ? " (invisible characters shown as \\uXXXX)" : "");
    }

    /**
     * {@code text} with each character that shows as nothing or as a plain space (format and control characters,
     * other spaces, unpaired surrogates, unassigned and private-use code points) written as <code>&#92;uXXXX</code>.
     */
    static String escapeInvisible(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (invisible(cp)) {
                if (b == null) {
                    b = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                for (int k = i; k < next; k++) {
                    b.append(String.format("\\u%04X", (int) text.charAt(k)));
                }
            } else if (b != null) {
                b.append(text, i, next);
            }
            i = next;
        }
        return b == null ? text : b.toString();
    }

    private static boolean invisible(int cp) {
        switch (Character.getType(cp)) {
            case Character.SPACE_SEPARATOR:
                return cp != ' ';
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
                return true;
            default:
                return false;
        }
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
