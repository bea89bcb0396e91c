package io.outboundbridge.reading;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What reading and validating a whole list found.
 *
 * @param rows      data rows (the header not counted)
 * @param accepted  valid rows, spooled for sending
 * @param rejected  invalid rows, written to the rejects report
 * @param reasons   rejected rows by rule (column and rule, without the measure found)
 * @param sha256    hex SHA-256 of the file's bytes
 * @param spool     valid customers, one JSON object per line, in file order
 * @param spoolIndex where each line of the spool starts, a long each, then where the spool ends
 * @param rejects   the rejects report, or null when no row was rejected
 * @param firstRejections the first few rejections as {@code line N, column: rule}, without row contents
 */
public record Inspection(long rows, long accepted, long rejected, Map<String, Long> reasons, String sha256,
        Path spool, Path spoolIndex, Path rejects, List<String> firstRejections) {
}
