package io.outboundbridge.task;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Cuts a list's valid customers into vendor calls: tasks of at most {@code maxCustomersPerTask} customers
 * (continuation tasks {@code base-2}, {@code base-3}, ...), each a create call followed by appends of at most
 * {@code batchSize} customers, each task planned on its own. Lazy: a request reads its customers only when it is
 * taken, so memory stays flat whatever the list's size.
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
     * The requests of task {@code taskIndex} (1-based) of a list of {@code customers}: its create, then its appends.
     * Tasks are independent of each other, so they can be sent side by side; a task's own requests go in order.
     */
    public Iterator<PlannedRequest> planTask(String baseTaskName, long customers, int taskIndex,
            CustomerBatches batches) {
        checkName(baseTaskName);
        checkCount(customers);
        if (taskIndex < 1 || taskIndex > tasksFor(customers, maxCustomersPerTask)) {
            throw new IllegalArgumentException("task " + taskIndex + " of " + tasksFor(customers, maxCustomersPerTask));
        }
        String name = taskIndex == 1 ? baseTaskName : TaskNames.continuation(baseTaskName, taskIndex);
        long start = (long) (taskIndex - 1) * maxCustomersPerTask;
        long end = Math.min(customers, start + maxCustomersPerTask);
        return new Iterator<>() {
            private long next = start;
            private int sequence;

            @Override
            public boolean hasNext() {
                return next < end;
            }

            @Override
            public PlannedRequest next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int size = (int) Math.min(batchSize, end - next);
                CustomerBatch batch = batches.read(next, size);
                next += size;
                sequence++;
                return new PlannedRequest(taskIndex, name, sequence, sequence == 1, batch);
            }
        };
    }

    /** How many tasks a list of {@code customers} becomes with this planner's limit. */
    public int tasks(long customers) {
        return (int) tasksFor(customers, maxCustomersPerTask);
    }

    private static void checkName(String baseTaskName) {
        if (baseTaskName == null || baseTaskName.isBlank()
                || VendorRules.length(baseTaskName) > VendorRules.TASK_NAME_MAX) {
            throw new IllegalArgumentException("base task name must have 1.." + VendorRules.TASK_NAME_MAX
                    + " characters (found '" + baseTaskName + "')");
        }
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
