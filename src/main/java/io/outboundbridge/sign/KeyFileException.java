package io.outboundbridge.sign;

/**
 * A key file that cannot be read, parsed or written. The message names the file and the problem, never any key
 * material, so it is safe to log and to show to an operator.
 */
public class KeyFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
