package io.outboundbridge.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Faults waiting for their call, taken in order by the first call each matches, and the named holds that block
 * calls until a test releases them.
 */
final class FaultQueue {

    private final List<Fault> faults = new ArrayList<>();
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();

    synchronized void enqueue(Fault... more) {
        faults.addAll(Arrays.asList(more));
    }

    /** The first queued fault matching the endpoint, removed from the queue; null when none. */
    synchronized Fault next(Endpoint endpoint) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext();) {
            Fault f = it.next();
            if (f.matches(endpoint)) {
                it.remove();
                return f;
            }
        }
        return null;
    }

    /** Blocks the calling request until the hold is released. */
    void hold(String name) throws InterruptedException {
        Hold h = hold0(name);
        h.held.countDown();
        h.released.await();
    }

    void release(String name) {
        hold0(name).released.countDown();
    }

    boolean awaitHeld(String name, Duration timeout) throws InterruptedException {
        return hold0(name).held.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Forgets queued faults and lets every held call go. */
    void clear() {
        synchronized (this) {
            faults.clear();
        }
        holds.values().forEach(h -> h.released.countDown());
        holds.clear();
    }

    private Hold hold0(String name) {
        return holds.computeIfAbsent(name, n -> new Hold());
    }

    /** A hold: {@code held} opens when a call waits on it, {@code released} when the test lets it go. */
    private static final class Hold {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
    }
}
