package io.outboundbridge.flow;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import io.outboundbridge.task.Customer;
import io.outboundbridge.task.PlannedRequest;
import io.outboundbridge.task.TaskPlanner;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * The requests of a list, planned lazily from its spooled customers: the route's streaming split pulls one
 * request at a time, so only one batch of customers is in memory.
 */
public final class RequestPlans {

    private final TaskPlanner planner;
    private final ObjectReader customerReader;

    public RequestPlans(TaskPlanner planner, ObjectReader customerReader) {
        this.planner = planner;
        this.customerReader = customerReader.forType(Customer.class);
    }

    /**
     * The list's requests in sending order, without those the vendor confirmed before an interruption (planning
     * is deterministic: the same content gives the same requests); closing it closes the spool.
     */
    public Iterator<PlannedRequest> plan(FileRun run) {
        try {
            MappingIterator<Customer> customers = customerReader.readValues(run.getInspection().spool().toFile());
            Iterator<PlannedRequest> requests = planner.plan(run.getBaseTaskName(), customers);
            if (run.isResumed()) {
                requests = new SkippingIterator(requests, run);
            }
            return new ClosingIterator(requests, customers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled customers of " + run.getFileName(), e);
        }
    }

    /** Skips the requests the vendor confirmed before the run was interrupted. */
    private static final class SkippingIterator implements Iterator<PlannedRequest> {
        private final Iterator<PlannedRequest> requests;
        private final FileRun run;
        private PlannedRequest next;

        SkippingIterator(Iterator<PlannedRequest> requests, FileRun run) {
            this.requests = requests;
            this.run = run;
        }

        @Override
        public boolean hasNext() {
            while (next == null && requests.hasNext()) {
                PlannedRequest candidate = requests.next();
                if (!run.confirmedBefore(candidate.taskIndex(), candidate.sequence())) {
                    next = candidate;
                }
            }
            return next != null;
        }

        @Override
        public PlannedRequest next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            PlannedRequest result = next;
            next = null;
            return result;
        }
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
