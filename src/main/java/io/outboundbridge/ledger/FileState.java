package io.outboundbridge.ledger;

/** Where a file's run stands in the ledger. */
public enum FileState {
    /** Being sent, or interrupted by a crash: holds the content so nobody else sends it. */
    IN_PROGRESS,
    /** Every request confirmed: holds the content for good, the same content is a duplicate from now on. */
    DONE,
    /** Stopped with an error: releases the content, so the same list dropped again is processed again. */
    FAILED
}
