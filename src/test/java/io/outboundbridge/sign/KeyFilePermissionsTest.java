package io.outboundbridge.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilePermissionsTest {

    @TempDir
    Path tmp;

    @Test
    void should_warn_about_a_private_key_others_can_read_naming_the_file_and_the_fix() throws Exception {
        Path key = Files.writeString(tmp.resolve("private-key.pem"), "k");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(KeyFilePermissions.warning(key)).hasValueSatisfying(w -> assertThat(w)
                .contains(key.toString(), "rw-r--r--", "chmod 600 " + key));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(KeyFilePermissions.warning(key)).isPresent();
    }

    @Test
    void should_say_nothing_about_an_owner_only_key_or_a_missing_one() throws Exception {
        Path key = Files.writeString(tmp.resolve("private-key.pem"), "k");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThat(KeyFilePermissions.warning(key)).isEmpty();
        assertThat(KeyFilePermissions.warning(tmp.resolve("none.pem"))).isEmpty();
    }
}
