package io.outboundbridge.karaf;

import io.outboundbridge.cli.BridgeLauncher;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ManagedService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs outbound-bridge in Karaf: the same Camel Main, wiring, settings and routes as {@code run}
 * ({@link BridgeLauncher}), configured by the ConfigAdmin PID {@code outbound.bridge}. Every change of that
 * configuration stops the running integration and starts a new one.
 *
 * <p>Camel starts and stops on a thread of ours, never on ConfigAdmin's, with the bundle's class loader as context
 * class loader (the threads Camel creates inherit it). Main is started, never run (run blocks until the JVM ends),
 * and its shutdown strategy is the simple one: the default one adds a JVM shutdown hook, which would keep every
 * stopped copy of this bundle in memory. Stopping the bundle waits until Camel has stopped, then lets go of what
 * JVM-wide registries still hold of this copy: its JDBC drivers ({@link JdbcDrivers}) and the JDK's record method
 * caches ({@link RecordMethodCaches}).
 */
public final class BridgeActivator implements BundleActivator {

    /** The ConfigAdmin PID: etc/outbound.bridge.cfg. */
    public static final String PID = "outbound.bridge";

    private static final Logger LOG = LoggerFactory.getLogger(BridgeActivator.class);
    /** Beyond camel.main.shutdown-timeout: how long bundle stop waits for Camel. */
    private static final long STOP_WAIT_SECONDS = 90;

    private ExecutorService lifecycle;
    private ServiceRegistration<ManagedService> registration;
    /** Only touched on the lifecycle thread. */
    private Main main;

    @Override
    public void start(BundleContext context) {
        // a start after a stop of this same copy: its drivers are not in DriverManager any more
        JdbcDrivers.registerAgain();
        ClassLoader bundleLoader = BridgeActivator.class.getClassLoader();
        lifecycle = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "outbound-bridge-lifecycle");
            t.setContextClassLoader(bundleLoader);
            return t;
        });
        Path karafBase = Path.of(System.getProperty("karaf.base", ".")).toAbsolutePath().normalize();
        Path karafEtc = Path.of(System.getProperty("karaf.etc", karafBase.resolve("etc").toString()));
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_PID, PID);
        ManagedService configured = config -> {
            try {
                lifecycle.execute(() -> restart(context, config, karafBase, karafEtc));
            } catch (RejectedExecutionException e) {
                LOG.debug("outbound-bridge is stopping: configuration change ignored");
            }
        };
        registration = context.registerService(ManagedService.class, configured, properties);
    }

    @Override
    public void stop(BundleContext context) throws InterruptedException {
        registration.unregister();
        lifecycle.execute(this::stopCamel);
        lifecycle.shutdown();
        if (!lifecycle.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("outbound-bridge did not stop within {} s", STOP_WAIT_SECONDS);
            lifecycle.shutdownNow();
        }
        // after Camel (and with it the ledger) stopped: DriverManager would pin this copy of the bundle
        JdbcDrivers.deregisterLoadedBy(BridgeActivator.class.getClassLoader());
        // and so would the JDK's cache of the last record equals/hashCode/toString linked, often one of ours
        RecordMethodCaches.release();
    }

    private void restart(BundleContext context, Dictionary<String, ?> config, Path karafBase, Path karafEtc) {
        stopCamel();
        try {
            KarafSettings settings = KarafSettings.of(config, karafBase, karafEtc);
            HomeFolder.fillIfMissing(settings.home(), context.getBundle());
            Main next = BridgeLauncher.create(settings.home(), settings.routes(), settings.overrides());
            next.setShutdownStrategy(new SimpleMainShutdownStrategy());
            ClassLoader bundleLoader = BridgeActivator.class.getClassLoader();
            next.addMainListener(new MainListenerSupport() {
                @Override
                public void beforeConfigure(BaseMainSupport m) {
                    // Camel finds components, type converters and the route loader through this class loader
                    m.getCamelContext().setApplicationContextClassLoader(bundleLoader);
                }
            });
            main = next;
            long started = System.nanoTime();
            next.start();
            LOG.info("outbound-bridge started in {} ms from {}", (System.nanoTime() - started) / 1_000_000,
                    settings.home());
        } catch (Exception | LinkageError e) {
            // a LinkageError too: a class the bundle lacks must show in the log, not die with the thread
            LOG.error("outbound-bridge cannot start: {} (fix it and save etc/{}.cfg to retry)",
                    BridgeLauncher.reason(e), PID, e);
            stopCamel();
        }
    }

    private void stopCamel() {
        if (main == null) {
            return;
        }
        try {
            main.stop();
            LOG.info("outbound-bridge stopped");
        } catch (Exception e) {
            LOG.warn("outbound-bridge did not stop cleanly: {}", BridgeLauncher.reason(e), e);
        } finally {
            main = null;
        }
    }
}
