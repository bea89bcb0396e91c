package io.outboundbridge.ledger;

/**
 * This instance no longer holds a list it works on: its claim was not renewed within the lease (the process was
 * paused, the database cut off) or another instance took the list or its run over. Nothing more is sent for the
 * list by this instance, and it does not file it.
 */
public class ClaimLostException extends RuntimeException {

    public ClaimLostException(String message) {
        super(message);
    }
}
