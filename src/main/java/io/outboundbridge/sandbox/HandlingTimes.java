package io.outboundbridge.sandbox;

import java.util.Arrays;

/**
 * How long the sandbox itself took over its most recent calls (from the request's arrival at the handler to the
 * answer written), so a benchmark can tell the sandbox's share of a round trip from the client's. A fixed ring of
 * the last {@value #SIZE} calls: constant memory however long the sandbox runs.
 */
final class HandlingTimes {

    static final int SIZE = 4096;

    private final long[] nanos = new long[SIZE];
    private long count;

    synchronized void add(long elapsedNanos) {
        nanos[(int) (count++ % SIZE)] = elapsedNanos;
    }

    /** The recent handling times in nanoseconds, oldest first. */
    synchronized long[] recent() {
        int n = (int) Math.min(count, SIZE);
        long[] out = new long[n];
        int start = (int) (count % SIZE);
        for (int i = 0; i < n; i++) {
            out[i] = nanos[count <= SIZE ? i : (start + i) % SIZE];
        }
        return out;
    }

    synchronized void clear() {
        Arrays.fill(nanos, 0);
        count = 0;
    }
}
