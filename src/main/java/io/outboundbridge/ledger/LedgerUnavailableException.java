package io.outboundbridge.ledger;

/**
 * The ledger's database cannot be reached or used at the moment (PostgreSQL down or failing over, the embedded H2
 * database closed by a full disk): the call was not recorded, and the ledger reconnects by itself once the database
 * can be opened again. Apart from other {@link LedgerException}s so that a list waits for the ledger instead of
 * being filed in error. The message names the database and the cause, never the password.
 */
public class LedgerUnavailableException extends LedgerException {

    private static final long serialVersionUID = 1L;

    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
