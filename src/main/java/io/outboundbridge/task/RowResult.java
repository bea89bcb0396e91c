package io.outboundbridge.task;

import java.util.List;

/**
 * What validation made of one CSV row.
 *
 * @param customer   the customer as it would be sent (trimmed, phones normalised); send it only when {@link #valid()}
 * @param violations every rule the row breaks, in column order; empty when the row is valid
 */
public record RowResult(Customer customer, List<Violation> violations) {

    public RowResult {
        violations = List.copyOf(violations);
    }

    /** Whether the row breaks no rule. */
    public boolean valid() {
        return violations.isEmpty();
    }
}
