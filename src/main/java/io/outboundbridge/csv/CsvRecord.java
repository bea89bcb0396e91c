package io.outboundbridge.csv;

import io.outboundbridge.task.CustomerRow;
import io.outboundbridge.task.Violation;

import java.util.List;

/**
 * One data record of a customer list: the row as parsed, its text exactly as in the file (for the rejects report),
 * and the problems the reader already found in its shape (too many columns, text after a closing quote).
 *
 * @param row      the parsed row; {@code row.line()} is the physical line where the record starts
 * @param original the record's text without its line end; contains the line breaks of quoted fields
 * @param problems shape problems for the validator to reject the row on; empty when there are none
 */
public record CsvRecord(CustomerRow row, String original, List<Violation> problems) {

    public CsvRecord {
        problems = List.copyOf(problems);
    }
}
