package io.outboundbridge.wiring;

import io.outboundbridge.support.InProcessBridge;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BridgeSettingsTest {

    private static Properties shipped() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(InProcessBridge.repo().resolve("config/application.properties"),
                StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    @Test
    void should_read_the_vendor_paths_of_the_shipped_settings() throws Exception {
        Properties p = shipped();

        BridgeSettings s = BridgeSettings.read(key -> Optional.ofNullable(p.getProperty(key)));

        assertThat(s.createPath()).isEqualTo("/speech/openapi/v1/task/outbound/create");
        assertThat(s.appendPath()).isEqualTo("/speech/openapi/v1/task/outbound/customer/append");
    }

    @Test
    void should_name_a_missing_vendor_path() throws Exception {
        for (String key : new String[] {"vendor.path.create", "vendor.path.append"}) {
            Properties p = shipped();
            p.remove(key);

            assertThatThrownBy(() -> BridgeSettings.read(k -> Optional.ofNullable(p.getProperty(k))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("setting " + key + ": required");
        }
    }

    @Test
    void should_read_the_largest_vendor_answer_and_refuse_one_out_of_range() throws Exception {
        Properties p = shipped();
        assertThat(BridgeSettings.read(k -> Optional.ofNullable(p.getProperty(k))).maxAnswerBytes()).isEqualTo(65536);

        p.setProperty("vendor.max-answer-bytes", "100");

        assertThatThrownBy(() -> BridgeSettings.read(k -> Optional.ofNullable(p.getProperty(k))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("setting vendor.max-answer-bytes: must be a whole number 1024..16777216 (found '100')");
    }
}
