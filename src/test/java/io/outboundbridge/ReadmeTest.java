package io.outboundbridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboundbridge.support.InProcessBridge;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** config/application.properties is a public contract: README's settings table lists every key of it. */
class ReadmeTest {

    @Test
    void should_list_every_setting_in_the_readme() throws Exception {
        Path repo = InProcessBridge.repo();
        String readme = Files.readString(repo.resolve("README.md"), StandardCharsets.UTF_8);
        Properties settings = new Properties();
        try (Reader in = Files.newBufferedReader(repo.resolve("config/application.properties"), StandardCharsets.UTF_8)) {
            settings.load(in);
        }

        assertThat(settings.stringPropertyNames()).isNotEmpty()
                .allSatisfy(key -> assertThat(readme).as("README lists " + key).contains("| `" + key + "` |"));
    }
}
