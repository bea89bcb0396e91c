package io.outboundbridge.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts RFC 4180 text into records and fields in one pass over a char buffer, without regexes: separators, doubled
 * quotes and line breaks inside quotes, CRLF / LF / CR line ends. Keeps each record's physical start line and its
 * original text; skips blank lines (still counting them). Memory is bounded by the longest record, not the file.
 *
 * <p>Fields come out in the form Bindy's {@code BindyCsvFactory.bind} expects: outer quotes removed and inner quotes
 * still doubled, which Bindy turns into single quotes (RFC 4180 section 2.7).
 */
final class CsvRecordSplitter implements Closeable {

    /** A record this long is not a customer row: most likely a quote that is never closed. */
    static final int MAX_RECORD_CHARS = 1 << 20;

    private static final byte PLAIN = 0;
    private static final byte PLAIN_WITH_QUOTES = 1;
    private static final byte QUOTED = 2;

    private final Reader in;
    private final String fileName;
    private final String charsetName;

    private char[] buf = new char[64 * 1024];
    private int recordStart;
    private int limit;
    private boolean endOfInput;
    private long line = 1;
    private long quoteStartLine = -1;

    private long startLine;
    /** The current record's text, built when asked (rejected rows only) from where it is in {@link #buf}. */
    private String original;
    private int originalStart;
    private int originalLength;
    private long records;
    private final List<String> tokens = new ArrayList<>(16);
    private int fieldCount;
    private int[] fieldFrom = new int[16];
    private int[] fieldTo = new int[16];
    private byte[] fieldKind = new byte[16];
    private int textAfterQuoteField;

    CsvRecordSplitter(Reader in, String fileName, String charsetName) {
        this.in = in;
        this.fileName = fileName;
        this.charsetName = charsetName;
    }

    /** Reads the next non-blank record; false at the end of the input. */
    boolean next() {
        for (;;) {
            startLine = line;
            fieldCount = 0;
            textAfterQuoteField = -1;
            int i = 0;
            int c = charAt(0);
            if (c < 0) {
                return false;
            }
            for (;;) {
                if (c == '"') {
                    i = quotedField(i + 1);
                    c = charAt(i);
                    while (c == ' ' || c == '\t') {
                        c = charAt(++i);
                    }
                    if (c >= 0 && c != ',' && c != '\r' && c != '\n') {
                        if (textAfterQuoteField < 0) {
                            textAfterQuoteField = fieldCount - 1;
                        }
                        i = plainField(i, false);
                        c = charAt(i);
                    }
                } else {
                    i = plainField(i, true);
                    c = charAt(i);
                }
                if (c != ',') {
                    break;
                }
                c = charAt(++i);
            }
            int recordLength = i;
            if (c == '\r') {
                if (charAt(++i) == '\n') {
                    i++;
                }
                line++;
            } else if (c == '\n') {
                i++;
                line++;
            }
            boolean blank = isBlank();
            if (!blank) {
                original = null;
                originalStart = recordStart;
                originalLength = recordLength;
                records++;
                buildTokens();
            }
            recordStart += i;
            if (!blank) {
                return true;
            }
        }
    }

    /** Scans a quoted field whose first content char is at {@code i}; returns the index after its closing quote. */
    private int quotedField(int i) {
        int from = i;
        quoteStartLine = line;
        for (;;) {
            int c = charAt(i);
            if (c == '"') {
                if (charAt(i + 1) != '"') {
                    break;
                }
                i += 2;
                continue;
            }
            if (c < 0) {
                throw CsvFileException.at(fileName, startLine, "unterminated quoted field starting at line " + quoteStartLine);
            }
            if (c == '\n' || c == '\r' && charAt(i + 1) != '\n') {
                line++;
            } else if (c == 0) {
                throw notText();
            }
            i++;
        }
        quoteStartLine = -1;
        addField(from, i, QUOTED);
        return i + 1;
    }

    /** Scans an unquoted field (or the junk after a closing quote) up to a separator or line end. */
    private int plainField(int i, boolean add) {
        int from = i;
        byte kind = PLAIN;
        int c = charAt(i);
        while (c >= 0 && c != ',' && c != '\r' && c != '\n') {
            if (c == '"') {
                kind = PLAIN_WITH_QUOTES;
            } else if (c == 0) {
                throw notText();
            }
            c = charAt(++i);
        }
        if (add) {
            addField(from, i, kind);
        }
        return i;
    }

