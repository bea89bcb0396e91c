package io.outboundbridge.csv;

import io.outboundbridge.task.CustomerRow;
import io.outboundbridge.task.Violation;

import java.util.List;
import java.util.function.Supplier;

/**
 * One data record of a customer list: the row as parsed, its text exactly as in the file (for the rejects report),
 * and the problems the reader already found in its shape (too many columns, text after a closing quote).
 *
 * @param row      the parsed row; {@code row.line()} is the physical line where the record starts
 * @param text     the record's text, see {@link #original()}
 * @param problems shape problems for the validator to reject the row on; empty when there are none
 */
public record CsvRecord(CustomerRow row, Supplier<String> text, List<Violation> problems) {

    public CsvRecord {
        problems = List.copyOf(problems);
    }

    /**
     * The record's text without its line end; contains the line breaks of quoted fields. Only rejected rows need it,
     * so the reader builds it when asked: first ask before the reader moves to the next record.
     */
    public String original() {
        return text.get();
    }
}
