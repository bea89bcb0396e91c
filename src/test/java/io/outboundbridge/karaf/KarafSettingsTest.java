package io.outboundbridge.karaf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KarafSettingsTest {

    @TempDir
    Path base;

    @Test
    void should_default_the_home_to_etc_and_pin_relative_folders_to_karaf_base() {
        KarafSettings s = KarafSettings.of(null, base, base.resolve("etc"));

        assertThat(s.home()).isEqualTo(base.resolve("etc/outbound-bridge"));
        assertThat(s.routes()).isEqualTo(base.resolve("etc/outbound-bridge/routes"));
        assertThat(s.overrides()).containsEntry("bridge.inbox", base.resolve("data/inbox").toString())
                .containsEntry("bridge.archive", base.resolve("data/archive").toString())
                .containsEntry("bridge.error", base.resolve("data/error").toString())
                .containsEntry("bridge.processing", base.resolve("data/processing").toString())
                .containsEntry("bridge.work", base.resolve("data/work").toString())
                .doesNotContainKey("bridge.profiles").doesNotContainKey("vendor.private-key");
    }

    @Test
    void should_take_the_cfg_over_the_home_and_leave_absolute_folders_alone() throws Exception {
        Path home = Files.createDirectories(base.resolve("home"));
        Files.writeString(home.resolve("application.properties"), "bridge.archive=lists/done\nvendor.app-id=from-home\n");
        Hashtable<String, Object> cfg = new Hashtable<>();
        cfg.put("service.pid", "outbound.bridge");
        cfg.put("felix.fileinstall.filename", "file:/x/etc/outbound.bridge.cfg");
        cfg.put("bridge.home", "home");
        cfg.put("bridge.error", "/var/lists/error");
        cfg.put("vendor.app-id", "from-cfg");

        KarafSettings s = KarafSettings.of(cfg, base, base.resolve("etc"));

        assertThat(s.home()).isEqualTo(home);
        assertThat(s.overrides()).containsEntry("bridge.archive", base.resolve("lists/done").toString())
                .containsEntry("bridge.error", "/var/lists/error").containsEntry("vendor.app-id", "from-cfg")
                .doesNotContainKeys("service.pid", "felix.fileinstall.filename", "bridge.home");
    }

    @Test
    void should_turn_jmx_on_and_the_http_management_server_off_unless_the_cfg_says_otherwise() {
        assertThat(KarafSettings.of(null, base, base.resolve("etc")).overrides())
                .containsEntry("camel.main.jmx-enabled", "true").containsEntry("camel.management.enabled", "false");

        Hashtable<String, Object> cfg = new Hashtable<>();
        cfg.put("camel.main.jmx-enabled", "false");
        cfg.put("camel.management.enabled", "true");
        assertThat(KarafSettings.of(cfg, base, base.resolve("etc")).overrides())
                .containsEntry("camel.main.jmx-enabled", "false").containsEntry("camel.management.enabled", "true");
    }
}
