package io.outboundbridge.karaf;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Driver;
import java.sql.DriverManager;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcDriversTest {

    @Test
    void should_take_out_the_drivers_of_a_class_loader_and_put_them_back() throws Exception {
        ClassLoader loader = org.h2.Driver.class.getClassLoader();
        org.h2.Driver.load();
        List<Driver> before = drivers();
        assertThat(before).anyMatch(d -> d instanceof org.h2.Driver);
        try {
            JdbcDrivers.deregisterLoadedBy(loader);

            assertThat(drivers()).noneMatch(d -> d.getClass().getClassLoader() == loader);
        } finally {
            JdbcDrivers.registerAgain();
        }
        assertThat(drivers()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void should_leave_the_drivers_of_another_class_loader_alone() throws Exception {
        org.h2.Driver.load();
        List<Driver> before = drivers();

        JdbcDrivers.deregisterLoadedBy(new ClassLoader(null) {
        });

        assertThat(drivers()).containsExactlyInAnyOrderElementsOf(before);
        JdbcDrivers.registerAgain();
        assertThat(drivers()).containsExactlyInAnyOrderElementsOf(before);
    }

    private static List<Driver> drivers() {
        return Collections.list(DriverManager.getDrivers());
    }
}
