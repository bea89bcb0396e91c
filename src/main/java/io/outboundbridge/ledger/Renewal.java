package io.outboundbridge.ledger;

import java.util.Set;

/**
 * What one heartbeat renewed: the list claims and runs it did not renew (another instance holds them now, or they
 * are gone) are no longer this instance's.
 */
public record Renewal(Set<String> lostKeys, Set<Long> lostRuns) {
}
