package io.outboundbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LedgerSettingsTest {

    @Test
    void should_default_to_an_embedded_h2_file_under_the_data_folder_shared_through_auto_server() {
        LedgerSettings s = LedgerSettings.embedded(Path.of("/srv/bridge/data"));

        assertThat(s.url()).isEqualTo("jdbc:h2:file:/srv/bridge/data/ledger/ledger;AUTO_SERVER=TRUE;WRITE_DELAY=0");
        assertThat(s.user()).isEqualTo(LedgerSettings.DEFAULT_USER);
        assertThat(s.password()).isEmpty();
    }

    @Test
    void should_make_a_relative_data_folder_absolute() {
        LedgerSettings s = LedgerSettings.embedded(Path.of("data"));

        assertThat(s.url()).startsWith("jdbc:h2:file:" + Path.of("data").toAbsolutePath());
    }

    @Test
    void should_never_show_the_password() {
        LedgerSettings s = new LedgerSettings("jdbc:postgresql://db:5432/bridge?password=InUrl1&ssl=true", "bridge",
                "S3cret!");

        assertThat(s.toString()).doesNotContain("S3cret!", "InUrl1").contains("password=***");
        assertThat(s.safeUrl()).isEqualTo("jdbc:postgresql://db:5432/bridge?password=***&ssl=true");
    }

    @Test
    void should_use_the_default_user_when_none_is_set() {
        assertThat(new LedgerSettings("jdbc:h2:mem:x", null, null).user()).isEqualTo(LedgerSettings.DEFAULT_USER);
    }

    @Test
    void should_refuse_a_database_other_than_h2_or_postgresql() {
        assertThatThrownBy(() -> new LedgerSettings("jdbc:mysql://db/bridge?password=x", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bridge.ledger.url")
                .hasMessageNotContaining("password=x");
    }
}
