package io.outboundbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.RecordedCall;
import io.outboundbridge.sandbox.RecordedTask;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.sign.SignatureVerifier;
import io.outboundbridge.support.BridgeLogsOnFailure;
import io.outboundbridge.support.BridgeProcess;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import io.outboundbridge.support.TestKeys;
import io.outboundbridge.task.Customer;
import io.outboundbridge.task.PhoneRelation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as an operator runs it ({@code java -jar outbound-bridge.jar run}), in its own process, against
 * the sandbox vendor in this JVM: what the vendor receives and where each list is filed. One process serves every
 * test (each drops lists of its own name); the GBK test starts a second one with another charset.
 */
class PackagedJarIT {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n";
    static final String CREATE = "/speech/openapi/v1/task/outbound/create";
    static final String APPEND = "/speech/openapi/v1/task/outbound/customer/append";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static SandboxVendor sandbox;
    static Folders folders;
    static BridgeProcess bridge;
    /** The management port, given to the jar the way an operator may: CAMEL_MANAGEMENT_PORT in its environment. */
    static int managementPort;

    @RegisterExtension
    static final BridgeLogsOnFailure logs = new BridgeLogsOnFailure();

    @BeforeAll
    static void startBridge() {
        sandbox = Sandboxes.start();
        folders = new Folders(tmp.resolve("data"));
        managementPort = freePort();
        Map<String, String> settings = new HashMap<>(InProcessBridge.testSettings(folders, sandbox));
        // the management server as shipped (on, 127.0.0.1), on a port of the environment's
        settings.remove("camel.management.enabled");
        bridge = logs.watch(BridgeProcess.start(tmp.resolve("run"), InProcessBridge.repo().resolve("config"),
                InProcessBridge.repo().resolve("routes"), settings,
                Map.of("CAMEL_MANAGEMENT_PORT", String.valueOf(managementPort))));
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopBridge() {
        if (bridge != null) {
            bridge.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void forgetEarlierCalls() {
        sandbox.reset();
    }

    static BridgeProcess start(String workDir, Folders folders, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(InProcessBridge.testSettings(folders, sandbox));
        settings.putAll(extra);
        BridgeProcess started = BridgeProcess.start(tmp.resolve(workDir), InProcessBridge.repo().resolve("routes"),
                settings);
        return logs.watch(started);
    }

    static String rows(String idPrefix, int from, int to) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = from; i <= to; i++) {
            sb.append("客户").append(i).append(",,").append(idPrefix).append(i).append(",,1380000")
                    .append(String.format("%04d", i)).append(",本人,,,,\n");
        }
        return sb.toString();
    }

    static List<String> ids(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + i).toList();
    }

    static SignatureVerifier verifier() {
        return new SignatureVerifier(TestKeys.publicKey(), "{appId}{timestamp}", "SHA256withRSA");
    }

    static boolean verifies(RecordedCall call) {
        return verifier().verify(call.appId(), call.timestamp(), "POST", call.path(), call.body(), call.sign());
    }

    static void assertNothingLeftIn(Folders folders) {
        assertThat(Folders.filesUnder(folders.inbox())).as("files left in the inbox").isEmpty();
        assertThat(Folders.filesUnder(folders.processing())).as("files left in processing").isEmpty();
        assertThat(Folders.filesUnder(folders.work())).as("spooled customers left in the work folder").isEmpty();
    }

