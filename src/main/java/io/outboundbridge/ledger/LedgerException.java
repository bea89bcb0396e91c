package io.outboundbridge.ledger;

/** The ledger's database could not be opened, migrated or used; the message names the URL, never the password. */
public class LedgerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
