package io.outboundbridge.ledger;

import java.time.Instant;

/**
 * A list's claim as the ledger holds it: which instance works on the list, under which fence, and until when its
 * lease runs (by the database's clock); {@code lapsed} when that time has passed.
 *
 * @param key the list's name in its inbox ({@code vip/list.csv}; a partner's list {@code sftp:PARTNER:vip/list.csv})
 */
public record ListClaim(String key, String instance, long fence, Instant claimedAt, Instant leaseUntil,
        boolean lapsed) {
}
