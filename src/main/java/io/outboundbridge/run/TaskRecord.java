package io.outboundbridge.run;

import io.outboundbridge.task.PlannedRequest;
import io.outboundbridge.vendor.VendorAnswer;

/**
 * One vendor task of a list as far as it got: its name (final once the ledger gave it), its id once created,
 * customers and requests confirmed, and the request being sent. A task's requests are sent one after another by one
 * thread at a time; tasks of a list may be sent side by side, each with its own record.
 */
public final class TaskRecord {

    private volatile String taskName;
    private volatile boolean named;
    private volatile Long taskId;
    private volatile long customers;
    private volatile int requests;
    private volatile String stage;
    private volatile PlannedRequest inFlight;
    private volatile VendorAnswer lastAnswer;
    private volatile int attempts;
    private volatile int answers;
    private volatile int notSent;

    TaskRecord(String plannedName) {
        this.taskName = plannedName;
    }

    public String getTaskName() {
        return taskName;
    }

    /** True once the task's name is final (given by the ledger, or kept from before an interruption). */
    boolean isNamed() {
        return named;
    }

    void markNamed(String finalName) {
        this.taskName = finalName;
        this.named = true;
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
        this.named = true;
    }

    void confirm(Long id, int customersSent) {
        if (taskId == null) {
            taskId = id;
        }
        customers += customersSent;
        requests++;
    }

    /** {@code create} or {@code append}: the kind of the request being sent. */
    String getStage() {
        return stage;
    }

    void markStage(String value) {
        this.stage = value;
    }

    /** The request being sent (its name may still be the planned one), or null before the first. */
    PlannedRequest getInFlight() {
        return inFlight;
    }

    /** The vendor's last answer to the request being sent, null while none came. */
    VendorAnswer getLastAnswer() {
        return lastAnswer;
    }

    void recordAnswer(VendorAnswer answer) {
        this.lastAnswer = answer;
    }

    /**
     * Starts counting the attempts at {@code request} (retries included) and, separately, the answers they got and
     * those that never left (the vendor could not be reached). An earlier request's answer is not this one's.
     */
    void startRequest(PlannedRequest request) {
        inFlight = request;
        lastAnswer = null;
        attempts = 0;
        answers = 0;
        notSent = 0;
    }

    void countAttempt() {
        attempts++;
    }

    void countAnswer() {
        answers++;
    }

    void countNotSent() {
        notSent++;
    }

    /**
     * True when an attempt at the request being sent reached the vendor and got no answer: the vendor may have acted
     * on it. An attempt that could not connect sent nothing and does not count.
     */
    boolean isAnswerLost() {
        return attempts > answers + notSent;
    }
}
