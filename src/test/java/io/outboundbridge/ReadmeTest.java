package io.outboundbridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboundbridge.support.InProcessBridge;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** config/application.properties is a public contract: the settings table (docs/settings.md, linked from README) lists every key of it. */
class ReadmeTest {

    @Test
    void should_list_every_setting_in_the_readme() throws Exception {
        Path repo = InProcessBridge.repo();
        String table = Files.readString(repo.resolve("docs/settings.md"), StandardCharsets.UTF_8);
        String readme = Files.readString(repo.resolve("README.md"), StandardCharsets.UTF_8);
        Properties settings = new Properties();
        try (Reader in = Files.newBufferedReader(repo.resolve("config/application.properties"), StandardCharsets.UTF_8)) {
            settings.load(in);
        }

        assertThat(settings.stringPropertyNames()).isNotEmpty()
                .allSatisfy(key -> assertThat(table).as("docs/settings.md lists " + key).contains("| `" + key + "` |"));
        assertThat(readme).as("README links the table").contains("(docs/settings.md)");
    }
}
