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
     * The list's requests in sending order (planning is deterministic: the same content gives the same requests,
     * so a resumed list can skip those the vendor confirmed before); closing it closes the spool.
     */
    public Iterator<PlannedRequest> plan(FileRun run) {
        try {
            MappingIterator<Customer> customers = customerReader.readValues(run.getInspection().spool().toFile());
            return new ClosingIterator(planner.plan(run.getBaseTaskName(), customers), customers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled customers of " + run.getFileName(), e);
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
