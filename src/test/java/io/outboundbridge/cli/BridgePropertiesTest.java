package io.outboundbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BridgePropertiesTest {

    @Test
    void should_take_camel_keys_from_the_environment_unless_a_system_property_sets_them() {
        Properties system = new Properties();
        system.setProperty("camel.management.host", "0.0.0.0");
        Map<String, String> environment = Map.of("CAMEL_MANAGEMENT_PORT", "0", "CAMEL_MANAGEMENT_HOST", "10.0.0.1",
                "CAMEL_MANAGEMENT_HEALTH_CHECK_ENABLED", "false", "VENDOR_BASE_URL", "https://x", "CAMEL_NO_SUCH", "1");

        assertThat(BridgeProperties.camelKeysFromEnvironment(environment, system)).containsExactly(
                entry("camel.management.health-check-enabled", "false"), entry("camel.management.port", "0"));
    }
}
