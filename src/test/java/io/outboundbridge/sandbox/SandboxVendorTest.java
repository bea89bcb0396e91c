package io.outboundbridge.sandbox;

import static io.outboundbridge.sandbox.Samples.append;
import static io.outboundbridge.sandbox.Samples.create;
import static io.outboundbridge.sandbox.Samples.customer;
import static io.outboundbridge.sandbox.Samples.relation;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outboundbridge.sign.PemKeys;
import io.outboundbridge.sign.RequestSigner;
import io.outboundbridge.sign.SignTemplate;
import io.outboundbridge.task.CreateTaskRequest;
import io.outboundbridge.task.PhoneGroup;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SandboxVendorTest {

    static final String APP_ID = "99845aaaaebd4d61acccc9b776208f12";
    static final PrivateKey PRIVATE = PemKeys.readPrivateKey(key("test-pkcs8.pem"));
    static final PublicKey PUBLIC = PemKeys.readPublicKey(key("test-public.pem"));

    private SandboxVendor vendor;

    @AfterEach
    void stop() {
        if (vendor != null) {
            vendor.close();
        }
    }

    static Path key(String name) {
        try {
            return Path.of(SandboxVendorTest.class.getResource("/keys/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private VendorClient start(UnaryOperator<SandboxSettings.Builder> settings) {
        vendor = SandboxVendor.start(settings.apply(SandboxSettings.builder().appId(APP_ID).publicKey(PUBLIC)).build());
        return client(APP_ID, PRIVATE, Clock.systemUTC());
    }

    private VendorClient start() {
        return start(b -> b);
    }

    private VendorClient client(String appId, PrivateKey key, Clock clock) {
        return new VendorClient(vendor.baseUrl(), new RequestSigner(appId, key, SignTemplate.DEFAULT, "SHA256withRSA",
                clock));
    }

    @Test
    void should_listen_on_loopback_at_a_free_port() {
        start();

        assertThat(vendor.port()).isPositive();
        assertThat(vendor.baseUrl()).hasToString("http://127.0.0.1:" + vendor.port());
    }

    @Test
    void should_accept_a_create_and_answer_the_new_task_id() throws Exception {
        VendorClient client = start();
        CreateTaskRequest request = create("list-a", 3);

        VendorClient.Answer answer = client.post(Endpoint.CREATE, request);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("code").asText()).isEqualTo("10000");
        assertThat(answer.message()).isEqualTo("请求成功");
        assertThat(answer.data().isNumber()).isTrue();
        assertThat(answer.data().asLong()).isEqualTo(1_000_001L);
        RecordedTask task = vendor.task("list-a").orElseThrow();
        assertThat(task.id()).isEqualTo(1_000_001L);
        assertThat(task.create()).isEqualTo(request);
        assertThat(task.customers()).isEqualTo(request.outBoundCustomers());
        assertThat(task.externalCustomerIds()).containsExactly("ext-0", "ext-1", "ext-2");
        assertThat(vendor.totalCustomers()).isEqualTo(3);
        RecordedCall call = vendor.calls().get(0);
        assertThat(call.path()).isEqualTo(Endpoint.CREATE.path());
        assertThat(call.appId()).isEqualTo(APP_ID);
        assertThat(call.sign()).hasSize(344);
        assertThat(call.body()).isEqualTo(VendorClient.bytes(request));
        assertThat(call.httpStatus()).isEqualTo(200);
        assertThat(call.code()).isEqualTo("10000");
        assertThat(call.fault()).isNull();
        assertThat(call.arrivedAt()).isNotNull();
    }

    @Test
    void should_answer_null_data_when_not_a_successful_create() throws Exception {
        VendorClient client = start();

        VendorClient.Answer answer = client.post(Endpoint.CREATE, create("", 1));

        assertThat(answer.body()).contains("\"data\":null");
    }

    @Test
    void should_append_customers_to_a_created_task_in_arrival_order() throws Exception {
        VendorClient client = start();
        long id = client.post(Endpoint.CREATE, create("list-b", 2)).data().asLong();

        VendorClient.Answer answer = client.post(Endpoint.APPEND, append(id, 2, 3));

        assertThat(answer.code()).isEqualTo("10000");
        assertThat(answer.data().isNull()).isTrue();
        RecordedTask task = vendor.task("list-b").orElseThrow();
        assertThat(task.customerCount()).isEqualTo(5);
        assertThat(task.externalCustomerIds()).containsExactly("ext-0", "ext-1", "ext-2", "ext-3", "ext-4");
        assertThat(task.customers()).extracting(c -> c.name()).containsExactly("客户0", "客户1", "客户2", "客户3", "客户4");
        assertThat(vendor.calls()).extracting(RecordedCall::code).containsExactly("10000", "10000");
    }

    @Test
    void should_refuse_a_wrong_app_id() throws Exception {
        start();

        VendorClient.Answer answer = client("someone-else", PRIVATE, Clock.systemUTC())
                .post(Endpoint.CREATE, create("x", 1));

        assertThat(answer.code()).isEqualTo("10001");
        assertThat(answer.message()).contains("appId");
        assertThat(vendor.tasks()).isEmpty();
    }

    @Test
    void should_refuse_a_timestamp_six_minutes_old() throws Exception {
        start();

        VendorClient.Answer answer = client(APP_ID, PRIVATE, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6)))
                .post(Endpoint.CREATE, create("x", 1));

        assertThat(answer.code()).isEqualTo("10001");
        assertThat(answer.message()).contains("stale timestamp");
    }

    @Test
    void should_refuse_a_timestamp_six_minutes_ahead() throws Exception {
        start();

        VendorClient.Answer answer = client(APP_ID, PRIVATE, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6)))
                .post(Endpoint.CREATE, create("x", 1));

        assertThat(answer.code()).isEqualTo("10001");
        assertThat(answer.message()).contains("stale timestamp");
    }

    @Test
    void should_accept_a_timestamp_within_the_skew() throws Exception {
        start();

        VendorClient.Answer answer = client(APP_ID, PRIVATE, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-4)))
                .post(Endpoint.CREATE, create("x", 1));

        assertThat(answer.code()).isEqualTo("10000");
    }

    @Test
    void should_refuse_a_signature_made_with_another_key() throws Exception {
        start();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);

        VendorClient.Answer answer = client(APP_ID, g.generateKeyPair().getPrivate(), Clock.systemUTC())
                .post(Endpoint.CREATE, create("x", 1));

        assertThat(answer.code()).isEqualTo("10001");
        assertThat(answer.message()).contains("bad signature");
        assertThat(vendor.tasks()).isEmpty();
    }

    @Test
    void should_verify_the_signature_over_the_exact_body_bytes() throws Exception {
        vendor = SandboxVendor.start(SandboxSettings.builder().appId(APP_ID).publicKey(PUBLIC)
                .template("{appId}{timestamp}{body}").build());
        VendorClient client = new VendorClient(vendor.baseUrl(),
                new RequestSigner(APP_ID, PRIVATE, "{appId}{timestamp}{body}", "SHA256withRSA", Clock.systemUTC()));
        byte[] body = VendorClient.bytes(create("x", 1));
        var signed = new RequestSigner(APP_ID, PRIVATE, "{appId}{timestamp}{body}", "SHA256withRSA",
                Clock.systemUTC()).sign("POST", Endpoint.CREATE.path(), body);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"x\"", "\"y\"")
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> refused = client.http().send(
                client.request(Endpoint.CREATE.path(), tampered, "application/json", signed),
                HttpResponse.BodyHandlers.ofString());
        VendorClient.Answer accepted = client.post(Endpoint.CREATE.path(), body, "application/json");

        assertThat(refused.body()).contains("\"code\":\"10001\"", "bad signature");
        assertThat(accepted.code()).isEqualTo("10000");
    }

    @Test
    void should_answer_10002_when_no_public_key_was_uploaded() throws Exception {
        VendorClient client = start(b -> b.publicKey(null));

        VendorClient.Answer answer = client.post(Endpoint.CREATE, create("x", 1));

        assertThat(answer.code()).isEqualTo("10002");
        assertThat(answer.message()).contains("public key");
    }

    @Test
    void should_refuse_a_content_type_other_than_json() throws Exception {
        VendorClient client = start();

        VendorClient.Answer answer = client.post(Endpoint.CREATE.path(), VendorClient.bytes(create("x", 1)),
                "text/plain");

        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.message()).startsWith("参数错误: Content-Type");
    }

    @Test
    void should_accept_json_with_a_utf8_charset() throws Exception {
        VendorClient client = start();

        VendorClient.Answer answer = client.post(Endpoint.CREATE.path(), VendorClient.bytes(create("x", 1)),
                "application/json; charset=UTF-8");

        assertThat(answer.code()).isEqualTo("10000");
    }

    @Test
    void should_refuse_a_customer_name_of_21_characters() throws Exception {
        VendorClient client = start();
        CreateTaskRequest r = Samples.withCustomers(create("x", 0),
                List.of(customer("张".repeat(21), "e1", relation("13800000001", "本人"))));

        VendorClient.Answer answer = client.post(Endpoint.CREATE, r);

        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.message()).isEqualTo("参数错误: outBoundCustomers[0].name: at most 20 characters (found 21)");
    }

    @Test
    void should_refuse_four_relations() throws Exception {
        VendorClient client = start();
        CreateTaskRequest r = Samples.withCustomers(create("x", 0), List.of(customer("a", "e1",
                relation("13800000001", "本人"), relation("13800000002", "父亲"), relation("13800000003", "母亲"),
                relation("13800000004", "朋友"))));

        VendorClient.Answer answer = client.post(Endpoint.CREATE, r);

        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.message()).startsWith("参数错误: outBoundCustomers[0].phoneGroupVoList[0].relations:");
    }

    @Test
    void should_refuse_1001_customers_in_one_call() throws Exception {
        VendorClient client = start();

        VendorClient.Answer answer = client.post(Endpoint.CREATE, create("x", 1001));

        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.message()).startsWith("参数错误: outBoundCustomers: at most 1000");
        assertThat(vendor.tasks()).isEmpty();
    }

    @Test
    void should_refuse_a_missing_skill_set_id() throws Exception {
        VendorClient client = start();
        ObjectNode body = VendorClient.JSON.valueToTree(create("x", 1));
        body.remove("skillSetId");

        VendorClient.Answer answer = client.post(Endpoint.CREATE, body);

        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.message()).isEqualTo("参数错误: skillSetId: required");
    }

    @Test
    void should_refuse_strategy_display_switch_1_as_not_boolean() throws Exception {
        VendorClient client = start();
        ObjectNode body = VendorClient.JSON.valueToTree(create("x", 1));
        body.put("strategyDisplaySwitch", 1);

        VendorClient.Answer answer = client.post(Endpoint.CREATE, body);

        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.message()).isEqualTo("参数错误: strategyDisplaySwitch: must be a JSON boolean (true or false)");
    }

    @Test
    void should_refuse_an_unknown_field_naming_it() throws Exception {
        VendorClient client = start();
        ObjectNode body = VendorClient.JSON.valueToTree(create("x", 1));
        ((ObjectNode) body.get("outBoundCustomers").get(0)).put("nickname", "a");

        VendorClient.Answer answer = client.post(Endpoint.CREATE, body);

        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.message()).isEqualTo("参数错误: outBoundCustomers[0].nickname: unknown field");
    }

    @Test
    void should_refuse_a_mobile_that_is_not_digits_only_without_echoing_it() throws Exception {
        VendorClient client = start();
        CreateTaskRequest r = Samples.withCustomers(create("x", 0),
                List.of(customer("a", "e1", relation("+86 138-0000-0001", "本人"))));

        VendorClient.Answer answer = client.post(Endpoint.CREATE, r);

        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.message()).startsWith("参数错误: outBoundCustomers[0].phoneGroupVoList[0].relations[0].mobile")
                .doesNotContain("0001");
    }

    @Test
    void should_refuse_a_phone_group_identify_the_task_does_not_have() throws Exception {
        VendorClient client = start();
        CreateTaskRequest r = create("x", 1);
        r = new CreateTaskRequest(r.taskName(), r.taskType(), r.taskExecStartDate(), r.taskExecEndDate(),
                r.taskExecTimes(), r.taskDesc(), r.skillSetId(), r.outboundNumberGroupId(), r.strategyDisplaySwitch(),
                r.sendNumberStrategy(), r.abandonmentRate(), r.multiplyPower(), r.maxRingingDuration(), r.acw(),
                List.of(new PhoneGroup("本人", "self", 0, null, null)), r.outBoundCustomers());

        VendorClient.Answer answer = client.post(Endpoint.CREATE, r);

        assertThat(answer.message()).startsWith("参数错误: outBoundCustomers[0].phoneGroupVoList[0].phoneGroupIdentify");
    }

    @Test
    void should_refuse_a_null_phone_group_as_a_parameter_error() throws Exception {
        VendorClient client = start();
        ObjectNode body = VendorClient.JSON.valueToTree(create("x", 1));
        body.putArray("outboundPhoneGroups").addNull();

        VendorClient.Answer answer = client.post(Endpoint.CREATE, body);

        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.message()).isEqualTo("参数错误: outboundPhoneGroups[0]: required");
    }

    @Test
    void should_refuse_a_task_name_used_before() throws Exception {
        VendorClient client = start();
        client.post(Endpoint.CREATE, create("same", 1));

        VendorClient.Answer answer = client.post(Endpoint.CREATE, create("same", 1));

        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.message()).isEqualTo("参数错误: taskName already exists: same");
        assertThat(vendor.tasks()).hasSize(1);
    }

    @Test
    void should_refuse_an_append_beyond_20000_customers_per_task() throws Exception {
        VendorClient client = start(b -> b.recordCustomers(false));
        long id = client.post(Endpoint.CREATE, create("big", 1000)).data().asLong();
        for (int i = 1; i < 20; i++) {
            assertThat(client.post(Endpoint.APPEND, append(id, i * 1000, 1000)).code()).isEqualTo("10000");
        }

        VendorClient.Answer answer = client.post(Endpoint.APPEND, append(id, 20_000, 1));

        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.message()).contains("has 20000 customers", "limit of 20000");
        RecordedTask task = vendor.task("big").orElseThrow();
        assertThat(task.customerCount()).isEqualTo(20_000);
        assertThat(task.customers()).isEmpty();
        assertThat(task.create().outBoundCustomers()).isNull();
        assertThat(task.externalCustomerIds()).hasSize(20_000).startsWith("ext-0").endsWith("ext-19999");
        assertThat(vendor.calls()).hasSize(21).allSatisfy(c -> assertThat(c.body()).isNull());
    }

    @Test
    void should_refuse_an_append_to_an_unknown_task() throws Exception {
        VendorClient client = start();

        VendorClient.Answer answer = client.post(Endpoint.APPEND, append(42, 0, 1));

        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.message()).isEqualTo("参数错误: taskId: unknown task 42");
    }

    @Test
    void should_refuse_an_append_to_a_manual_task() throws Exception {
        VendorClient client = start();
        CreateTaskRequest r = create("manual", 1);
        r = new CreateTaskRequest(r.taskName(), 2, r.taskExecStartDate(), r.taskExecEndDate(), r.taskExecTimes(),
                r.taskDesc(), r.skillSetId(), r.outboundNumberGroupId(), r.strategyDisplaySwitch(),
                r.sendNumberStrategy(), r.abandonmentRate(), r.multiplyPower(), r.maxRingingDuration(), r.acw(),
                r.outboundPhoneGroups(), r.outBoundCustomers());
        long id = client.post(Endpoint.CREATE, r).data().asLong();

        VendorClient.Answer answer = client.post(Endpoint.APPEND, append(id, 1, 1));

        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.message()).contains("taskAgents");
    }

    @Test
    void should_answer_404_to_any_other_path_or_method() throws Exception {
        VendorClient client = start();

        var other = client.http().send(HttpRequest.newBuilder(vendor.baseUrl().resolve("/speech/openapi/v1/other"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        var get = client.http().send(HttpRequest.newBuilder(vendor.baseUrl().resolve(Endpoint.CREATE.path()))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(get.statusCode()).isEqualTo(404);
    }

    @Test
    void should_forget_everything_on_reset() throws Exception {
        VendorClient client = start();
        client.post(Endpoint.CREATE, create("a", 1));
        vendor.enqueue(Fault.code("29008"));

        vendor.reset();

        assertThat(vendor.tasks()).isEmpty();
        assertThat(vendor.calls()).isEmpty();
        assertThat(vendor.totalCustomers()).isZero();
        VendorClient.Answer again = client.post(Endpoint.CREATE, create("a", 1));
        assertThat(again.code()).isEqualTo("10000");
        assertThat(again.data().asLong()).isEqualTo(1_000_001L);
    }

    @Test
    void should_sign_and_verify_with_another_template_and_algorithm() throws Exception {
        String template = "{method}{path}{appId}{timestamp}{body}";
        vendor = SandboxVendor.start(SandboxSettings.builder().appId(APP_ID).publicKey(PUBLIC).template(template)
                .algorithm("SHA512withRSA").firstTaskId(7).build());
        VendorClient client = new VendorClient(vendor.baseUrl(),
                new RequestSigner(APP_ID, PRIVATE, template, "SHA512withRSA", Clock.systemUTC()));
        VendorClient wrongAlgorithm = new VendorClient(vendor.baseUrl(),
                new RequestSigner(APP_ID, PRIVATE, template, "SHA256withRSA", Clock.systemUTC()));

        assertThat(client.post(Endpoint.CREATE, create("t", 1)).data().asLong()).isEqualTo(7);
        assertThat(wrongAlgorithm.post(Endpoint.CREATE, create("u", 1)).code()).isEqualTo("10001");
    }
}