    private void addField(int from, int to, byte kind) {
        if (fieldCount == fieldFrom.length) {
            fieldFrom = Arrays.copyOf(fieldFrom, fieldCount * 2);
            fieldTo = Arrays.copyOf(fieldTo, fieldCount * 2);
            fieldKind = Arrays.copyOf(fieldKind, fieldCount * 2);
        }
        fieldFrom[fieldCount] = from;
        fieldTo[fieldCount] = to;
        fieldKind[fieldCount] = kind;
        fieldCount++;
    }

    private boolean isBlank() {
        if (fieldCount != 1 || fieldKind[0] == QUOTED) {
            return false;
        }
        for (int k = recordStart + fieldFrom[0]; k < recordStart + fieldTo[0]; k++) {
            if (!Character.isWhitespace(buf[k])) {
                return false;
            }
        }
        return true;
    }

    private void buildTokens() {
        tokens.clear();
        for (int f = 0; f < fieldCount; f++) {
            String text = new String(buf, recordStart + fieldFrom[f], fieldTo[f] - fieldFrom[f]);
            // a literal quote in an unquoted field is doubled so that Bindy's un-doubling gives it back unchanged
            tokens.add(fieldKind[f] == PLAIN_WITH_QUOTES ? text.replace("\"", "\"\"") : text);
        }
    }

    /** The character at offset {@code i} of the current record, reading more input as needed; -1 at the end. */
    private int charAt(int i) {
        int k = recordStart + i;
        return k < limit ? buf[k] : fill(i);
    }

    private int fill(int i) {
        while (recordStart + i >= limit) {
            if (endOfInput) {
                return -1;
            }
            if (recordStart > 0) {
                System.arraycopy(buf, recordStart, buf, 0, limit - recordStart);
                limit -= recordStart;
                recordStart = 0;
            }
            // two free chars at least: one supplementary character decodes to a surrogate pair
            if (buf.length - limit < 2) {
                if (buf.length >= MAX_RECORD_CHARS) {
                    throw tooLong();
                }
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int n = read();
            if (n < 0) {
                endOfInput = true;
            } else {
                limit += n;
            }
        }
        return buf[recordStart + i];
    }

    private int read() {
        try {
            return in.read(buf, limit, buf.length - limit);
        } catch (CharacterCodingException e) {
            throw notText();
        } catch (IOException e) {
            throw new UncheckedIOException(fileName + ": " + e.getMessage(), e);
        }
    }

    private CsvFileException notText() {
        return CsvFileException.at(fileName, line, "not a text file in " + charsetName + " (undecodable bytes / NUL)");
    }

    private CsvFileException tooLong() {
        if (quoteStartLine >= 0) {
            return CsvFileException.at(fileName, startLine, "unterminated quoted field starting at line " + quoteStartLine
                    + " (no closing quote within " + MAX_RECORD_CHARS + " characters)");
        }
        return CsvFileException.at(fileName, startLine, "record longer than " + MAX_RECORD_CHARS + " characters");
    }

    /** Physical line where the current record starts (the header is line 1). */
    long startLine() {
        return startLine;
    }

    /** The current record's text exactly as in the file, without its line end; until {@link #next()} is called. */
    String original() {
        if (original == null) {
            original = new String(buf, originalStart, originalLength);
        }
        return original;
    }

    /** How many records {@link #next()} returned: the current one's number. */
    long records() {
        return records;
    }

    /** The current record's fields in Bindy's form (see the class comment); reused for the next record. */
    List<String> tokens() {
        return tokens;
    }

    /** Field {@code f}'s value as the file means it: doubled quotes undone. */
    String value(int f) {
        String token = tokens.get(f);
        return token.indexOf('"') < 0 ? token : token.replace("\"\"", "\"");
    }

    /** Index of the first field with text after its closing quote (e.g. {@code "a"b}), or -1. */
    int textAfterQuoteField() {
        return textAfterQuoteField;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
