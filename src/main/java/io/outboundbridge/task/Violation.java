package io.outboundbridge.task;

/**
 * A rule a row breaks.
 *
 * @param column the CSV column (e.g. {@code mobile2}), or {@code row} for a rule about the whole row
 * @param rule   what is wrong, for a person: names the rule and the value's measure, never a full phone number
 */
public record Violation(String column, String rule) {
}
