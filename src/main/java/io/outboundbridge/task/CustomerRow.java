package io.outboundbridge.task;

/**
 * One data row of a customer list as read from the file, before validation.
 * A column left out of the row (empty trailing columns) is {@code null}; a column present but empty is {@code ""}.
 *
 * @param line physical line of the file where the record starts (the header is line 1)
 */
public record CustomerRow(
        long line,
        String name,
        String desc,
        String externalCustomerId,
        String externalData,
        String mobile1,
        String relation1,
        String mobile2,
        String relation2,
        String mobile3,
        String relation3) {
}
