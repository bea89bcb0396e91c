package io.outboundbridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboundbridge.cli.BridgeProperties;
import io.outboundbridge.cli.OutboundBridge;
import io.outboundbridge.sandbox.Endpoint;
import io.outboundbridge.sandbox.SandboxSettings;
import io.outboundbridge.sandbox.SandboxAnswer;
import io.outboundbridge.sign.SignTemplate;
import io.outboundbridge.task.PhoneNormalizer;
import io.outboundbridge.task.Profile;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * config/application.properties holds every setting's default, and the jar carries it as the built-in defaults.
 * Where Java still names one of those values (a pattern checked by hand, the sandbox answering what the defaults
 * send), it must say the same as the file.
 */
class ShippedDefaultsTest {

    private static Properties load(Reader in) throws IOException {
        Properties p = new Properties();
        try (in) {
            p.load(in);
        }
        return p;
    }

    private static Properties shipped() throws IOException {
        return load(Files.newBufferedReader(repo().resolve("config/application.properties"),
                StandardCharsets.UTF_8));
    }

    @Test
    void should_carry_the_shipped_file_as_the_built_in_defaults_for_every_key() throws IOException {
        String resource = BridgeProperties.DEFAULTS.substring("classpath:".length());
        InputStream packed = getClass().getClassLoader().getResourceAsStream(resource);
        assertThat(packed).as(resource).isNotNull();

        Properties builtIn = load(new InputStreamReader(packed, StandardCharsets.UTF_8));

        assertThat(builtIn).isEqualTo(shipped());
    }

    @Test
    void should_ship_the_phone_pattern_the_normaliser_checks_by_hand() throws IOException {
        String pattern = shipped().getProperty("bridge.phone.pattern");

        assertThat(pattern).isEqualTo(PhoneNormalizer.DEFAULT_PATTERN);
        PhoneNormalizer phones = new PhoneNormalizer(pattern);
        assertThat(phones.isValid("00000000000")).isFalse();
        assertThat(phones.isValid("0012345678")).isFalse();
        assertThat(phones.isValid("13800000001")).isTrue();
        assertThat(phones.isValid("01012345678")).isTrue();
    }

    @Test
    void should_send_by_default_what_the_sandbox_vendor_expects_by_default() throws IOException {
        Properties shipped = shipped();
        CommandLine.Model.CommandSpec sandbox = new CommandLine(new OutboundBridge()).getSubcommands().get("sandbox")
                .getCommandSpec();

        assertThat(shipped.getProperty("vendor.base-url")).isEqualTo("http://" + SandboxSettings.DEFAULT_HOST + ":"
                + sandbox.findOption("--port").defaultValue());
        assertThat(shipped.getProperty("vendor.sign.template")).isEqualTo(SignTemplate.DEFAULT);
        assertThat(shipped.getProperty("vendor.sign.algorithm")).isEqualTo(SandboxSettings.DEFAULT_ALGORITHM);
        assertThat(shipped.getProperty("vendor.path.create")).isEqualTo(Endpoint.CREATE.path());
        assertThat(shipped.getProperty("vendor.path.append")).isEqualTo(Endpoint.APPEND.path());
        assertThat(shipped.getProperty("vendor.codes.success")).isEqualTo(SandboxAnswer.SUCCESS);
    }

    @Test
    void should_default_profile_keys_as_the_shipped_default_profile_sets_them() throws IOException {
        Path file = repo().resolve("config/profiles/default.properties");
        Properties profile = load(Files.newBufferedReader(file, StandardCharsets.UTF_8));

        assertThat(profile.getProperty("maxRingingDuration")).isEqualTo(String.valueOf(Profile.DEFAULT_MAX_RINGING_DURATION));
        assertThat(profile.getProperty("acw")).isEqualTo(String.valueOf(Profile.DEFAULT_ACW));
        assertThat(profile.getProperty("taskNameTemplate")).isEqualTo(Profile.DEFAULT_TASK_NAME_TEMPLATE);
    }

    /** The repository folder, as the build passes it to the tests. */
    private static Path repo() {
        return Path.of(System.getProperty("project.basedir", ".")).toAbsolutePath().normalize();
    }
}
