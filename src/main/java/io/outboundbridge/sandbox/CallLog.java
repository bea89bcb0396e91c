package io.outboundbridge.sandbox;

import java.util.ArrayList;
import java.util.List;

/** Every call the sandbox received, in arrival order of their answers. Thread-safe. */
final class CallLog {

    private final List<RecordedCall> calls = new ArrayList<>();

    synchronized void add(RecordedCall call) {
        calls.add(call);
    }

    synchronized List<RecordedCall> all() {
        return List.copyOf(calls);
    }

    synchronized void clear() {
        calls.clear();
    }
}
