package io.outboundbridge.reading;

/**
 * A customer list that cannot go on, with the stage where it stopped ({@code read}, {@code parse},
 * {@code validate}, {@code create}, {@code append}, {@code duplicate}).
 */
public class ListFailedException extends RuntimeException {

    private final String stage;

    /** A failure recorded before (its stage is in the report already written). */
    public ListFailedException(String message) {
        this("recorded", message);
    }

    public ListFailedException(String stage, String message) {
        super(message);
        this.stage = stage;
    }

    public ListFailedException(String stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
    }

    public String stage() {
        return stage;
    }
}
