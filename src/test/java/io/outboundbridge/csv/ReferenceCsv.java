package io.outboundbridge.csv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tests' own reading of CSV text, written from RFC 4180 and DESIGN.md's CSV layout rather than from the reader:
 * the whole text decoded at once, then cut into records by a plain loop over a String. The fuzz test checks the
 * streaming reader (its char buffer, refills, line counting, binding) against it.
 */
final class ReferenceCsv {

    static final List<String> LAYOUT = List.of("name", "desc", "externalCustomerId", "externalData", "mobile1",
            "relation1", "mobile2", "relation2", "mobile3", "relation3");

    /**
     * One record.
     *
     * @param line           physical line where it starts (1 = first line)
     * @param original       its text without the line end
     * @param values         its fields as the file means them (outer quotes removed, doubled quotes undone)
     * @param quoted         per field, whether it was quoted
     * @param textAfterQuote index of the first quoted field followed by text other than spaces, or -1
     */
    record Record(long line, String original, List<String> values, List<Boolean> quoted, int textAfterQuote) {
    }

    /** A customer list as the layout reads it: its data records, or why it is unusable as a whole. */
    record Listing(List<Record> data, String unusable) {
        boolean usable() {
            return unusable == null;
        }
    }

    /** The text did not end where a quoted field did. */
    static final class Unterminated extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private ReferenceCsv() {
    }

    /** Reads a customer list: a UTF-8 BOM means UTF-8; bytes that do not decode, a NUL, a wrong header, no data. */
    static Listing list(byte[] bytes, Charset charset) {
        Charset actual = charset;
        byte[] content = bytes;
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            actual = StandardCharsets.UTF_8;
            content = Arrays.copyOfRange(bytes, 3, bytes.length);
        }
        String text;
        try {
            text = actual.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return new Listing(List.of(), "undecodable");
        }
        if (text.indexOf('\0') >= 0) {
            return new Listing(List.of(), "NUL");
        }
        List<Record> records;
        try {
            records = records(text);
        } catch (Unterminated e) {
            return new Listing(List.of(), "unterminated quote");
        }
        if (records.isEmpty()) {
            return new Listing(List.of(), "no header");
        }
        List<String> header = new ArrayList<>();
        for (String v : records.get(0).values()) {
            header.add(v.trim());
        }
        while (header.size() > LAYOUT.size() && header.get(header.size() - 1).isEmpty()) {
            header.remove(header.size() - 1);
        }
        if (!header.equals(LAYOUT)) {
            return new Listing(List.of(), "wrong header");
        }
        if (records.size() == 1) {
            return new Listing(List.of(), "no data rows");
        }
        return new Listing(records.subList(1, records.size()), null);
    }

    /** Cuts text into records: CRLF, LF or CR line ends; blank lines (one unquoted field of spaces) left out. */
    static List<Record> records(String s) throws Unterminated {
        List<Record> records = new ArrayList<>();
        int n = s.length();
        int i = 0;
        long line = 1;
        while (i < n) {
            long start = line;
            int from = i;
            List<String> values = new ArrayList<>();
            List<Boolean> quoted = new ArrayList<>();
            int textAfterQuote = -1;
            for (;;) {
                if (i < n && s.charAt(i) == '"') {
                    StringBuilder v = new StringBuilder();
                    i++;
                    for (;;) {
                        if (i >= n) {
                            throw new Unterminated();
                        }
                        char c = s.charAt(i);
                        if (c == '"') {
                            if (i + 1 < n && s.charAt(i + 1) == '"') {
                                v.append('"');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        if (c == '\n' || c == '\r' && !(i + 1 < n && s.charAt(i + 1) == '\n')) {
                            line++;
                        }
                        v.append(c);
                        i++;
                    }
                    values.add(v.toString());
                    quoted.add(true);
                    while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                        i++;
                    }
                    if (i < n && !endOfField(s.charAt(i))) {
                        if (textAfterQuote < 0) {
                            textAfterQuote = values.size() - 1;
                        }
                        while (i < n && !endOfField(s.charAt(i))) {
                            i++;
                        }
                    }
                } else {
                    int f = i;
                    while (i < n && !endOfField(s.charAt(i))) {
                        i++;
                    }
                    values.add(s.substring(f, i));
                    quoted.add(false);
                }
                if (i < n && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                break;
            }
            int to = i;
            if (i < n) {
                if (s.charAt(i) == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
                    i++;
                }
                i++;
                line++;
            }
            boolean blank = values.size() == 1 && !quoted.get(0) && values.get(0).chars().allMatch(Character::isWhitespace);
            if (!blank) {
                records.add(new Record(start, s.substring(from, to), values, quoted, textAfterQuote));
            }
        }
        return records;
    }

    private static boolean endOfField(char c) {
        return c == ',' || c == '\r' || c == '\n';
    }
}
