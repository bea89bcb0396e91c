package io.outboundbridge.run;

import io.outboundbridge.task.AppendCustomersCall;
import io.outboundbridge.task.CreateTaskCall;
import io.outboundbridge.task.PlannedRequest;
import java.time.Clock;
import java.time.LocalDate;

/** The vendor's create or append body for a planned request of a list, as the service and validate build it. */
public final class RequestBodies {

    private final Clock clock;

    public RequestBodies(Clock clock) {
        this.clock = clock;
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
}