    static byte[] withUtf8Bom(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void should_log_its_management_address_once_and_serve_liveness_and_metrics_there() throws Exception {
        String address = "http://127.0.0.1:" + managementPort;
        assertThat(bridge.log()).containsOnlyOnce("management on " + address);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> live = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(address + "/observe/health/live")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("UP");
        folders.drop("observed-e2e.csv", rows("O", 1, 2));
        assertThat(bridge.awaitOutcome(folders, "observed-e2e.csv").archived()).isTrue();
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(address
                + "/observe/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("(?m)^bridge_lists_filed_total\\{outcome=\"archive\",stage=\"\"\\} [1-9]");
    }

    @Test
    void should_send_a_clean_list_as_one_create_with_the_exact_customers_and_a_valid_signature() throws Exception {
        folders.drop("clean-e2e.csv", HEADER
                + "张三,VIP,C1,x=1,+86 138-0000-0001,,13900000002,父亲,,\n"
                + "李四,\"回访, 二次\",C2,,0086 13800000003,本人,,,,\n");

        Outcome outcome = bridge.awaitOutcome(folders, "clean-e2e.csv");

        assertThat(outcome.kind()).isEqualTo("archive");
        assertThat(sandbox.calls()).hasSize(1);
        RecordedCall call = sandbox.calls().get(0);
        assertThat(call.path()).isEqualTo(CREATE);
        assertThat(call.code()).isEqualTo("10000");
        assertThat(call.appId()).isEqualTo(Sandboxes.APP_ID);
        assertThat(verifies(call)).as("signature verifies with the test public key").isTrue();
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        JsonNode expected = JSON.readTree("""
                {"taskName":"default-clean-e2e","taskType":1,"taskExecStartDate":"%s","taskExecEndDate":"%s",
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
        assertThat(JSON.readTree(call.body())).isEqualTo(expected);
        JsonNode report = outcome.report();
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(report.path("rejected").asLong()).isZero();
        assertThat(outcome.taskIds()).containsExactly(sandbox.task("default-clean-e2e").orElseThrow().id());
        assertThat(outcome.list().getParent().getFileName()).hasToString(today.toString());
        assertThat(outcome.rejects()).isNull();
        assertNothingLeftIn(folders);
    }

    @Test
    void should_send_2500_rows_as_one_create_and_two_appends_in_order() throws Exception {
        folders.drop("big-e2e.csv", rows("B", 1, 2500));

        Outcome outcome = bridge.awaitOutcome(folders, "big-e2e.csv");

        assertThat(outcome.archived()).isTrue();
        List<RecordedCall> calls = sandbox.calls();
        assertThat(calls).extracting(RecordedCall::path).containsExactly(CREATE, APPEND, APPEND);
        assertThat(calls).extracting(RecordedCall::code).containsOnly("10000");
        RecordedTask task = sandbox.task("default-big-e2e").orElseThrow();
        assertThat(task.externalCustomerIds()).containsExactlyElementsOf(ids("B", 1, 2500));
        assertThat(JSON.readTree(calls.get(1).body()).path("taskId").asLong()).isEqualTo(task.id());
        assertThat(JSON.readTree(calls.get(2).body()).path("taskId").asLong()).isEqualTo(task.id());
        assertThat(calls).extracting(c -> JSON.readTree(c.body()).path("outBoundCustomers").size())
                .containsExactly(1000, 1000, 500);
        assertThat(outcome.report().path("customersSent").asLong()).isEqualTo(2500);
        assertThat(outcome.report().path("tasks").get(0).path("requests").asInt()).isEqualTo(3);
        assertNothingLeftIn(folders);
    }

    @Test
    void should_archive_a_list_with_invalid_rows_reporting_them_and_sending_only_the_valid_ones() throws Exception {
        folders.drop("mixed-e2e.csv", rows("M", 1, 18)
                + "这个名字一共有二十一个字符长长长长长长长长长,,M19,,13800000019,,,,,\n"
                + "客户20,,M20,,12345,,,,,\n");

        Outcome outcome = bridge.awaitOutcome(folders, "mixed-e2e.csv");

        assertThat(outcome.archived()).isTrue();
        assertThat(outcome.report().path("rows").asLong()).isEqualTo(20);
        assertThat(outcome.report().path("accepted").asLong()).isEqualTo(18);
        assertThat(outcome.report().path("rejected").asLong()).isEqualTo(2);
        assertThat(sandbox.task("default-mixed-e2e").orElseThrow().externalCustomerIds())
                .containsExactlyElementsOf(ids("M", 1, 18));
        assertThat(sandbox.totalCustomers()).isEqualTo(18);
        List<String> rejects = outcome.rejectLines();
        assertThat(rejects).hasSize(3);
        assertThat(rejects.get(0)).endsWith("line,column,reason,original");
        assertThat(rejects.get(1)).startsWith("20,name,").contains("at most 20 characters", "M19");
        assertThat(rejects.get(2)).startsWith("21,mobile1,").contains("12345", "M20");
        assertNothingLeftIn(folders);
    }

    @Test
    void should_read_a_utf8_bom_list_with_the_names_and_first_column_intact() throws Exception {
        folders.drop("bom-e2e.csv", withUtf8Bom(HEADER
                + "王五,第一位,BOM1,,13800000001,,,,,\n"
                + "赵六,,BOM2,,13800000002,本人,,,,\n"));

        Outcome outcome = bridge.awaitOutcome(folders, "bom-e2e.csv");

        assertThat(outcome.archived()).isTrue();
        assertThat(sandbox.task("default-bom-e2e").orElseThrow().customers())
                .extracting(Customer::name, Customer::desc, Customer::externalCustomerId)
                .containsExactly(tuple("王五", "第一位", "BOM1"),
                        tuple("赵六", "", "BOM2"));
        assertThat(sandbox.calls().get(0).bodyText()).doesNotContain("\uFEFF");
        assertNothingLeftIn(folders);
    }

    @Test
    void should_keep_a_quoted_newline_and_report_the_physical_lines_after_it() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        csv.append("张三,\"第一行\n第二行\",Q1,,13800000001,,,,,\n");                 // lines 2-3
        for (int i = 2; i <= 18; i++) {                                              // lines 4-20
            csv.append("客户").append(i).append(",,Q").append(i).append(",,138000000").append(String.format("%02d", i))
                    .append(",,,,,\n");
        }
        csv.append("坏号码,\"备注\n续\",Q19,,12345,,,,,\n");                          // lines 21-22
        csv.append("李四,,Q20,,13800000020,兄弟,,,,\n");                              // line 23
        folders.drop("multiline-e2e.csv", csv.toString());

        Outcome outcome = bridge.awaitOutcome(folders, "multiline-e2e.csv");

        assertThat(outcome.archived()).isTrue();
        RecordedTask task = sandbox.task("default-multiline-e2e").orElseThrow();
        assertThat(task.externalCustomerIds()).containsExactlyElementsOf(ids("Q", 1, 18));
        assertThat(task.customers().get(0).desc()).isEqualTo("第一行\n第二行");
        assertThat(JSON.readTree(sandbox.calls().get(0).body()).path("outBoundCustomers").get(0).path("desc").asText())
                .isEqualTo("第一行\n第二行");
        assertThat(outcome.report().path("rows").asLong()).isEqualTo(20);
        assertThat(outcome.report().path("rejected").asLong()).isEqualTo(2);
        // the rejected record that spans lines 21-22 is quoted over two lines of the report too
        List<String> reported = outcome.rejectLines().stream().filter(l -> l.matches("\\d+,.*")).toList();
        assertThat(reported).hasSize(2);
        assertThat(reported.get(0)).startsWith("21,mobile1,").contains("坏号码");
        assertThat(Files.readString(outcome.rejects())).contains("备注\n续");
        assertThat(reported.get(1)).startsWith("23,relation1,").contains("兄弟");
        assertNothingLeftIn(folders);
    }

    @Test
    void should_file_a_list_refused_with_29002_in_error_and_leave_nothing_at_the_vendor() throws Exception {
        sandbox.enqueue(Fault.code("29002"));
        folders.drop("refused-e2e.csv", rows("R", 1, 3));

        Outcome outcome = bridge.awaitOutcome(folders, "refused-e2e.csv");

        assertThat(outcome.kind()).isEqualTo("error");
        assertThat(outcome.report().path("stage").asText()).isEqualTo("create");
        assertThat(outcome.report().path("vendorCode").asText()).isEqualTo("29002");
        assertThat(outcome.report().path("customersSent").asLong()).isZero();
        assertThat(sandbox.calls()).extracting(RecordedCall::path, RecordedCall::code)
                .containsExactly(tuple(CREATE, "29002"));
        assertThat(sandbox.tasks()).isEmpty();
        assertThat(sandbox.totalCustomers()).isZero();
        assertNothingLeftIn(folders);
    }

    @Test
    void should_retry_29008_on_an_append_signing_every_attempt_afresh_and_send_each_customer_once() throws Exception {
        sandbox.enqueue(Fault.code("29008").onAppend(), Fault.code("29008").onAppend());
        folders.drop("flaky-e2e.csv", rows("F", 1, 1200));

        Outcome outcome = bridge.awaitOutcome(folders, "flaky-e2e.csv");

        assertThat(outcome.archived()).isTrue();
        List<RecordedCall> calls = sandbox.calls();
        assertThat(calls).extracting(RecordedCall::path, RecordedCall::code).containsExactly(
                tuple(CREATE, "10000"),
                tuple(APPEND, "29008"),
                tuple(APPEND, "29008"),
                tuple(APPEND, "10000"));
        List<RecordedCall> appends = calls.subList(1, 4);
        assertThat(appends).extracting(RecordedCall::timestamp).doesNotHaveDuplicates();
        assertThat(appends).extracting(RecordedCall::sign).doesNotHaveDuplicates();
        assertThat(appends).allSatisfy(c -> assertThat(verifies(c)).as("signature of %s verifies", c).isTrue());
        assertThat(appends).extracting(RecordedCall::bodyText).as("every attempt carries the same batch")
                .containsOnly(appends.get(0).bodyText());
        RecordedTask task = sandbox.task("default-flaky-e2e").orElseThrow();
        assertThat(task.externalCustomerIds()).containsExactlyElementsOf(ids("F", 1, 1200));
        assertThat(sandbox.totalCustomers()).isEqualTo(1200);
        assertThat(outcome.report().path("customersSent").asLong()).isEqualTo(1200);
        assertNothingLeftIn(folders);
    }

    @Test
    void should_file_an_authentication_failure_in_error_and_take_no_list_until_a_restart() throws Exception {
        // a bridge of its own: after 10001 it takes no list until it is restarted
        Folders own = new Folders(tmp.resolve("auth"));
        BridgeProcess refused = start("auth-run", own, Map.of());
        try {
            sandbox.enqueue(Fault.code("10001"));
            own.drop("auth-first-e2e.csv", rows("A", 1, 2));
            Outcome first = refused.awaitOutcome(own, "auth-first-e2e.csv");
            assertThat(first.kind()).isEqualTo("error");
            assertThat(first.report().path("vendorCode").asText()).isEqualTo("10001");
            assertThat(sandbox.tasks()).isEmpty();

            own.drop("auth-second-e2e.csv", rows("A", 3, 4));
            org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofSeconds(2))
                    .atMost(java.time.Duration.ofSeconds(3)).until(() -> true);
            assertThat(java.nio.file.Files.exists(own.inbox().resolve("auth-second-e2e.csv"))).isTrue();
            assertThat(refused.isAlive()).isTrue();
        } finally {
            refused.close();
        }

        BridgeProcess restarted = start("auth-run", own, Map.of());
        try {
            Outcome second = restarted.awaitOutcome(own, "auth-second-e2e.csv");
            assertThat(second.archived()).isTrue();
            assertThat(sandbox.task("default-auth-second-e2e").orElseThrow().externalCustomerIds())
                    .containsExactly("A3", "A4");
        } finally {
            restarted.close();
        }
    }

    @Test
    void should_refuse_a_400_mb_vendor_answer_at_256_mb_of_heap_and_take_the_next_list() throws Exception {
        sandbox.enqueue(Fault.hugeAnswer(400L * 1024 * 1024).onCreate());
        folders.drop("huge-e2e.csv", rows("H", 1, 2));

        Outcome huge = bridge.awaitOutcome(folders, "huge-e2e.csv");

        assertThat(huge.kind()).isEqualTo("error");
        assertThat(huge.report().path("stage").asText()).isEqualTo("create");
        assertThat(huge.report().path("message").asText())
                .startsWith("vendor answered HTTP 200 answer larger than 65536 bytes (HTTP 200), not read past that");
        assertThat(bridge.log()).contains("Failed huge-e2e.csv at stage create: vendor answered HTTP 200 answer "
                + "larger than 65536 bytes").doesNotContain("OutOfMemoryError");

        folders.drop("after-huge-e2e.csv", rows("H", 3, 4));

        assertThat(bridge.awaitOutcome(folders, "after-huge-e2e.csv").archived()).isTrue();
        assertThat(bridge.isAlive()).isTrue();
        assertNothingLeftIn(folders);
    }

    @Test
    void should_read_gbk_lists_when_the_charset_is_gbk_and_still_take_a_utf8_bom_as_utf8() throws Exception {
        Folders gbkFolders = new Folders(tmp.resolve("gbk-data"));
        try (BridgeProcess gbk = start("gbk-run", gbkFolders, Map.of("bridge.csv.charset", "GBK"))) {
            gbkFolders.drop("gbk-e2e.csv", (HEADER
                    + "张三,老客户回访,G1,,13800000001,,,,,\n"
                    + "欧阳小明,,G2,,13800000002,本人,13900000003,母亲,,\n").getBytes(Charset.forName("GBK")));
            gbkFolders.drop("gbk-bom-e2e.csv", withUtf8Bom(HEADER + "钱七,,GB1,,13800000004,,,,,\n"));

            Outcome outcome = gbk.awaitOutcome(gbkFolders, "gbk-e2e.csv");
            Outcome bom = gbk.awaitOutcome(gbkFolders, "gbk-bom-e2e.csv");

            assertThat(outcome.archived()).isTrue();
            List<Customer> customers = sandbox.task("default-gbk-e2e").orElseThrow().customers();
            assertThat(customers).extracting(Customer::name).containsExactly("张三", "欧阳小明");
            assertThat(customers.get(0).desc()).isEqualTo("老客户回访");
            assertThat(customers.get(1).phoneGroupVoList().get(0).relations()).containsExactly(
                    new PhoneRelation("13800000002", "本人"), new PhoneRelation("13900000003", "母亲"));
            assertThat(bom.archived()).isTrue();
            assertThat(sandbox.task("default-gbk-bom-e2e").orElseThrow().customers()).extracting(Customer::name)
                    .containsExactly("钱七");
            assertNothingLeftIn(gbkFolders);
        }
    }
}
