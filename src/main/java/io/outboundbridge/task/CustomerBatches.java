package io.outboundbridge.task;

/** Where a plan takes the customers of each call from: a list's customers by position, in file order. */
@FunctionalInterface
public interface CustomerBatches {

    /** The customers {@code first} (0-based) to {@code first + count - 1}. */
    CustomerBatch read(long first, int count);
}
