package io.outboundbridge.karaf;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.runtime.ObjectMethods;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record's {@code equals}, {@code hashCode} and {@code toString} are built, the first time each is called, by
 * {@link ObjectMethods} from a few JVM-wide method handles ({@code Objects.hashCode}, {@code Objects.equals}, ...),
 * adapted to the record's types. On Java 17 each of those handles keeps its last adaptation in a strong one-entry
 * cache ({@code MethodHandle.asTypeCache}; Java 18 made it a soft reference, JDK-8078641), so the last record linked
 * in the JVM, with its component types, their class loader and everything that loader's classes hold, stays in
 * memory: a heap dump after this bundle left {@code deploy/} showed its whole Camel context held through
 * {@code ObjectMethods.OBJECTS_HASHCODE} and our {@code CustomerBatch}. Linking them once more for a JDK type (a
 * {@code String}) points those caches back at JDK classes. Harmless on later Java versions, and for other users of
 * records: the caches only save an adaptation.
 */
final class RecordMethodCaches {

    private static final Logger LOG = LoggerFactory.getLogger(RecordMethodCaches.class);

    private RecordMethodCaches() {
    }

    /** Leaves the record method handles adapted to JDK types only. */
    static void release() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            // String as the "record", with one component read by String.toString: every type involved is the JDK's
            MethodHandle component = lookup.findVirtual(String.class, "toString", MethodType.methodType(String.class));
            for (String method : List.of("equals", "hashCode", "toString")) {
                ObjectMethods.bootstrap(lookup, method, MethodHandle.class, String.class, "value", component);
            }
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("Cannot release the JDK's record method caches: this copy of the bundle may stay in memory", e);
        }
    }
}
