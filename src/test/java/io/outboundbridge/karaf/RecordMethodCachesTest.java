package io.outboundbridge.karaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecordMethodCachesTest {

    /** A record with a component of a class of its own loader, as PlannedRequest holds a CustomerBatch. */
    public record Carrier(Part part) {
    }

    public static final class Part {
    }

    @Test
    void should_let_the_class_loader_of_the_last_record_linked_go() throws Exception {
        WeakReference<ClassLoader> loader = linkRecordMethodsInAThrowawayLoader();

        RecordMethodCaches.release();

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            System.gc();
            return loader.get() == null;
        });
    }

    /** Loads Carrier and Part in a class loader of their own, calls the record's methods and drops the loader. */
    private static WeakReference<ClassLoader> linkRecordMethodsInAThrowawayLoader() throws Exception {
        URL testClasses = RecordMethodCachesTest.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {testClasses}, ClassLoader.getPlatformClassLoader())) {
            Class<?> part = loader.loadClass(Part.class.getName());
            Class<?> carrier = loader.loadClass(Carrier.class.getName());
            assertThat(carrier).isNotSameAs(Carrier.class);
            Object record = carrier.getConstructor(part).newInstance(part.getConstructor().newInstance());

            assertThat(record.equals(record)).isTrue();
            assertThat(record.hashCode()).isEqualTo(record.hashCode());
            assertThat(record.toString()).startsWith("Carrier[part=");
            return new WeakReference<>(loader);
        }
    }
}
