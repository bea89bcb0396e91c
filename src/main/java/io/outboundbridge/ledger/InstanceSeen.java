package io.outboundbridge.ledger;

import java.time.Instant;

/** An instance working on the ledger: when it started and was last seen; {@code live} when seen within a lease. */
public record InstanceSeen(String instanceId, Instant startedAt, Instant seenAt, boolean live) {
}
