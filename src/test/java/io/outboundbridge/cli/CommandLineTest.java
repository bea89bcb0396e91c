package io.outboundbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboundbridge.support.InProcessBridge;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands as a user runs them: exit codes and what they print. */
class CommandLineTest {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        return run(new CommandLine(new OutboundBridge()), args);
    }

    static Run run(CommandLine commandLine, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = commandLine.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void should_read_the_arguments_of_run_alike_on_the_command_line_main_builds_for_run_alone() {
        for (String[] args : new String[][] {{"run", "--bogus"}, {"run", "--config"}, {"run", "--help"},
            {"run", "--routes", tmp.resolve("no-routes").toString()}}) {
            Run full = run(args);
            Run runOnly = run(OutboundBridge.commandLine(args), args);

            assertThat(runOnly).as(String.join(" ", args)).isEqualTo(full);
            assertThat(full.exit()).isEqualTo(2);
        }
    }

    String config() {
        return InProcessBridge.repo().resolve("config").toString();
    }

    @Test
    void should_validate_a_clean_list_with_exit_0_and_print_the_first_payload_with_masked_phones() throws Exception {
        Path list = Files.writeString(tmp.resolve("ok.csv"), HEADER + "张三,,C1,,+86 138-0000-0001,,,,,\n李四,,C2,,13800000002,本人,,,,\n");

        Run r = run("validate", list.toString(), "--config", config());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Rows:        2  valid 2  rejected 0", "1 task(s), 1 request(s)", "\"taskName\" : \"default-ok\"",
                "138******01").doesNotContain("13800000001", "13800000002");
    }

    @Test
    void should_validate_a_list_with_invalid_rows_with_exit_1_and_name_line_column_and_rule() throws Exception {
        Path list = Files.writeString(tmp.resolve("bad.csv"), HEADER + "张三,,C1,,13800000001,,,,,\n李四,,C2,,12345,,,,,\n");

        Run r = run("validate", list.toString(), "--config", config());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("rejected 1", "line 3, mobile1: must be a mainland mobile").doesNotContain("12345");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void should_refuse_a_negative_sandbox_answer_latency_with_exit_2_before_listening() {
        Run r = run("sandbox", "--port", "0", "--answer-latency", "-5");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--answer-latency must be 0 or more milliseconds (found -5)");
    }

    @Test
    void should_refuse_a_missing_file_or_profile_with_exit_2() {
        assertThat(run("validate", tmp.resolve("nope.csv").toString(), "--config", config()).exit()).isEqualTo(2);
        assertThat(run("validate", "x.csv", "--profile", "nobody", "--config", config()).exit()).isEqualTo(2);
        assertThat(run("validate").exit()).isEqualTo(2);
    }

    @Test
    void should_report_a_broken_profile_by_name_key_and_rule() throws Exception {
        Files.createDirectories(tmp.resolve("config/profiles"));
        Files.writeString(tmp.resolve("config/profiles/default.properties"),
                Files.readString(InProcessBridge.repo().resolve("config/profiles/default.properties")).replace("acw=10", "acw=999"));
        Path list = Files.writeString(tmp.resolve("ok.csv"), HEADER + "张三,,C1,,13800000001,,,,,\n");

        Run r = run("validate", list.toString(), "--config", tmp.resolve("config").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("profile 'default'", "acw", "1..180");
    }

    @Test
    void should_write_an_owner_only_private_key_and_print_the_public_key() throws Exception {
        Run r = run("keygen", "--out", tmp.resolve("keys").toString());

        assertThat(r.exit()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("keys/private-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(r.out()).contains("Upload this public key").doesNotContain("PRIVATE");
        assertThat(run("keygen", "--out", tmp.resolve("keys").toString()).exit()).as("never overwrites a key").isEqualTo(2);
    }

    @Test
    void should_accept_the_shipped_routes_and_reject_a_broken_copy() throws Exception {
        Path routes = tmp.resolve("routes");
        Files.createDirectories(routes);
        try (Stream<Path> files = Files.list(InProcessBridge.repo().resolve("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        assertThat(run("check-routes", "--routes", routes.toString()).exit()).isZero();

        Path call = routes.resolve("call-vendor.camel.yaml");
        Files.writeString(call, Files.readString(call).replace("throwExceptionOnFailure: false", "throwExceptionOnFailur: false")
                .replace("- removeHeaders:", "- removeHeaderz:"));
        Files.writeString(routes.resolve("extra.camel.yaml"), "- route:\n    id: not-extra\n    from:\n      uri: direct:x\n      steps:\n        - log: x\n");

        Run r = run("check-routes", "--routes", routes.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("call-vendor.camel.yaml", "removeHeaderz", "extra.camel.yaml: route id 'not-extra' must be the file's stem");
    }
}
