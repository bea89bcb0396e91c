package io.outboundbridge.run;

import io.outboundbridge.task.PlannedRequest;
import io.outboundbridge.vendor.VendorAnswer;

/**
 * One request to the vendor as it is sent, retries included: the planned request under its task's final name, the
 * path it is posted to, its JSON body, and the vendor's last answer. The routes read it
 * ({@code ${exchangeProperty.call.answer.code}}) as they read the list's run.
 */
public final class VendorCall {

    private final PlannedRequest request;
    private final String path;
    private final byte[] payload;
    private volatile VendorAnswer answer;
    private volatile boolean probe;
    /** Attempts so far, and when the last one was sent (System.nanoTime) while its end is not yet counted. */
    private int attempts;
    private long sentAt;
    private boolean attemptOpen;

    VendorCall(PlannedRequest request, String path, byte[] payload) {
        this.request = request;
        this.path = path;
        this.payload = payload;
    }

    public PlannedRequest getRequest() {
        return request;
    }

    public String getPath() {
        return path;
    }

    public byte[] getPayload() {
        return payload;
    }

    /** The vendor's answer to the last attempt, or null before one came. */
    public VendorAnswer getAnswer() {
        return answer;
    }

    void answered(VendorAnswer value) {
        this.answer = value;
    }

    /** Whether the attempt under way is the vendor breaker's probe (its outcome is the breaker's verdict). */
    void markProbe(boolean value) {
        this.probe = value;
    }

    /** True, once, when the attempt under way is the breaker's probe: its outcome is reported exactly once. */
    synchronized boolean takeProbe() {
        boolean was = probe;
        probe = false;
        return was;
    }

    /**
     * An attempt starts; true when it is a retry. The attempts of one call run one after another (a retry follows
     * the failure of the one before), on whichever thread the retry runs: hence synchronized.
     */
    synchronized boolean startAttempt(long now) {
        sentAt = now;
        attemptOpen = true;
        return attempts++ > 0;
    }

    /** The last attempt's end is counted: nanoseconds since it was sent, or -1 when it was counted already. */
    synchronized long endAttempt(long now) {
        if (!attemptOpen) {
            return -1;
        }
        attemptOpen = false;
        return now - sentAt;
    }

    @Override
    public String toString() {
        return "request " + request.sequence() + " of task " + request.taskName();
    }
}
