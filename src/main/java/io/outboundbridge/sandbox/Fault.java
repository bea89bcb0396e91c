package io.outboundbridge.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour the sandbox shows on one coming call, queued with {@link SandboxVendor#enqueue}. Matches any
 * endpoint unless narrowed with {@link #onCreate()} or {@link #onAppend()}.
 */
public final class Fault {

    /** What the sandbox does instead of, or around, the normal processing. */
    public enum Kind { CODE, HTTP_STATUS, DELAY, DROP_BEFORE_PROCESSING, DROP_AFTER_PROCESSING, HOLD, HUGE_ANSWER }

    private final Kind kind;
    private final String code;
    private final int status;
    private final String text;
    private final long size;
    private final Duration delay;
    private final String holdName;
    private final Endpoint only;

    private Fault(Kind kind, String code, int status, String text, long size, Duration delay, String holdName,
            Endpoint only) {
        this.kind = kind;
        this.code = code;
        this.status = status;
        this.text = text;
        this.size = size;
        this.delay = delay;
        this.holdName = holdName;
        this.only = only;
    }

    private static Fault of(Kind kind) {
        return new Fault(kind, null, 0, null, 0, null, null, null);
    }

    /** Answer this vendor code (HTTP 200, JSON envelope) without processing the call, e.g. "29008". */
    public static Fault code(String code) {
        return code(code, "injected fault");
    }

    /** Answer this vendor code with this message (HTTP 200, JSON envelope) without processing the call. */
    public static Fault code(String code, String message) {
        return new Fault(Kind.CODE, Objects.requireNonNull(code, "code"), 0, Objects.requireNonNull(message, "message"),
                0, null, null, null);
    }

    /** Answer this HTTP status with a non-JSON body, nothing processed, e.g. 503. */
    public static Fault httpStatus(int status) {
        return httpStatus(status, "injected HTTP " + status);
    }

    /** Answer this HTTP status with this text as its (non-JSON) body, nothing processed. */
    public static Fault httpStatus(int status, String body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100..599 (found " + status + ")");
        }
        return new Fault(Kind.HTTP_STATUS, null, status, Objects.requireNonNull(body, "body"), 0, null, null, null);
    }

    /**
     * Answer HTTP 200 with a body of {@code bytes} bytes (a repeating line of text, written as it goes, never held
     * whole), nothing processed: a vendor or proxy gone wrong. How much was written before the client went away is
     * in {@link SandboxVendor#hugeAnswersWritten()}.
     */
    public static Fault hugeAnswer(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("a huge answer has at least 1 byte (found " + bytes + ")");
        }
        return new Fault(Kind.HUGE_ANSWER, null, 200, null, bytes, null, null, null);
    }

    /** Wait this long, then process and answer normally: a slow vendor. */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, null, 0, null, 0, Objects.requireNonNull(delay, "delay"), null, null);
    }

    /** Close the connection without any response; nothing processed. */
    public static Fault dropBeforeProcessing() {
        return of(Kind.DROP_BEFORE_PROCESSING);
    }

    /** Process and record the call, then close the connection without answering: the answer was lost. */
    public static Fault dropAfterProcessing() {
        return of(Kind.DROP_AFTER_PROCESSING);
    }

    /** Block the call before processing until {@link SandboxVendor#release(String)} with this name. */
    public static Fault hold(String name) {
        return new Fault(Kind.HOLD, null, 0, null, 0, null, Objects.requireNonNull(name, "name"), null);
    }

    /** This fault, matching only create calls. */
    public Fault onCreate() {
        return new Fault(kind, code, status, text, size, delay, holdName, Endpoint.CREATE);
    }

    /** This fault, matching only append calls. */
    public Fault onAppend() {
        return new Fault(kind, code, status, text, size, delay, holdName, Endpoint.APPEND);
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

    /** The message of a {@link Kind#CODE} answer, the body of a {@link Kind#HTTP_STATUS} one. */
    String text() {
        return text;
    }

    /** The bytes of a {@link Kind#HUGE_ANSWER}. */
    long size() {
        return size;
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
            case HUGE_ANSWER -> "hugeAnswer(" + size + ")";
        };
        return only == null ? name : name + ".on" + (only == Endpoint.CREATE ? "Create" : "Append") + "()";
    }
}
