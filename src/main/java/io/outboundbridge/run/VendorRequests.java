package io.outboundbridge.run;

import io.outboundbridge.task.AppendCustomersCall;
import io.outboundbridge.task.CreateTaskCall;
import io.outboundbridge.task.PlannedRequest;
import io.outboundbridge.vendor.VendorAnswer;
import io.outboundbridge.vendor.VendorRefusedException;
import java.time.Clock;
import java.time.LocalDate;

/**
 * Turns a planned request into the vendor's create or append body, and records what the vendor confirmed:
 * a create's task id is what the task's appends go to.
 */
public final class VendorRequests {

    private final String createPath;
    private final String appendPath;
    private final Clock clock;

    public VendorRequests(String createPath, String appendPath, Clock clock) {
        this.createPath = createPath;
        this.appendPath = appendPath;
        this.clock = clock;
    }

    /**
     * False for a request the vendor confirmed before the list's run was interrupted (it is not sent again), and for
     * every request once another task of the list failed (the list stops).
     */
    public boolean pending(ListRun run, PlannedRequest request) {
        return !run.isStopping() && !run.confirmedBefore(request.taskIndex(), request.sequence());
    }

    /** The path the request is posted to. */
    public String path(PlannedRequest request) {
        return request.create() ? createPath : appendPath;
    }

    /** The body of the request: a create for a task's first request, else an append to the task's id. */
    public Object build(PlannedRequest request, ListRun run) {
        TaskRecord task = run.task(request.taskIndex(), request.taskName());
        String stage = request.create() ? "create" : "append";
        task.markStage(stage);
        run.markStage(stage);
        if (request.create()) {
            return new CreateTaskCall(run.getProfile().createRequest(request.taskName(), null, LocalDate.now(clock)),
                    request.customers());
        }
        Long taskId = task.getTaskId();
        if (taskId == null) {
            throw new IllegalStateException("append planned before task " + request.taskName() + " was created");
        }
        return new AppendCustomersCall(taskId, request.customers());
    }

    /** Counts one attempt at the request: an attempt that gets no answer may still have reached the vendor. */
    public void attempt(ListRun run, PlannedRequest request) {
        run.task(request.taskIndex()).countAttempt();
    }

    /** Records the vendor's answer to a call, whatever it was (error.json reports the last one). */
    public void answered(ListRun run, PlannedRequest request, VendorAnswer answer) {
        TaskRecord task = run.task(request.taskIndex());
        task.countAnswer();
        task.recordAnswer(answer);
        run.recordAnswer(answer);
    }

    /** Records a request the vendor accepted. */
    public void confirm(ListRun run, PlannedRequest request, VendorAnswer answer) {
        Long id = answer.taskId();
        if (request.create() && id == null) {
            throw new VendorRefusedException("the vendor accepted the create of " + request.taskName()
                    + " but returned no task id (data: " + answer.data() + ")");
        }
        run.task(request.taskIndex()).confirm(id, request.customers().size());
    }

    /**
     * Records that a task could not go on ({@code request}: the one it was sending, null when it failed before one;
     * {@code failure}: why): the list's other tasks stop before their next request, and the list fails with the
     * first failure once none is in flight ({@link #checkSent}).
     */
    public void failed(ListRun run, PlannedRequest request, Throwable failure) {
        if (run != null) {
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
