package io.outboundbridge.run;

import io.outboundbridge.reading.Inspection;
import io.outboundbridge.reading.SpoolBatches;
import io.outboundbridge.task.PlannedRequest;
import io.outboundbridge.task.TaskPlanner;
import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The requests of a list, planned lazily from its spooled customers: the route's streaming split pulls one
 * request at a time, so only one batch of customers is in memory per task being sent.
 */
public final class RequestPlans {

    private final TaskPlanner planner;

    public RequestPlans(TaskPlanner planner) {
        this.planner = planner;
    }

    /** The list's tasks, 1 to n: each is sent on its own, its requests in order. */
    public List<Integer> tasks(ListRun run) {
        return IntStream.rangeClosed(1, planner.tasks(run.getInspection().accepted())).boxed().toList();
    }

    /**
     * The requests of task {@code taskIndex} in sending order (planning is deterministic: the same content gives the
     * same requests, so a resumed list can skip those the vendor confirmed before); closing it closes the spool.
     */
    public Iterator<PlannedRequest> requests(ListRun run, int taskIndex) {
        SpoolBatches batches = spool(run);
        return new ClosingIterator(planner.planTask(run.getBaseTaskName(), run.getInspection().accepted(), taskIndex,
                batches), batches);
    }

    private static SpoolBatches spool(ListRun run) {
        Inspection i = run.getInspection();
        return new SpoolBatches(i.spool(), i.spoolIndex());
    }

    /** Closes the spool when the split is done with it, also when it stops early. */
    private record ClosingIterator(Iterator<PlannedRequest> requests, Closeable source)
            implements Iterator<PlannedRequest>, Closeable {

        @Override
        public boolean hasNext() {
            return requests.hasNext();
        }

        @Override
        public PlannedRequest next() {
            return requests.next();
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }
}
