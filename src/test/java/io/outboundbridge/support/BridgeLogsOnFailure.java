package io.outboundbridge.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the tail of every watched {@link BridgeProcess}'s log when a test fails, so a failure of an end-to-end
 * test shows what the process was doing (register with {@code @RegisterExtension}).
 */
public final class BridgeLogsOnFailure implements TestWatcher {

    private final List<BridgeProcess> watched = new CopyOnWriteArrayList<>();

    public BridgeProcess watch(BridgeProcess bridge) {
        watched.add(bridge);
        return bridge;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        watched.forEach(bridge -> System.err.println(context.getDisplayName() + " failed; " + bridge.tail()));
    }
}
