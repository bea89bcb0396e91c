package io.outboundbridge.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.RecordedCall;
import io.outboundbridge.sandbox.RecordedTask;
import io.outboundbridge.sandbox.SandboxSettings;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.sign.SignatureVerifier;
import io.outboundbridge.support.CapturedLogs;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.TestKeys;
import io.outboundbridge.task.Customer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real routes/ and config/ booted as {@code run} boots them, against the sandbox vendor over real HTTP:
 * what the vendor receives, byte for byte where it matters, and where each list is filed.
 */
class CustomerListRoutesTest {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";
    static final String CREATE = "/speech/openapi/v1/task/outbound/create";
    static final String APPEND = "/speech/openapi/v1/task/outbound/customer/append";

    @TempDir
    Path tmp;

    Folders folders;
    SandboxVendor sandbox;
    InProcessBridge bridge;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() {
        folders = new Folders(tmp);
        sandbox = Sandboxes.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        sandbox.close();
    }

    void start(Map<String, String> settings) throws Exception {
        bridge = InProcessBridge.start(folders, sandbox, settings);
    }

    void start() throws Exception {
        start(Map.of());
    }

    static String rows(int from, int to) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = from; i <= to; i++) {
            sb.append("客户").append(i).append(",,ID").append(i).append(",,1380000").append(String.format("%04d", i))
                    .append(",本人,,,,\n");
        }
        return sb.toString();
    }

    @Test
    void should_send_a_clean_list_as_one_signed_create_with_the_exact_payload() throws Exception {
        start();
        folders.drop("clean.csv", HEADER
                + "张三,VIP,C1,x=1,+86 138-0000-0001,,13900000002,父亲,,\n"
                + "李四,\"回访, 二次\",C2,,0086 13800000003,本人,,,,\n");

        Outcome outcome = folders.awaitOutcome("clean.csv");

        assertThat(outcome.kind()).isEqualTo("archive");
        assertThat(sandbox.calls()).hasSize(1);
        RecordedCall call = sandbox.calls().get(0);
        assertThat(call.path()).isEqualTo(CREATE);
        assertThat(call.code()).isEqualTo("10000");
        assertThat(new SignatureVerifier(TestKeys.publicKey(), "{appId}{timestamp}", "SHA256withRSA")
                .verify(call.appId(), call.timestamp(), "POST", CREATE, call.body(), call.sign())).isTrue();
        assertThat(call.appId()).isEqualTo(Sandboxes.APP_ID);
        assertThat(call.headers().keySet()).as("nothing of the exchange leaks into the HTTP request")
                .containsAll(List.of("appid", "timestamp", "sign", "content-type"))
                .allMatch(h -> List.of("appid", "timestamp", "sign", "content-type", "content-length", "host",
                        "connection", "user-agent", "accept-encoding").contains(h));
        assertThat(call.headers().get("content-type")).containsExactly("application/json; charset=UTF-8");

        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        JsonNode expected = json.readTree("""
                {"taskName":"default-clean","taskType":1,"taskExecStartDate":"%s","taskExecEndDate":"%s",
                 "taskExecTimes":[{"taskExecTimeStartStr":"09:00:00","taskExecTimeEndStr":"12:00:00"},
                                  {"taskExecTimeStartStr":"14:00:00","taskExecTimeEndStr":"18:00:00"}],
                 "taskDesc":"outbound-bridge","skillSetId":"1462016331580064",
                 "outboundNumberGroupId":"1070678044124225","strategyDisplaySwitch":false,
                 "sendNumberStrategy":0,"multiplyPower":2,"maxRingingDuration":45,"acw":10,
                 "outboundPhoneGroups":[{"name":"本人","identify":"default","autoOutboundSwitch":0}],
                 "outBoundCustomers":[
                   {"name":"张三","desc":"VIP","externalCustomerId":"C1","externalData":"x=1",
                    "phoneGroupVoList":[{"phoneGroupIdentify":"default","relations":[
                      {"mobile":"13800000001","relation":"本人"},{"mobile":"13900000002","relation":"父亲"}]}]},
                   {"name":"李四","desc":"回访, 二次","externalCustomerId":"C2","externalData":"",
                    "phoneGroupVoList":[{"phoneGroupIdentify":"default","relations":[
                      {"mobile":"13800000003","relation":"本人"}]}]}]}
                """.formatted(today, today.plusDays(6)));
        assertThat(json.readTree(call.body())).isEqualTo(expected);

        JsonNode report = outcome.report();
        assertThat(report.path("rows").asLong()).isEqualTo(2);
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(report.path("rejected").asLong()).isZero();
        assertThat(report.path("profile").asText()).isEqualTo("default");
        assertThat(report.path("sha256").asText()).hasSize(64);
        assertThat(report.path("tasks").get(0).path("taskName").asText()).isEqualTo("default-clean");
        assertThat(report.path("tasks").get(0).path("taskId").asLong())
                .isEqualTo(sandbox.task("default-clean").orElseThrow().id());
        assertThat(outcome.list().getParent().getFileName().toString()).isEqualTo(today.toString());
        assertThat(outcome.rejects()).isNull();
        assertThat(Folders.filesUnder(folders.inbox())).isEmpty();
        assertThat(Folders.filesUnder(folders.processing())).isEmpty();
    }

    @Test
    void should_create_then_append_in_order_for_2500_rows() throws Exception {
        start();
        folders.drop("big.csv", rows(1, 2500));

        Outcome outcome = folders.awaitOutcome("big.csv");

        assertThat(outcome.archived()).isTrue();
        List<RecordedCall> calls = sandbox.calls();
        assertThat(calls).extracting(RecordedCall::path).containsExactly(CREATE, APPEND, APPEND);
        RecordedTask task = sandbox.task("default-big").orElseThrow();
        assertThat(task.customerCount()).isEqualTo(2500);
        assertThat(task.externalCustomerIds())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 2500).mapToObj(i -> "ID" + i).toList());
        assertThat(json.readTree(calls.get(1).body()).path("taskId").asLong()).isEqualTo(task.id());
        assertThat(json.readTree(calls.get(2).body()).path("outBoundCustomers")).hasSize(500);
        assertThat(outcome.report().path("tasks").get(0).path("requests").asInt()).isEqualTo(3);
        assertThat(outcome.report().path("customersSent").asLong()).isEqualTo(2500);
    }

    @Test
    void should_make_continuation_tasks_beyond_the_per_task_limit() throws Exception {
        start(Map.of("vendor.batch-size", "2", "vendor.max-customers-per-task", "5"));
        folders.drop("many.csv", rows(1, 12));

        Outcome outcome = folders.awaitOutcome("many.csv");

        assertThat(outcome.archived()).isTrue();
        // tasks are sent side by side: created in any order
        assertThat(sandbox.tasks()).extracting(RecordedTask::name, RecordedTask::customerCount)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("default-many", 5),
                        org.assertj.core.groups.Tuple.tuple("default-many-2", 5),
                        org.assertj.core.groups.Tuple.tuple("default-many-3", 2));
        assertThat(outcome.taskIds()).hasSize(3).doesNotContainNull();
    }

    @Test
    void should_send_the_other_tasks_while_one_waits_for_the_vendor() throws Exception {
        start(Map.of("vendor.batch-size", "2", "vendor.max-customers-per-task", "5", "vendor.parallel-tasks", "3"));
        sandbox.enqueue(Fault.hold("first-create").onCreate());
        folders.drop("wide.csv", rows(1, 12));

        // the first create to arrive is held; the two other tasks go through meanwhile, each in order
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.tasks().size() == 2
                && sandbox.tasks().stream().allMatch(t -> t.customerCount() == expectedSize(t.name())));
        assertThat(folders.outcome("wide.csv")).isEmpty();
        sandbox.release("first-create");

        Outcome outcome = folders.awaitOutcome("wide.csv");
        assertThat(outcome.archived()).isTrue();
        assertThat(sandbox.tasks()).extracting(RecordedTask::name).containsExactlyInAnyOrder(
                "default-wide", "default-wide-2", "default-wide-3");
        assertThat(sandbox.task("default-wide").orElseThrow().externalCustomerIds())
                .containsExactly("ID1", "ID2", "ID3", "ID4", "ID5");
        assertThat(sandbox.task("default-wide-2").orElseThrow().externalCustomerIds())
                .containsExactly("ID6", "ID7", "ID8", "ID9", "ID10");
        assertThat(sandbox.task("default-wide-3").orElseThrow().externalCustomerIds()).containsExactly("ID11", "ID12");
        assertThat(outcome.report().path("customersSent").asLong()).isEqualTo(12);
    }

    private static int expectedSize(String task) {
        return task.endsWith("-3") ? 2 : 5;
    }

    @Test
    void should_stop_the_other_tasks_when_one_fails_and_report_what_the_vendor_holds() throws Exception {
        start(Map.of("vendor.batch-size", "2", "vendor.max-customers-per-task", "6", "vendor.parallel-tasks", "2"));
        sandbox.enqueue(Fault.code("29002").onCreate());
        folders.drop("half.csv", rows(1, 18));

        Outcome outcome = folders.awaitOutcome("half.csv");

        assertThat(outcome.kind()).isEqualTo("error");
        assertThat(outcome.report().path("stage").asText()).isEqualTo("create");
        assertThat(outcome.report().path("vendorCode").asText()).isEqualTo("29002");
        // what the list reports as sent is what the vendor holds, task by task (the refused task holds nothing)
        assertThat(outcome.report().path("customersSent").asLong()).isEqualTo(sandbox.totalCustomers())
                .isLessThan(18);
        Map<String, Integer> held = new HashMap<>();
        sandbox.tasks().forEach(t -> held.put(t.name(), t.customerCount()));
        Map<String, Integer> reported = new HashMap<>();
        outcome.report().path("tasks").forEach(t -> {
            if (!t.path("taskId").isNull()) {
                reported.put(t.path("taskName").asText(), t.path("customers").asInt());
            }
        });
        assertThat(reported).isEqualTo(held);
    }

    @Test
    void should_send_valid_rows_and_report_the_invalid_ones() throws Exception {
        start();
        folders.drop("mixed.csv", rows(1, 18)
                + "这个名字一共有二十一个字符长长长长长长长长长,,ID19,,13800000019,,,,,\n"
                + "客户20,,ID20,,12345,,,,,\n");

        Outcome outcome = folders.awaitOutcome("mixed.csv");

        assertThat(outcome.archived()).isTrue();
        assertThat(sandbox.totalCustomers()).isEqualTo(18);
        assertThat(outcome.report().path("rejected").asLong()).isEqualTo(2);
        List<String> rejects = outcome.rejectLines();
        assertThat(rejects.get(0)).endsWith("line,column,reason,original");
        assertThat(rejects).anySatisfy(l -> assertThat(l).startsWith("20,name,").contains("at most 20 characters"));
        assertThat(rejects).anySatisfy(l -> assertThat(l).startsWith("21,mobile1,"));
    }

    @Test
    void should_reject_the_whole_file_above_the_invalid_ratio() throws Exception {
        start();
        folders.drop("bad.csv", rows(1, 8) + "x,,ID9,,1,,,,,\n" + "y,,ID10,,2,,,,,\n");

        Outcome outcome = folders.awaitOutcome("bad.csv");

        assertThat(outcome.kind()).isEqualTo("error");
        assertThat(outcome.report().path("stage").asText()).isEqualTo("validate");
        assertThat(outcome.report().path("message").asText()).contains("2 of 10", "bridge.max-invalid-ratio");
        assertThat(outcome.rejectLines()).hasSize(3);
        assertThat(sandbox.calls()).isEmpty();
    }

    @Test
    void should_stop_on_one_invalid_row_under_reject_file_policy() throws Exception {
        start(Map.of("bridge.reject-policy", "reject-file"));
        folders.drop("strict.csv", rows(1, 30) + "x,,ID31,,1,,,,,\n");

        Outcome outcome = folders.awaitOutcome("strict.csv");

        assertThat(outcome.kind()).isEqualTo("error");
        assertThat(outcome.report().path("message").asText()).contains("reject-file");
        assertThat(sandbox.calls()).isEmpty();
    }

    @Test
    void should_file_a_list_the_vendor_refuses_in_error_with_its_code_and_message() throws Exception {
        start();
        sandbox.enqueue(Fault.code("29002"));
        folders.drop("refused.csv", rows(1, 3));

        Outcome outcome = folders.awaitOutcome("refused.csv");

        assertThat(outcome.kind()).isEqualTo("error");
        assertThat(outcome.report().path("stage").asText()).isEqualTo("create");
        assertThat(outcome.report().path("vendorCode").asText()).isEqualTo("29002");
        assertThat(outcome.report().path("customersSent").asLong()).isZero();
        assertThat(sandbox.calls()).hasSize(1);
    }

    @Test
    void should_retry_29008_with_a_fresh_signature_and_send_each_customer_once() throws Exception {
        start();
        sandbox.enqueue(Fault.code("29008").onAppend(), Fault.code("29008").onAppend());
        folders.drop("flaky.csv", rows(1, 1500));

        Outcome outcome = folders.awaitOutcome("flaky.csv");

        assertThat(outcome.archived()).isTrue();
        List<RecordedCall> appends = sandbox.calls().stream().filter(c -> c.path().equals(APPEND)).toList();
        assertThat(appends).extracting(RecordedCall::code).containsExactly("29008", "29008", "10000");
        assertThat(appends).extracting(RecordedCall::timestamp).doesNotHaveDuplicates();
        assertThat(appends).extracting(RecordedCall::sign).doesNotHaveDuplicates();
        SignatureVerifier verifier = new SignatureVerifier(TestKeys.publicKey(), "{appId}{timestamp}", "SHA256withRSA");
        assertThat(appends).allSatisfy(c -> assertThat(
                verifier.verify(c.appId(), c.timestamp(), "POST", APPEND, c.body(), c.sign())).isTrue());
        RecordedTask task = sandbox.task("default-flaky").orElseThrow();
        assertThat(task.externalCustomerIds()).hasSize(1500).doesNotHaveDuplicates();
    }

    @Test
    void should_retry_http_503_then_wait_for_the_vendor_breaker_and_send_the_list_once() throws Exception {
        start(Map.of("vendor.retry.max-retries", "2", "vendor.breaker.open-for", "300"));
        sandbox.enqueue(Fault.httpStatus(503), Fault.httpStatus(503), Fault.httpStatus(503));
        folders.drop("down.csv", rows(1, 2));

        Outcome outcome = folders.awaitOutcome("down.csv");

        // three attempts, the breaker opens, its probe is the fourth: nothing filed in error for the outage
        assertThat(outcome.archived()).isTrue();
        assertThat(sandbox.calls()).extracting(RecordedCall::fault).containsExactly("httpStatus(503)",
                "httpStatus(503)", "httpStatus(503)", null);
        assertThat(sandbox.task("default-down").orElseThrow().customerCount()).isEqualTo(2);
    }

    @Test
    void should_file_an_authentication_failure_in_error_and_take_no_list_until_a_restart() throws Exception {
        start();
        sandbox.enqueue(Fault.code("10001"));
        folders.drop("first.csv", rows(1, 2));
        assertThat(folders.awaitOutcome("first.csv").report().path("vendorCode").asText()).isEqualTo("10001");

        folders.drop("second.csv", rows(3, 4));
        Awaitility.await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(java.nio.file.Files.exists(folders.inbox().resolve("second.csv"))).isTrue();

        bridge.close();
        start();
        assertThat(folders.awaitOutcome("second.csv").archived()).isTrue();
        assertThat(sandbox.task("default-second").orElseThrow().customerCount()).isEqualTo(2);
    }

    @Test
    void should_use_the_profile_of_the_inbox_subfolder_and_refuse_an_unknown_one(@TempDir Path config) throws Exception {
        java.nio.file.Files.createDirectories(config.resolve("profiles"));
        String profile = java.nio.file.Files.readString(InProcessBridge.repo().resolve("config/profiles/default.properties"));
        java.nio.file.Files.writeString(config.resolve("profiles/default.properties"), profile);
        java.nio.file.Files.writeString(config.resolve("profiles/vip.properties"),
                profile.replace("taskNameTemplate=${profile}-${fileBase}", "taskNameTemplate=贵宾-${fileBase}")
                        .replace("acw=10", "acw=30"));
        bridge = InProcessBridge.start(config, InProcessBridge.repo().resolve("routes"), folders, sandbox, Map.of());
        folders.drop("vip/list.csv", rows(1, 2));
        folders.drop("nobody/list2.csv", rows(3, 4));

        assertThat(folders.awaitOutcome("list.csv").archived()).isTrue();
        RecordedTask task = sandbox.task("贵宾-list").orElseThrow();
        assertThat(task.create().acw()).isEqualTo(30);
        Outcome unknown = folders.awaitOutcome("list2.csv");
        assertThat(unknown.kind()).isEqualTo("error");
        assertThat(unknown.report().path("message").asText()).contains("no profile 'nobody'");
    }

    @Test
    void should_keep_both_lists_when_the_same_name_comes_twice() throws Exception {
        start();
        folders.drop("same.csv", rows(1, 2));
        Path first = folders.awaitOutcome("same.csv").list();
        folders.drop("same.csv", rows(3, 4));

        Outcome second = folders.awaitOutcome("same-2.csv");

        assertThat(first).exists();
        assertThat(second.list()).exists();
        assertThat(second.report().path("file").asText()).isEqualTo("same.csv");
        assertThat(sandbox.tasks()).extracting(RecordedTask::name).containsExactly("default-same", "default-same(2)");
    }

    @Test
    void should_refuse_the_same_content_twice_and_show_both_in_status() throws Exception {
        start();
        folders.drop("once.csv", rows(1, 3));
        Outcome first = folders.awaitOutcome("once.csv");
        folders.drop("twice.csv", rows(1, 3));

        Outcome second = folders.awaitOutcome("twice.csv");

        assertThat(second.kind()).isEqualTo("error");
        assertThat(second.report().path("stage").asText()).isEqualTo("duplicate");
        assertThat(second.report().path("message").asText()).contains("once.csv", first.taskIds().get(0).toString());
        assertThat(sandbox.calls()).hasSize(1);

        Path config = java.nio.file.Files.createDirectories(tmp.resolve("status-config"));
        java.nio.file.Files.writeString(config.resolve("application.properties"),
                "bridge.data=" + tmp.resolve("data") + "\n");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new picocli.CommandLine(new io.outboundbridge.cli.OutboundBridge())
                    .execute("status", "-n", "5", "--config", config.toString());
        } finally {
            System.setOut(old);
        }
        String status = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(exit).as(status).isZero();
        assertThat(status).containsPattern("twice\\.csv\\s+failed\\s+-\\s+-\\s+-\\s+-\\s+\\(stopped at duplicate\\)")
                .containsPattern("once\\.csv\\s+done\\s+3\\s+3\\s+0\\s+default-once=" + first.taskIds().get(0));
    }

    @Test
    void should_file_a_list_with_a_wrong_header_in_error_and_send_nothing() throws Exception {
        start();
        folders.drop("header.csv", "name,phone\n张三,13800000001\n");

        Outcome outcome = folders.awaitOutcome("header.csv");

        assertThat(outcome.kind()).isEqualTo("error");
        assertThat(outcome.report().path("stage").asText()).isEqualTo("parse");
        assertThat(outcome.report().path("message").asText()).contains("expected", "found");
        assertThat(sandbox.calls()).isEmpty();
    }

    @Test
    void should_take_settings_from_the_config_folder_over_the_defaults(@TempDir Path config) throws Exception {
        java.nio.file.Files.createDirectories(config.resolve("profiles"));
        java.nio.file.Files.copy(InProcessBridge.repo().resolve("config/profiles/default.properties"),
                config.resolve("profiles/default.properties"));
        java.nio.file.Files.writeString(config.resolve("application.properties"), "vendor.batch-size=2\n");
        Map<String, String> settings = new HashMap<>();
        bridge = InProcessBridge.start(config, InProcessBridge.repo().resolve("routes"), folders, sandbox, settings);
        folders.drop("five.csv", rows(1, 5));

        assertThat(folders.awaitOutcome("five.csv").archived()).isTrue();
        assertThat(sandbox.calls()).hasSize(3);
        List<Customer> customers = sandbox.task("default-five").orElseThrow().customers();
        assertThat(customers).hasSize(5);
    }

    @Test
    void should_read_the_config_folder_as_utf8(@TempDir Path config) throws Exception {
        java.nio.file.Files.createDirectories(config.resolve("profiles"));
        java.nio.file.Files.copy(InProcessBridge.repo().resolve("config/profiles/default.properties"),
                config.resolve("profiles/default.properties"));
        Path inbox = tmp.resolve("收件箱");
        java.nio.file.Files.writeString(config.resolve("application.properties"), "bridge.inbox=" + inbox + "\n",
                java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> settings = new HashMap<>();
        settings.put("bridge.inbox", null);
        bridge = InProcessBridge.start(config, InProcessBridge.repo().resolve("routes"), folders, sandbox, settings);
        java.nio.file.Files.createDirectories(inbox);
        java.nio.file.Files.writeString(inbox.resolve("cn.csv.part"), rows(1, 2));
        java.nio.file.Files.move(inbox.resolve("cn.csv.part"), inbox.resolve("cn.csv"));

        assertThat(folders.awaitOutcome("cn.csv").archived()).isTrue();
    }

    @Test
    void should_retry_a_dropped_connection_and_an_answer_that_never_comes() throws Exception {
        start(Map.of("vendor.read-timeout", "400"));
        sandbox.enqueue(Fault.dropBeforeProcessing().onCreate(), Fault.hold("never").onCreate());
        folders.drop("unreliable.csv", rows(1, 3));

        Outcome outcome = folders.awaitOutcome("unreliable.csv");

        assertThat(outcome.archived()).isTrue();
        assertThat(sandbox.calls()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(sandbox.task("default-unreliable").orElseThrow().customerCount()).isEqualTo(3);
    }

    /** A port on loopback that nothing listens on: a connection to it is refused. */
    static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void should_keep_a_list_in_processing_while_the_vendor_refuses_the_connection_and_leave_it_there_on_stop()
            throws Exception {
        try (CapturedLogs logs = CapturedLogs.start()) {
            start(Map.of("vendor.base-url", "http://127.0.0.1:" + closedPort(), "vendor.retry.max-retries", "2"));
            folders.drop("refusing.csv", rows(1, 3));

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> logs.text().contains("Vendor breaker open: a "
                    + "call still failed after its retries (the vendor could not be reached: connection refused; "
                    + "nothing was sent)"));
            bridge.close();
            bridge = null;
        }

        assertThat(Folders.filesUnder(folders.processing())).extracting(p -> p.getFileName().toString())
                .containsExactly("refusing.csv");
        assertThat(Folders.filesUnder(folders.error())).isEmpty();
        assertThat(sandbox.calls()).isEmpty();
    }

    @Test
    void should_retry_a_create_the_vendor_could_not_be_reached_for_and_send_it_once() throws Exception {
        int port = closedPort();
        SandboxVendor late = null;
        try (CapturedLogs logs = CapturedLogs.start()) {
            start(Map.of("vendor.base-url", "http://127.0.0.1:" + port, "vendor.retry.initial-delay", "500",
                    "vendor.retry.max-delay", "500"));
            folders.drop("late.csv", rows(1, 3));
            // the first attempt is refused (the retry says why); the vendor comes up before the next one
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> logs.text()
                    .contains("the vendor could not be reached: connection refused; nothing was sent"));
            late = SandboxVendor.start(SandboxSettings.builder().appId(Sandboxes.APP_ID)
                    .publicKey(TestKeys.publicKey()).port(port).build());

            assertThat(folders.awaitOutcome("late.csv").archived()).isTrue();
            assertThat(late.calls()).hasSize(1);
            assertThat(late.task("default-late").orElseThrow().customerCount()).isEqualTo(3);
        } finally {
            if (late != null) {
                late.close();
            }
        }
    }

    @Test
    void should_say_the_outcome_is_unknown_when_a_create_got_no_answer_and_its_next_attempt_was_refused()
            throws Exception {
        start(Map.of("vendor.read-timeout", "400", "vendor.retry.max-retries", "1"));
        // the first attempt times out (the vendor may have created the task), the second is refused for good
        sandbox.enqueue(Fault.hold("never").onCreate(), Fault.code("29002", "taskName: already used").onCreate());
        folders.drop("unknown.csv", rows(1, 3));

        Outcome outcome = folders.awaitOutcome("unknown.csv");

        assertThat(outcome.kind()).isEqualTo("error");
        assertThat(outcome.report().path("stage").asText()).isEqualTo("create");
        assertThat(outcome.report().path("vendorOutcomeUnknown").asBoolean()).isTrue();
        assertThat(outcome.report().path("message").asText())
                .startsWith("outcome unknown: an attempt to create task default-unknown got no answer")
                .doesNotContain("Drop this file again");
        assertThat(sandbox.awaitHeld("never", Duration.ZERO)).as("the first attempt reached the vendor").isTrue();
    }

    @Test
    void should_refuse_a_huge_answer_without_reading_it_and_take_the_next_list() throws Exception {
        long huge = 400L * 1024 * 1024;
        start();
        sandbox.enqueue(Fault.hugeAnswer(huge).onCreate());
        folders.drop("huge.csv", rows(1, 3));

        Outcome outcome = folders.awaitOutcome("huge.csv", Duration.ofSeconds(15));

        assertThat(outcome.kind()).isEqualTo("error");
        JsonNode report = outcome.report();
        assertThat(report.path("stage").asText()).isEqualTo("create");
        assertThat(report.has("vendorCode")).isFalse();
        assertThat(report.path("vendorMessage").asText())
                .startsWith("answer larger than 65536 bytes (HTTP 200), not read past that: "
                        + "a huge answer, not the vendor's JSON envelope a huge answer")
                .hasSizeLessThan(400);
        assertThat(report.path("message").asText())
                .startsWith("vendor answered HTTP 200 answer larger than 65536 bytes (HTTP 200)");
        // the bridge closed the connection after the cap: the sandbox could not write more than the sockets hold
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.hugeAnswersWritten().size() == 1);
        assertThat(sandbox.hugeAnswersWritten().get(0)).isLessThan(64L * 1024 * 1024);

        folders.drop("after-huge.csv", rows(4, 6));
        assertThat(folders.awaitOutcome("after-huge.csv").archived()).isTrue();
    }

    @Test
    void should_mask_the_phone_numbers_the_vendor_quotes_in_error_reports_and_logs() throws Exception {
        Outcome refused;
        Outcome page;
        String logged;
        try (CapturedLogs logs = CapturedLogs.start()) {
            start();
            sandbox.enqueue(Fault.code("29002", "参数错误: outBoundCustomers[0] mobile 13800000001 重复").onCreate());
            folders.drop("quoted.csv", rows(1, 3));
            refused = folders.awaitOutcome("quoted.csv");
            sandbox.enqueue(Fault.httpStatus(400, "<html><body>bad mobile 13800000002,\n+86 138-0000-0003, "
                    + "landline 01012345678</body></html>").onCreate());
            folders.drop("page.csv", rows(4, 6));
            page = folders.awaitOutcome("page.csv");
            logged = logs.text();
        }

        assertThat(refused.kind()).isEqualTo("error");
        assertThat(refused.report().path("vendorCode").asText()).isEqualTo("29002");
        assertThat(refused.report().path("vendorMessage").asText())
                .isEqualTo("参数错误: outBoundCustomers[0] mobile 138******01 重复");
        assertThat(refused.report().path("message").asText())
                .isEqualTo("vendor answered 29002 参数错误: outBoundCustomers[0] mobile 138******01 重复");
        assertThat(page.kind()).isEqualTo("error");
        assertThat(page.report().path("vendorMessage").asText()).isEqualTo("not the vendor's JSON envelope (HTTP 400): "
                + "<html><body>bad mobile 138******02, +86 138******03, landline 010******78</body></html>");
        assertThat(logged).contains("quoted.csv", "138******01", "page.csv", "138******02");
        String reports = refused.report().toString() + page.report().toString();
        for (String full : List.of("13800000001", "13800000002", "0000-0003", "01012345678")) {
            assertThat(reports).as("reports").doesNotContain(full);
            assertThat(logged).as("logs").doesNotContain(full);
        }
    }

    @Test
    void should_never_log_a_signature_a_key_or_a_full_phone_number() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            start(Map.of("vendor.retry.max-retries", "1", "vendor.breaker.open-for", "200"));
            sandbox.enqueue(Fault.code("29008"), Fault.code("29008"), Fault.code("29008"));
            folders.drop("secret.csv", HEADER + "王五,,S1,,13912345678,,,,,\n" + "赵六,,S2,,13987654321,,,,,\n");
            assertThat(folders.awaitOutcome("secret.csv").kind()).isEqualTo("archive");
        } finally {
            root.detachAppender(logs);
        }
        String all = String.join("\n", logs.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).toList());
        assertThat(all).contains("secret.csv");
        assertThat(all).doesNotContain("13912345678", "13987654321",
                java.nio.file.Files.readString(TestKeys.get().privateKeyFile()).lines().skip(1).findFirst().orElseThrow());
        assertThat(sandbox.calls()).isNotEmpty().allSatisfy(c -> assertThat(all).doesNotContain(c.sign()));
    }
}
