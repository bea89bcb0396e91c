package io.outboundbridge.vendor;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendor breaker: while the vendor is out (a call still failed for a retryable reason after all its retries),
 * no call goes out and no list is taken; the senders of the lists in flight wait here before their next request,
 * so their lists stay in processing instead of failing. After {@code openFor} one waiting call goes out as a probe:
 * its success closes the breaker and every waiting sender carries on, its failure opens it for another
 * {@code openFor}. The state machine is resilience4j's {@link CircuitBreaker} ({@link #circuitBreaker()}, bound for
 * Camel's circuitBreaker EIP too), fed with one outcome per call rather than per attempt: the retries of a call are
 * the route's.
 *
 * <p>Separately, the vendor refusing our credentials (10001, 10002) stops intake until a restart: sending more
 * cannot help until the configuration is corrected.
 */
public final class VendorBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(VendorBreaker.class);

    /** How long a waiting sender sleeps between looks at the breaker (it is also woken by every transition). */
    private static final long LOOK_MILLIS = 200;

    /**
     * One change of the breaker's state.
     *
     * @param from    CLOSED, OPEN or HALF_OPEN
     * @param to      CLOSED, OPEN or HALF_OPEN
     * @param reason  the failure that opened it, null for other transitions
     * @param probeAt when the next probe may go out, for a transition to OPEN; else null
     */
    public record Transition(String from, String to, String reason, Instant probeAt) {
    }

    private final CircuitBreaker breaker;
    private final Duration openFor;
    private final Clock clock;
    private final Object lock = new Object();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicBoolean refused = new AtomicBoolean();
    /** A probe call is out: half open is as closed to intake only when none is out and no sender waits. */
    private final AtomicBoolean probing = new AtomicBoolean();
    private final List<Consumer<Transition>> transitionListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> refusalListeners = new CopyOnWriteArrayList<>();
    private volatile String lastFailure;
    private volatile Instant openedAt;
    private volatile boolean stopping;

    /** @param openFor how long the breaker stays open before a probe call may go out */
    public VendorBreaker(Duration openFor, Clock clock) {
        if (openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("the breaker stays open for more than 0 ms (found " + openFor + ")");
        }
        this.openFor = openFor;
        this.clock = clock;
        // one failed call (after its retries) opens it, one probe in half-open decides; no timer thread of
        // resilience4j's own: the open state turns half-open when a waiting sender asks after openFor
        this.breaker = CircuitBreaker.of("vendor", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(1)
                .minimumNumberOfCalls(1)
                .failureRateThreshold(100)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(openFor)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
        breaker.getEventPublisher().onStateTransition(e -> transitioned(
                e.getStateTransition().getFromState(), e.getStateTransition().getToState()));
    }

    /** The resilience4j circuit breaker behind it (bound as {@code vendorCircuitBreaker}). */
    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /** CLOSED, OPEN or HALF_OPEN. */
    public String state() {
        return current().name();
    }

    /**
     * True while calls are held: the breaker is open, or half open with senders waiting for its probe. Intake pauses
     * meanwhile; half open with no list waiting, a list may be taken again, and its first call is the probe.
     */
    public boolean isOpen() {
        CircuitBreaker.State state = current();
        return state == CircuitBreaker.State.OPEN
                || state == CircuitBreaker.State.HALF_OPEN && (waiting.get() > 0 || probing.get());
    }

    /** True once the vendor refused our credentials (10001, 10002): no list is taken until a restart. */
    public boolean credentialsRefused() {
        return refused.get();
    }

    /** Why no list should be taken now, or null when lists may be taken. */
    public String intakeClosedBecause() {
        if (refused.get()) {
            return "the vendor refused our credentials (see the ERROR above); lists wait until a restart with the "
                    + "configuration corrected";
        }
        if (isOpen()) {
            return "the vendor breaker is open (the vendor is out)";
        }
        return null;
    }

    /** {@code listener} is told of every transition, on the thread that caused it; it must not block. */
    public void onTransition(Consumer<Transition> listener) {
        transitionListeners.add(listener);
    }

    /** {@code listener} is told once, with the vendor's answer, when the vendor refuses our credentials. */
    public void onCredentialsRefused(Consumer<String> listener) {
        refusalListeners.add(listener);
    }

    /**
     * Waits until a call may go out: at once while the breaker is closed; while it is open, until {@code openFor}
     * passed and this call is the one probe. Woken by every transition.
     *
     * @param giveUp asked while waiting: true when the call is no longer wanted (another task of its list failed)
     * @return true when this call is the probe: its outcome must be reported ({@link #succeeded}, {@link #failed})
     *         or its permission {@link #release}d
     * @throws StoppedWhileWaitingException when the service stops (or the thread is interrupted) while it waits
     * @throws VendorCallException          when {@code giveUp} says so
     */
    public boolean awaitPermission(BooleanSupplier giveUp) {
        if (breaker.tryAcquirePermission()) {
            return probe();
        }
        waiting.incrementAndGet();
        try {
            while (true) {
                if (stopping) {
                    throw new StoppedWhileWaitingException("the service is stopping while the call waits for the "
                            + "vendor breaker");
                }
                if (giveUp.getAsBoolean()) {
                    throw new VendorCallException("stopped waiting for the vendor breaker: another task of the "
                            + "list failed");
                }
                if (breaker.tryAcquirePermission()) {
                    return probe();
                }
                synchronized (lock) {
                    lock.wait(LOOK_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppedWhileWaitingException("interrupted while the call waits for the vendor breaker");
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Whether the permission just acquired is the probe's. */
    private boolean probe() {
        boolean probe = breaker.getState() == CircuitBreaker.State.HALF_OPEN;
        if (probe) {
            probing.set(true);
        }
        return probe;
    }

    /** The vendor answered a call (success, or a refusal that is not an outage): closes the breaker if open. */
    public void succeeded() {
        probing.set(false);
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            try {
                breaker.transitionToClosedState();
            } catch (IllegalStateTransitionException e) {
                LOG.debug("breaker already left OPEN: {}", e.getMessage());
            }
        } else {
            breaker.onSuccess(0, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A call still failed for a retryable reason after all its retries, or a probe failed: opens the breaker (again)
     * for {@code openFor}.
     *
     * @param reason the failure, for the log and the transition
     */
    public void failed(String reason) {
        probing.set(false);
        lastFailure = reason;
        breaker.onError(0, TimeUnit.NANOSECONDS, new VendorRetryableException(reason));
    }

    /** A probe that ended without telling anything about the vendor: another call may probe. */
    public void release() {
        probing.set(false);
        breaker.releasePermission();
    }

    /**
     * The vendor refused our credentials: stops intake until a restart. Logged once at ERROR with what to check.
     *
     * @param answer the vendor's answer (code and message)
     */
    public void refuseCredentials(String answer) {
        if (refused.compareAndSet(false, true)) {
            LOG.error("ALERT: the vendor refused our credentials ({}): check vendor.app-id, vendor.private-key, the "
                    + "public key uploaded to the vendor and this machine's clock. No new list is taken until the "
                    + "service is restarted with the configuration corrected; the list that met it is filed in error "
                    + "(drop it again after the restart to resume it)", answer);
            for (Consumer<String> listener : refusalListeners) {
                tell(() -> listener.accept(answer));
            }
        } else {
            LOG.debug("the vendor refused our credentials again: {}", answer);
        }
    }

    /** The service is stopping: waiting senders give up at once (their lists stay in processing). */
    public void stopping() {
        stopping = true;
        wake();
    }

    /** The state, an open breaker whose time is up turned half open (the next call probes). */
    private synchronized CircuitBreaker.State current() {
        CircuitBreaker.State state = breaker.getState();
        Instant opened = openedAt;
        if (state == CircuitBreaker.State.OPEN && opened != null
                && !clock.instant().isBefore(opened.plus(openFor))) {
            try {
                breaker.transitionToHalfOpenState();
            } catch (IllegalStateTransitionException e) {
                LOG.debug("breaker already left OPEN: {}", e.getMessage());
            }
            state = breaker.getState();
        }
        return state;
    }

    private void transitioned(CircuitBreaker.State from, CircuitBreaker.State to) {
        Instant probeAt = null;
        String reason = null;
        if (to == CircuitBreaker.State.OPEN) {
            openedAt = clock.instant();
            probeAt = openedAt.plus(openFor);
            reason = lastFailure;
            if (from == CircuitBreaker.State.HALF_OPEN) {
                LOG.warn("Vendor breaker open again: the probe call failed ({}); next probe at {}", reason, probeAt);
            } else {
                LOG.warn("Vendor breaker open: a call still failed after its retries ({}). Lists wait: new ones in "
                        + "the inbox, those in flight in processing, nothing is filed in error for it; a probe call "
                        + "goes out at {} (vendor.breaker.open-for {} ms)", reason, probeAt, openFor.toMillis());
            }
        } else if (to == CircuitBreaker.State.HALF_OPEN) {
            LOG.info("Vendor breaker half open: the next call is a probe");
        } else if (to == CircuitBreaker.State.CLOSED) {
            LOG.info("Vendor breaker closed: the vendor answers again; lists carry on where they stopped");
        }
        Transition transition = new Transition(from.name(), to.name(), reason, probeAt);
        for (Consumer<Transition> listener : transitionListeners) {
            tell(() -> listener.accept(transition));
        }
        wake();
    }

    private void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private static void tell(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.warn("a listener of the vendor breaker failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "vendor breaker " + state() + (refused.get() ? ", credentials refused" : "");
    }
}
