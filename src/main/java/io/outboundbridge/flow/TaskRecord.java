package io.outboundbridge.flow;

/** One vendor task of a list as far as it got: its id once created, customers and requests confirmed. */
public final class TaskRecord {

    private final String taskName;
    private Long taskId;
    private long customers;
    private int requests;

    TaskRecord(String taskName) {
        this.taskName = taskName;
    }

    public String getTaskName() {
        return taskName;
    }

    public Long getTaskId() {
        return taskId;
    }

    public long getCustomers() {
        return customers;
    }

    public int getRequests() {
        return requests;
    }

    void restore(Long id, long customersConfirmed, int requestsConfirmed) {
        this.taskId = id;
        this.customers = customersConfirmed;
        this.requests = requestsConfirmed;
    }

    void confirm(Long id, int customersSent) {
        if (taskId == null) {
            taskId = id;
        }
        customers += customersSent;
        requests++;
    }
}
