package io.outboundbridge.task;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Cuts a stream of valid customers into vendor calls: tasks of at most {@code maxCustomersPerTask} customers
 * (continuation tasks {@code base-2}, {@code base-3}, ...), each a create call followed by appends of at most
 * {@code batchSize} customers. Lazy: it pulls customers only as the next request needs them, so memory stays
 * flat whatever the list's size.
 */
public final class TaskPlanner {

    /** The vendor's code for a manual outbound task. */
    public static final int MANUAL_TASK = 2;

    private final int batchSize;
    private final int maxCustomersPerTask;

    /**
     * @throws IllegalArgumentException unless 1 ≤ batchSize ≤ 1000, 1 ≤ maxCustomersPerTask ≤ 20,000 and
     *                                  batchSize ≤ maxCustomersPerTask
     */
    public TaskPlanner(int batchSize, int maxCustomersPerTask) {
        checkLimits(batchSize, maxCustomersPerTask);
        this.batchSize = batchSize;
        this.maxCustomersPerTask = maxCustomersPerTask;
    }

    /**
     * The requests for the customers, in the order they must be sent.
     *
     * @param baseTaskName the name of task 1, at most 50 characters (see {@link TaskNames#fit})
     */
    public Iterator<PlannedRequest> plan(String baseTaskName, Iterator<Customer> customers) {
        if (baseTaskName == null || baseTaskName.isBlank()
                || VendorRules.length(baseTaskName) > VendorRules.TASK_NAME_MAX) {
            throw new IllegalArgumentException("base task name must have 1.." + VendorRules.TASK_NAME_MAX
                    + " characters (found '" + baseTaskName + "')");
        }
        return new Iterator<>() {
            private int taskIndex = 1;
            private int sequence;
            private int inTask;

            @Override
            public boolean hasNext() {
                return customers.hasNext();
            }

            @Override
            public PlannedRequest next() {
                if (!customers.hasNext()) {
                    throw new NoSuchElementException();
                }
                if (inTask == maxCustomersPerTask) {
                    taskIndex++;
                    sequence = 0;
                    inTask = 0;
                }
                int size = Math.min(batchSize, maxCustomersPerTask - inTask);
                List<Customer> batch = new ArrayList<>(size);
                while (batch.size() < size && customers.hasNext()) {
                    batch.add(customers.next());
                }
                inTask += batch.size();
                sequence++;
                String name = taskIndex == 1 ? baseTaskName : TaskNames.continuation(baseTaskName, taskIndex);
                return new PlannedRequest(taskIndex, name, sequence, sequence == 1, batch);
            }
        };
    }

    /**
     * Why a list cannot be sent, when it cannot: a manual task (taskType 2) takes only the customers of its create
     * call, because the vendor's append for manual tasks needs {@code taskAgents}, which the product does not model.
     */
    public static Optional<String> refusal(int taskType, long customers, int batchSize) {
        int limit = Math.min(batchSize, VendorRules.CUSTOMERS_PER_CALL_MAX);
        if (taskType != MANUAL_TASK || customers <= limit) {
            return Optional.empty();
        }
        return Optional.of("a manual task (taskType 2) takes at most " + limit + " customers, all in its create call"
                + " (the vendor's append call for manual tasks needs taskAgents, which outbound-bridge does not"
                + " model); this list has " + customers + " valid customers: split it into files of at most " + limit
                + " customers or use an automatic task (taskType 1)");
    }

    /** How many vendor calls a list of valid customers takes. */
    public static long requestsFor(long customers, int batchSize, int maxPerTask) {
        checkLimits(batchSize, maxPerTask);
        checkCount(customers);
        long fullTasks = customers / maxPerTask;
        long rest = customers % maxPerTask;
        return fullTasks * ceilDiv(maxPerTask, batchSize) + ceilDiv(rest, batchSize);
    }

    /** How many tasks (the first and its continuations) a list of valid customers becomes. */
    public static long tasksFor(long customers, int maxPerTask) {
        if (maxPerTask < 1) {
            throw new IllegalArgumentException("maxPerTask must be at least 1 (found " + maxPerTask + ")");
        }
        checkCount(customers);
        return ceilDiv(customers, maxPerTask);
    }

    private static void checkLimits(int batchSize, int maxPerTask) {
        if (batchSize < 1 || batchSize > VendorRules.CUSTOMERS_PER_CALL_MAX) {
            throw new IllegalArgumentException("batch size must be 1.." + VendorRules.CUSTOMERS_PER_CALL_MAX
                    + " (found " + batchSize + ")");
        }
        if (maxPerTask < 1 || maxPerTask > VendorRules.CUSTOMERS_PER_TASK_MAX) {
            throw new IllegalArgumentException("max customers per task must be 1.." + VendorRules.CUSTOMERS_PER_TASK_MAX
                    + " (found " + maxPerTask + ")");
        }
        if (batchSize > maxPerTask) {
            throw new IllegalArgumentException("batch size (" + batchSize + ") must not exceed max customers per task ("
                    + maxPerTask + ")");
        }
    }

    private static void checkCount(long customers) {
        if (customers < 0) {
            throw new IllegalArgumentException("customers must not be negative (found " + customers + ")");
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
