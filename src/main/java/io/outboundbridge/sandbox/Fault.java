package io.outboundbridge.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour the sandbox shows on one coming call, queued with {@link SandboxVendor#enqueue}. Matches any
 * endpoint unless narrowed with {@link #onCreate()} or {@link #onAppend()}.
 */
public final class Fault {

    /** What the sandbox does instead of, or around, the normal processing. */
    public enum Kind { CODE, HTTP_STATUS, DELAY, DROP_BEFORE_PROCESSING, DROP_AFTER_PROCESSING, HOLD }

    private final Kind kind;
    private final String code;
    private final int status;
    private final Duration delay;
    private final String holdName;
    private final Endpoint only;

    private Fault(Kind kind, String code, int status, Duration delay, String holdName, Endpoint only) {
        this.kind = kind;
        this.code = code;
        this.status = status;
        this.delay = delay;
        this.holdName = holdName;
        this.only = only;
    }

    /** Answer this vendor code (HTTP 200, JSON envelope) without processing the call, e.g. "29008". */
    public static Fault code(String code) {
        return new Fault(Kind.CODE, Objects.requireNonNull(code, "code"), 0, null, null, null);
    }

    /** Answer this HTTP status with a non-JSON body, nothing processed, e.g. 503. */
    public static Fault httpStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100..599 (found " + status + ")");
        }
        return new Fault(Kind.HTTP_STATUS, null, status, null, null, null);
    }

    /** Wait this long, then process and answer normally: a slow vendor. */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, null, 0, Objects.requireNonNull(delay, "delay"), null, null);
    }

    /** Close the connection without any response; nothing processed. */
    public static Fault dropBeforeProcessing() {
        return new Fault(Kind.DROP_BEFORE_PROCESSING, null, 0, null, null, null);
    }

    /** Process and record the call, then close the connection without answering: the answer was lost. */
    public static Fault dropAfterProcessing() {
        return new Fault(Kind.DROP_AFTER_PROCESSING, null, 0, null, null, null);
    }

    /** Block the call before processing until {@link SandboxVendor#release(String)} with this name. */
    public static Fault hold(String name) {
        return new Fault(Kind.HOLD, null, 0, null, Objects.requireNonNull(name, "name"), null);
    }

    /** This fault, matching only create calls. */
    public Fault onCreate() {
        return new Fault(kind, code, status, delay, holdName, Endpoint.CREATE);
    }

    /** This fault, matching only append calls. */
    public Fault onAppend() {
        return new Fault(kind, code, status, delay, holdName, Endpoint.APPEND);
    }

    public Kind kind() {
        return kind;
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }

    Duration delay() {
        return delay;
    }

    /** The name a {@link Kind#HOLD} fault is released by, else null. */
    public String holdName() {
        return holdName;
    }

    boolean matches(Endpoint endpoint) {
        return only == null || only == endpoint;
    }

    /** The fault's name as recorded in {@link RecordedCall#fault()}, e.g. {@code code(29008)}. */
    @Override
    public String toString() {
        String name = switch (kind) {
            case CODE -> "code(" + code + ")";
            case HTTP_STATUS -> "httpStatus(" + status + ")";
            case DELAY -> "delay(" + delay + ")";
            case DROP_BEFORE_PROCESSING -> "dropBeforeProcessing";
            case DROP_AFTER_PROCESSING -> "dropAfterProcessing";
            case HOLD -> "hold(" + holdName + ")";
        };
        return only == null ? name : name + ".on" + (only == Endpoint.CREATE ? "Create" : "Append") + "()";
    }
}
