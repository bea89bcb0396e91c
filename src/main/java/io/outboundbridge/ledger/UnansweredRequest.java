package io.outboundbridge.ledger;

import java.time.Instant;

/**
 * A request recorded as sent with no answer recorded: in flight, or its answer was lost (timeout, reset, crash).
 * The vendor may or may not have applied it.
 *
 * @param taskIndex the task
 * @param sequence  1 = the task's create, 2, 3, ... appends
 * @param customers customers it carried
 * @param attempts  how many times it was sent
 * @param sentAt    when it was last sent
 */
public record UnansweredRequest(int taskIndex, int sequence, int customers, int attempts, Instant sentAt) {

    /** A lost create: whether the task exists at the vendor is unknown. */
    public boolean create() {
        return sequence == 1;
    }
}
