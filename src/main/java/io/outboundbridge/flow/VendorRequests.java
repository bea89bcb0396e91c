package io.outboundbridge.flow;

import io.outboundbridge.task.AppendCustomersRequest;
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

    /** False for a request the vendor confirmed before the list's run was interrupted: it is not sent again. */
    public boolean pending(FileRun run, PlannedRequest request) {
        return !run.confirmedBefore(request.taskIndex(), request.sequence());
    }

    /** The path the request is posted to. */
    public String path(PlannedRequest request) {
        return request.create() ? createPath : appendPath;
    }

    /** The body of the request: a create for a task's first request, else an append to the task's id. */
    public Object build(PlannedRequest request, FileRun run) {
        if (request.create()) {
            run.markStage("create");
            run.task(request.taskIndex(), request.taskName());
            return run.getProfile().createRequest(request.taskName(), request.customers(), LocalDate.now(clock));
        }
        run.markStage("append");
        Long taskId = run.task(request.taskIndex(), request.taskName()).getTaskId();
        if (taskId == null) {
            throw new IllegalStateException("append planned before task " + request.taskName() + " was created");
        }
        return new AppendCustomersRequest(taskId, request.customers());
    }

    /** Counts one attempt at the current request: an attempt that gets no answer may still have reached the vendor. */
    public void attempt(FileRun run) {
        run.countAttempt();
    }

    /** Records the vendor's answer to a call, whatever it was (error.json reports the last one). */
    public void answered(FileRun run, VendorAnswer answer) {
        run.countAnswer();
        run.recordAnswer(answer);
    }

    /** Records a request the vendor accepted. */
    public void confirm(FileRun run, PlannedRequest request, VendorAnswer answer) {
        Long id = answer.taskId();
        if (request.create() && id == null) {
            throw new VendorRefusedException("the vendor accepted the create of " + request.taskName()
                    + " but returned no task id (data: " + answer.data() + ")");
        }
        run.task(request.taskIndex(), request.taskName()).confirm(id, request.customers().size());
    }
}
