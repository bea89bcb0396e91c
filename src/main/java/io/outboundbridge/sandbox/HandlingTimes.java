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
    private final long[] cpuNanos = new long[SIZE];
    private long count;

    /** @param cpu the handling thread's CPU time over the call, -1 when the JVM cannot tell */
    synchronized void add(long elapsedNanos, long cpu) {
        int at = (int) (count++ % SIZE);
        nanos[at] = elapsedNanos;
        cpuNanos[at] = cpu;
    }

    /** The recent handling times (wall clock) in nanoseconds, oldest first. */
    synchronized long[] recent() {
        return ordered(nanos);
    }

    /** The handling threads' CPU time over the recent calls in nanoseconds, oldest first: what other load on the machine does not inflate. */
    synchronized long[] recentCpu() {
        return ordered(cpuNanos);
    }

    synchronized void clear() {
        Arrays.fill(nanos, 0);
        Arrays.fill(cpuNanos, 0);
        count = 0;
    }

    private long[] ordered(long[] ring) {
        int n = (int) Math.min(count, SIZE);
        long[] out = new long[n];
        int start = (int) (count % SIZE);
        for (int i = 0; i < n; i++) {
            out[i] = ring[count <= SIZE ? i : (start + i) % SIZE];
        }
        return out;
    }
}
