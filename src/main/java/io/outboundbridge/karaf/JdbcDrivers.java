package io.outboundbridge.karaf;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC drivers this bundle embeds (H2, PostgreSQL) register themselves in {@link DriverManager} when their class
 * loads (H2's data source loads {@code org.h2.Driver}, PostgreSQL's loads {@code org.postgresql.Driver}).
 * DriverManager is a JVM-wide static: it would keep each stopped copy of this bundle, with its class loader and
 * everything its classes hold, in memory for good. So the bundle's stop takes them out, and a start of the same copy
 * (bundle:stop then bundle:start keeps the class loader, and a driver registers itself only once per class loader)
 * puts them back: PostgreSQL's data source connects through DriverManager. Not for standalone use: there the JVM's
 * end is the drivers' end, and several ledgers may share them.
 */
final class JdbcDrivers {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcDrivers.class);

    /** What {@link #deregisterLoadedBy} took out, for {@link #registerAgain}; a static of this copy only. */
    private static final List<Driver> DEREGISTERED = new CopyOnWriteArrayList<>();

    private JdbcDrivers() {
    }

    /** Deregisters the drivers whose class {@code loader} loaded; the others are left alone. */
    static void deregisterLoadedBy(ClassLoader loader) {
        // DriverManager lists (and lets us deregister) the drivers visible from this class: ours among them
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() != loader) {
                continue;
            }
            try {
                DriverManager.deregisterDriver(driver);
                DEREGISTERED.add(driver);
                LOG.debug("Deregistered JDBC driver {}", driver.getClass().getName());
            } catch (SQLException | SecurityException e) {
                LOG.warn("Cannot deregister JDBC driver {}: this copy of the bundle stays in memory",
                        driver.getClass().getName(), e);
            }
        }
    }

    /** Registers again what {@link #deregisterLoadedBy} took out (nothing on a first start). */
    static void registerAgain() {
        for (Driver driver : DEREGISTERED) {
            try {
                DriverManager.registerDriver(driver);
            } catch (SQLException e) {
                LOG.warn("Cannot register JDBC driver {} again", driver.getClass().getName(), e);
            }
        }
        DEREGISTERED.clear();
    }
}
