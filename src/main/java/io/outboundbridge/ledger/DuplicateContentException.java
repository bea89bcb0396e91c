package io.outboundbridge.ledger;

/**
 * The content of a dropped file was already sent, or is being sent: the file must go to error with stage
 * {@code duplicate}. The ledger has recorded the refused drop as a {@link FileState#FAILED} run with that stage.
 */
public class DuplicateContentException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long fileId;
    private final transient DuplicateContent earlier;

    DuplicateContentException(long fileId, String fileName, DuplicateContent earlier) {
        super(fileName + " has the same content as " + earlier.fileName() + " (started " + earlier.start() + ", "
                + earlier.state() + ", tasks " + earlier.tasks() + "): not sent again");
        this.fileId = fileId;
        this.earlier = earlier;
    }

    /** The ledger id of the refused drop's own (failed) run. */
    public long fileId() {
        return fileId;
    }

    /** The run that holds the content. */
    public DuplicateContent earlier() {
        return earlier;
    }
}
