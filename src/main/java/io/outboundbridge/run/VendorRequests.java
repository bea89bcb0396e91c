package io.outboundbridge.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.observe.BridgeMetrics;
import io.outboundbridge.task.Phones;
import io.outboundbridge.task.PlannedRequest;
import io.outboundbridge.vendor.VendorAnswer;
import io.outboundbridge.vendor.VendorAnswerReader;
import io.outboundbridge.vendor.VendorBreaker;
import io.outboundbridge.vendor.VendorRefusedException;
import io.outboundbridge.vendor.VendorUnreachableException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;

/**
 * Turns a planned request into the vendor's create or append call, and records what the vendor answered and
 * confirmed, in the list's run and in the ledger: a create's task id is what the task's appends go to.
 */
public final class VendorRequests {

    private final String createPath;
    private final String appendPath;
    private final RequestBodies bodies;
    private final ListLedger ledger;
    private final VendorAnswerReader answers;
    private final VendorBreaker breaker;
    private final BridgeMetrics metrics;
    private final ObjectMapper json = new ObjectMapper();

    public VendorRequests(String createPath, String appendPath, Clock clock, ListLedger ledger,
            VendorAnswerReader answers, VendorBreaker breaker, BridgeMetrics metrics) {
        this.createPath = createPath;
        this.appendPath = appendPath;
        this.bodies = new RequestBodies(clock);
        this.ledger = ledger;
        this.answers = answers;
        this.breaker = breaker;
        this.metrics = metrics;
    }

    /**
     * The call for a planned request: its task's final name (recorded in the ledger, with a create's sending, before
     * it goes out), its path and its JSON body.
     */
    public VendorCall prepare(ListRun run, PlannedRequest planned) throws JsonProcessingException {
        PlannedRequest request = ledger.sending(run, planned);
        return new VendorCall(request, path(request), json.writeValueAsBytes(bodies.build(request, run)));
    }

    /**
     * False for a request the vendor confirmed before the list's run was interrupted (it is not sent again), and for
     * every request once another task of the list failed (the list stops).
     */
    public boolean pending(ListRun run, PlannedRequest request) {
        return !run.isStopping() && !run.confirmedBefore(request.taskIndex(), request.sequence());
    }

    /** The path the request is posted to. */
    String path(PlannedRequest request) {
        return request.create() ? createPath : appendPath;
    }

    /**
     * Counts one attempt at the request (an attempt that gets no answer may still have reached the vendor), once the
     * vendor breaker lets it go: while the breaker is open the task's sender waits here, its list in processing.
     */
    public void attempt(ListRun run, VendorCall call) {
        call.markProbe(breaker.awaitPermission(run::isStopping));
        run.task(call.getRequest().taskIndex()).countAttempt();
        // the attempt before this one, if it ended without an answer (a timeout, a reset), is counted now
        countEnd(call, BridgeMetrics.NO_ANSWER);
        if (call.startAttempt(System.nanoTime())) {
            metrics.vendorRetry(call.getRequest().create());
        }
    }

    /** Counts the end of the call's last attempt, unless counted already. */
    private void countEnd(VendorCall call, String code) {
        long nanos = call.endAttempt(System.nanoTime());
        if (nanos >= 0) {
            metrics.vendorCall(call.getRequest().create(), code, nanos);
        }
    }

    /**
     * The vendor answered the call with a code that is no outage (success, or a refusal): the breaker closes if it
     * was open.
     */
    public void reached(VendorCall call) {
        call.takeProbe();
        breaker.succeeded();
    }

    /**
     * Records that an attempt could not connect ({@code failure}: refused, no route, unknown host, connect timeout):
     * nothing was sent, so it does not make the outcome unknown. Throws the retryable failure that says so.
     */
    public void notSent(ListRun run, VendorCall call, Throwable failure) {
        run.task(call.getRequest().taskIndex()).countNotSent();
        countEnd(call, BridgeMetrics.NOT_SENT);
        throw VendorUnreachableException.of(failure);
    }

    /**
     * Reads and records the vendor's answer to a call, whatever it was (error.json reports the last one); the routes
     * choose by its code. {@code body} is the answer as it arrives, read up to {@code vendor.max-answer-bytes}.
     *
     * @throws IOException when the connection failed while the answer came: it counts as no answer
     */
    public void answered(ListRun run, VendorCall call, InputStream body, Integer httpStatus) throws IOException {
        VendorAnswer answer = answers.read(body, httpStatus);
        call.answered(answer);
        countEnd(call, answer.code() != null ? answer.code() : "http_" + answer.httpStatus());
        TaskRecord task = run.task(call.getRequest().taskIndex());
        task.countAnswer();
        task.recordAnswer(answer);
        run.recordAnswer(answer);
    }

    /** Records a request the vendor accepted, in the run and in the ledger (for a create, with its task id). */
    public void confirmed(ListRun run, VendorCall call) {
        PlannedRequest request = call.getRequest();
        VendorAnswer answer = call.getAnswer();
        Long id = answer.taskId();
        if (request.create() && id == null) {
            throw new VendorRefusedException("the vendor accepted the create of " + request.taskName()
                    + " but returned no task id (data: " + Phones.maskIn(answer.data()) + ")");
        }
        run.task(request.taskIndex()).confirm(id, request.customers().size());
        ledger.confirmed(run, request, answer);
        metrics.customersConfirmed(request.customers().size());
    }

    /**
     * Records that a task could not go on ({@code call}: the one it was sending, null when it failed before one;
     * {@code failure}: why): the list's other tasks stop before their next request, and the list fails with the
     * first failure once none is in flight ({@link #checkSent}).
     */
    public void failed(ListRun run, VendorCall call, Throwable failure) {
        if (call != null) {
            countEnd(call, BridgeMetrics.NO_ANSWER);
            if (call.takeProbe()) {
                // a probe that failed for a reason of ours tells nothing about the vendor: another call may probe
                breaker.release();
            }
        }
        if (run != null) {
            PlannedRequest request = call == null ? null : call.getRequest();
            run.markFailed(request == null ? null : run.task(request.taskIndex(), request.taskName()), failure);
        }
    }

    /** After every task of the list stopped: throws the failure that stopped the first task to fail, if any. */
    public void checkSent(ListRun run) throws Exception {
        Throwable failure = run.getFailure();
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("a task of " + run.getFileName() + " failed: " + failure, failure);
        }
    }
}
