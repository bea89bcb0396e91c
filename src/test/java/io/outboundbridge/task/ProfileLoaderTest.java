package io.outboundbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProfileLoaderTest {

    private static final String VALID = """
            taskType=1
            taskExecStartDate=today
            taskExecEndDate=today+2
            taskExecTimes=09:00:00-12:00:00,14:00:00-18:00:00
            skillSetId=1462016331580064
            outboundNumberGroupId=1070678044124225
            sendNumberStrategy=0
            multiplyPower=2
            taskDesc=催收提醒
            phoneGroup.name=本人
            phoneGroup.identify=default
            """;

    @TempDir
    Path dir;

    private static Properties props(String text) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(text));
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The valid profile with one key set to a value ({@code null} removes the key). */
    private static Properties validWith(String key, String value) {
        Properties p = props(VALID);
        if (value == null) {
            p.remove(key);
        } else {
            p.setProperty(key, value);
        }
        return p;
    }

    @Test
    void should_read_utf8_files_with_chinese_values() throws IOException {
        Files.writeString(dir.resolve("default.properties"), VALID, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("collect.properties"), "\uFEFF" + VALID.replace("phoneGroup.name=本人",
                "phoneGroup.name=亲属"), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("notes.txt"), "not a profile", StandardCharsets.UTF_8);

        Map<String, Profile> profiles = ProfileLoader.loadAll(dir);

        assertThat(profiles).containsOnlyKeys("collect", "default");
        Profile p = profiles.get("default");
        assertThat(p.name()).isEqualTo("default");
        assertThat(p.phoneGroup()).isEqualTo(new PhoneGroup("本人", "default", 0, null, null));
        assertThat(p.taskDesc()).isEqualTo("催收提醒");
        assertThat(profiles.get("collect").phoneGroup().name()).isEqualTo("亲属");
    }

    @Test
    void should_apply_defaults() {
        Profile p = ProfileLoader.load("default", props(VALID));

        assertThat(p.maxRingingDuration()).isEqualTo(45);
        assertThat(p.acw()).isEqualTo(10);
        assertThat(p.strategyDisplaySwitch()).isFalse();
        assertThat(p.taskNameTemplate()).isEqualTo("${profile}-${fileBase}");
        assertThat(p.phoneGroup().autoOutboundSwitch()).isZero();
        assertThat(p.phoneGroupIdentify()).isEqualTo("default");
    }

    @Test
    void should_resolve_today_and_today_plus_n_and_literal_dates() {
        LocalDate today = LocalDate.of(2024, 2, 28);

        CreateTaskRequest relative = ProfileLoader.load("default", props(VALID)).createRequest("t", List.of(), today);
        CreateTaskRequest literal = ProfileLoader.load("default", validWith("taskExecStartDate", "2020-09-27")
                ).createRequest("t", List.of(), today);

        assertThat(relative.taskExecStartDate()).isEqualTo("2024-02-28");
        assertThat(relative.taskExecEndDate()).isEqualTo("2024-03-01");
        assertThat(literal.taskExecStartDate()).isEqualTo("2020-09-27");
    }

    @Test
    void should_read_dialing_windows() {
        Profile p = ProfileLoader.load("default", props(VALID));

        assertThat(p.taskExecTimes()).containsExactly(new ExecTime("09:00:00", "12:00:00"),
                new ExecTime("14:00:00", "18:00:00"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "maxRingingDuration|60|must be 20..50 (found 60)",
            "maxRingingDuration|19|must be 20..50 (found 19)",
            "acw|181|must be 1..180 (found 181)",
            "acw|abc|not a whole number (found 'abc')",
            "taskType|3|must be 1 (automatic) or 2 (manual) (found 3)",
            "taskType|1.5|not a whole number (found '1.5')",
            "strategyDisplaySwitch|1|not true/false (found '1')",
            "sendNumberStrategy|2|must be 0 (multiplier) or 1 (predictive) (found 2)",
            "multiplyPower|0|must be greater than 0 (found 0)",
            "skillSetId||required",
            "taskExecStartDate|tomorrow|must be yyyy-MM-dd, today or today+N (found 'tomorrow')",
            "taskExecStartDate|2024-02-30|must be yyyy-MM-dd, today or today+N (found '2024-02-30')",
            "taskExecEndDate|2020-01-01|must not be before taskExecStartDate",
            "taskExecTimes|09:00:00|window 1 must be HH:mm:ss-HH:mm:ss (found '09:00:00')",
            "taskExecTimes|09:00:00-12:00:00,9:00-10:00:00|window 2 start: must be a time HH:mm:ss (found '9:00')",
            "taskExecTimes|12:00:00-09:00:00|window 1: start must be before end (12:00:00-09:00:00)",
            "taskExecTimes||at least one dialing window required",
            "phoneGroup.identify||required",
            "phoneGroup.autoOutboundSwitch|2|must be 0 (off) or 1 (on) (found 2)",
            "taskNameTemplate|${profile}-${file}|unknown placeholder ${file}"})
    void should_name_profile_key_and_rule(String key, String value, String rule) {
        assertThatThrownBy(() -> ProfileLoader.load("default", validWith(key, value)))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("profile 'default': key '" + key + "': " + rule);
    }

    @Test
    void should_require_redial_settings_when_redial_is_on() {
        assertThatThrownBy(() -> ProfileLoader.load("default", validWith("phoneGroup.autoOutboundSwitch", "1")))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("profile 'default': key 'phoneGroup.autoOutboundInterval': required")
                .hasMessageContaining("profile 'default': key 'phoneGroup.autoOutboundTimes': required");
    }

    @Test
    void should_reject_an_unknown_key() {
        assertThatThrownBy(() -> ProfileLoader.load("vip", validWith("maxRingDuration", "30")))
                .isInstanceOf(ProfileException.class)
                .hasMessageStartingWith("profile 'vip': key 'maxRingDuration': unknown key (known keys: taskType,");
    }

    @Test
    void should_list_every_problem_once() {
        Properties p = validWith("acw", "0");
        p.setProperty("maxRingingDuration", "x");
        p.setProperty("taskExecStartDate", "someday");

        ProfileException e = catchThrowableOfType(ProfileException.class, () -> ProfileLoader.load("default", p));

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "profile 'default': key 'maxRingingDuration': not a whole number (found 'x')",
                "profile 'default': key 'taskExecStartDate': must be yyyy-MM-dd, today or today+N (found 'someday')",
                "profile 'default': key 'acw': must be 1..180 (found 0)");
        assertThat(e.getMessage().lines()).hasSize(3);
    }

    @Test
    void should_report_problems_of_every_file() throws IOException {
        Files.writeString(dir.resolve("a.properties"), VALID + "acw=0\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("b.properties"), VALID + "acw=500\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ProfileLoader.loadAll(dir))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("profile 'a': key 'acw': must be 1..180 (found 0)")
                .hasMessageContaining("profile 'b': key 'acw': must be 1..180 (found 500)");
    }

    @Test
    void should_refuse_a_file_that_is_not_utf8() throws IOException {
        Files.write(dir.resolve("gbk.properties"), (VALID.replace("本人", "x") + "taskDesc=描述\n")
                .getBytes(Charset.forName("GBK")));

        assertThatThrownBy(() -> ProfileLoader.loadAll(dir))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("profile 'gbk'")
                .hasMessageContaining("UTF-8");
    }

    @Test
    void should_name_a_missing_or_empty_folder() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> ProfileLoader.loadAll(missing))
                .isInstanceOf(ProfileException.class).hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> ProfileLoader.loadAll(dir))
                .isInstanceOf(ProfileException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("no profile");
    }
}
