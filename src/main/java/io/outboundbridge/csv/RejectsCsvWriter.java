package io.outboundbridge.csv;

import io.outboundbridge.task.Violation;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the rejects report {@code line,column,reason,original}, one row per violation, safe to open in a
 * spreadsheet: UTF-8 with a BOM (so Excel shows Chinese text), RFC 4180 quoting, and every cell that a spreadsheet
 * would take for a formula prefixed with {@code '}. The file is created on the first row only: no rejects, no file.
 */
public final class RejectsCsvWriter implements Closeable {

    private static final String HEADER = "line,column,reason,original";

    private final Path target;
    private Writer out;
    private int rows;

    public RejectsCsvWriter(Path target) {
        this.target = target;
    }

    /** Appends one row: the violation {@code v} of the record starting at {@code line}, whose text is {@code original}. */
    public void write(long line, Violation v, String original) {
        try {
            if (out == null) {
                out = Files.newBufferedWriter(target, StandardCharsets.UTF_8);
                out.write('\uFEFF');
                out.write(HEADER);
                out.write("\r\n");
            }
            out.write(cell(Long.toString(line)));
            out.write(',');
            out.write(cell(v.column()));
            out.write(',');
            out.write(cell(v.rule()));
            out.write(',');
            out.write(cell(original));
            out.write("\r\n");
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** The cell as written: neutralised against formula injection, then quoted where RFC 4180 needs it. */
    static String cell(String value) {
        String text = value == null ? "" : value;
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    /** Rows written so far, the header not counted. */
    public int rows() {
        return rows;
    }

    /** Whether the file exists because at least one row was written. */
    public boolean created() {
        return out != null;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
