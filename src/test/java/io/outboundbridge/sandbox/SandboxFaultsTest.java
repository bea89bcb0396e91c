package io.outboundbridge.sandbox;

import static io.outboundbridge.sandbox.Samples.append;
import static io.outboundbridge.sandbox.Samples.create;
import static io.outboundbridge.sandbox.SandboxVendorTest.APP_ID;
import static io.outboundbridge.sandbox.SandboxVendorTest.PRIVATE;
import static io.outboundbridge.sandbox.SandboxVendorTest.PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outboundbridge.sign.RequestSigner;
import io.outboundbridge.sign.SignTemplate;
import io.outboundbridge.sign.SignedHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each injected fault over real HTTP, seen by the JDK client and by Apache HttpClient 5 (what camel-http uses). */
class SandboxFaultsTest {

    private SandboxVendor vendor;
    private VendorClient client;
    private RequestSigner signer;

    @BeforeEach
    void start() {
        vendor = SandboxVendor.start(SandboxSettings.builder().appId(APP_ID).publicKey(PUBLIC).build());
        signer = new RequestSigner(APP_ID, PRIVATE, SignTemplate.DEFAULT, "SHA256withRSA", Clock.systemUTC());
        client = new VendorClient(vendor.baseUrl(), signer);
    }

    @AfterEach
    void stop() {
        vendor.close();
    }

    /** Status and body as Apache HttpClient 5 sees them; throws what it throws. */
    private String postWithApache(CloseableHttpClient apache, Endpoint endpoint, Object body) throws IOException {
        byte[] bytes = VendorClient.bytes(body);
        SignedHeaders h = signer.sign("POST", endpoint.path(), bytes);
        HttpPost post = new HttpPost(vendor.baseUrl().resolve(endpoint.path()));
        post.setHeader("appId", h.appId());
        post.setHeader("timestamp", h.timestamp());
        post.setHeader("sign", h.sign());
        post.setEntity(new ByteArrayEntity(bytes, ContentType.APPLICATION_JSON));
        return apache.execute(post, r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
    }

    @Test
    void should_answer_queued_codes_in_order_then_process_normally() throws Exception {
        vendor.enqueue(Fault.code("29008"), Fault.code("20001"));

        VendorClient.Answer first = client.post(Endpoint.CREATE, create("t", 1));
        VendorClient.Answer second = client.post(Endpoint.CREATE, create("t", 1));
        VendorClient.Answer third = client.post(Endpoint.CREATE, create("t", 1));

        assertThat(first.code()).isEqualTo("29008");
        assertThat(second.code()).isEqualTo("20001");
        assertThat(third.code()).isEqualTo("10000");
        assertThat(vendor.tasks()).hasSize(1);
        assertThat(vendor.calls()).extracting(RecordedCall::fault).containsExactly("code(29008)", "code(20001)", null);
    }

    @Test
    void should_apply_an_endpoint_fault_only_to_that_endpoint() throws Exception {
        vendor.enqueue(Fault.code("29008").onAppend());

        long id = client.post(Endpoint.CREATE, create("t", 1)).data().asLong();
        VendorClient.Answer appended = client.post(Endpoint.APPEND, append(id, 1, 1));
        VendorClient.Answer again = client.post(Endpoint.APPEND, append(id, 1, 1));

        assertThat(appended.code()).isEqualTo("29008");
        assertThat(again.code()).isEqualTo("10000");
        assertThat(vendor.task("t").orElseThrow().customerCount()).isEqualTo(2);
    }

    @Test
    void should_answer_an_http_503_with_a_non_json_body_and_process_nothing() throws Exception {
        vendor.enqueue(Fault.httpStatus(503).onCreate());

        VendorClient.Answer answer = client.post(Endpoint.CREATE, create("t", 1));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body()).doesNotStartWith("{");
        assertThat(vendor.tasks()).isEmpty();
        assertThat(vendor.calls()).singleElement().satisfies(c -> {
            assertThat(c.httpStatus()).isEqualTo(503);
            assertThat(c.fault()).isEqualTo("httpStatus(503).onCreate()");
        });
    }

    @Test
    void should_answer_a_code_with_the_given_message_and_a_status_with_the_given_body() throws Exception {
        vendor.enqueue(Fault.code("29002", "参数错误: mobile 13800000001 重复"), Fault.httpStatus(400, "<p>bad</p>"));

        VendorClient.Answer refused = client.post(Endpoint.CREATE, create("t", 1));
        VendorClient.Answer page = client.post(Endpoint.CREATE, create("t", 1));

        assertThat(refused.code()).isEqualTo("29002");
        assertThat(refused.message()).isEqualTo("参数错误: mobile 13800000001 重复");
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).isEqualTo("<p>bad</p>");
        assertThat(vendor.tasks()).isEmpty();
        assertThat(vendor.calls()).extracting(RecordedCall::fault).containsExactly("code(29002)", "httpStatus(400)");
    }

    @Test
    void should_stream_a_huge_answer_whole_to_a_client_that_reads_it() throws Exception {
        vendor.enqueue(Fault.hugeAnswer(3_000_000).onCreate());

        byte[] request = VendorClient.bytes(create("t", 1));
        HttpResponse<InputStream> answer = client.http().send(client.request(Endpoint.CREATE.path(), request,
                "application/json", signer.sign("POST", Endpoint.CREATE.path(), request)),
                HttpResponse.BodyHandlers.ofInputStream());
        long read;
        try (InputStream body = answer.body()) {
            read = body.transferTo(OutputStream.nullOutputStream());
        }

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(read).isEqualTo(3_000_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> vendor.hugeAnswersWritten().size() == 1);
        assertThat(vendor.hugeAnswersWritten()).containsExactly(3_000_000L);
        assertThat(vendor.tasks()).isEmpty();
        assertThat(vendor.calls()).extracting(RecordedCall::fault).containsExactly("hugeAnswer(3000000).onCreate()");
    }

    @Test
    void should_stop_writing_a_huge_answer_when_the_client_goes_away() throws Exception {
        long size = 400L * 1024 * 1024;
        vendor.enqueue(Fault.hugeAnswer(size));

        // a client that reads the start of the answer, then closes the connection
        try (Socket socket = new Socket(vendor.baseUrl().getHost(), vendor.port())) {
            byte[] body = VendorClient.bytes(create("t", 1));
            SignedHeaders h = signer.sign("POST", Endpoint.CREATE.path(), body);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + Endpoint.CREATE.path() + " HTTP/1.1\r\nHost: x\r\nappId: " + h.appId()
                    + "\r\ntimestamp: " + h.timestamp() + "\r\nsign: " + h.sign()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            assertThat(socket.getInputStream().readNBytes(1024)).hasSize(1024);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> vendor.hugeAnswersWritten().size() == 1);
        assertThat(vendor.hugeAnswersWritten().get(0)).isLessThan(size);
    }

    @Test
    void should_answer_late_then_normally_on_a_delay() throws Exception {
        vendor.enqueue(Fault.delay(Duration.ofMillis(400)));
        long start = System.nanoTime();

        VendorClient.Answer answer = client.post(Endpoint.CREATE, create("t", 1));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(answer.code()).isEqualTo("10000");
        assertThat(vendor.tasks()).hasSize(1);
    }

    @Test
    void should_drop_before_processing_so_the_jdk_client_gets_no_response() {
        vendor.enqueue(Fault.dropBeforeProcessing());

        assertThatThrownBy(() -> client.post(Endpoint.CREATE, create("t", 1)))
                .isInstanceOf(IOException.class);

        assertThat(vendor.tasks()).isEmpty();
        assertThat(vendor.calls()).singleElement().satisfies(c -> {
            assertThat(c.httpStatus()).isZero();
            assertThat(c.code()).isNull();
            assertThat(c.fault()).isEqualTo("dropBeforeProcessing");
        });
    }

    @Test
    void should_drop_before_processing_so_apache_http_client_gets_no_response() throws Exception {
        vendor.enqueue(Fault.dropBeforeProcessing());
        try (CloseableHttpClient apache = HttpClients.createDefault()) {

            assertThatThrownBy(() -> postWithApache(apache, Endpoint.CREATE, create("t", 1)))
                    .isInstanceOf(NoHttpResponseException.class);

            assertThat(postWithApache(apache, Endpoint.CREATE, create("t", 1))).startsWith("200 ")
                    .contains("\"code\":\"10000\"");
        }
        assertThat(vendor.calls()).extracting(RecordedCall::fault).containsExactly("dropBeforeProcessing", null);
    }

    @Test
    void should_drop_after_processing_so_the_task_exists_but_the_jdk_client_gets_no_answer() {
        vendor.enqueue(Fault.dropAfterProcessing());

        assertThatThrownBy(() -> client.post(Endpoint.CREATE, create("lost-answer", 1)))
                .isInstanceOf(IOException.class);

        assertThat(vendor.task("lost-answer")).hasValueSatisfying(t -> assertThat(t.customerCount()).isEqualTo(1));
        assertThat(vendor.calls()).singleElement().satisfies(c -> {
            assertThat(c.httpStatus()).isZero();
            assertThat(c.code()).isEqualTo("10000");
            assertThat(c.fault()).isEqualTo("dropAfterProcessing");
        });
    }

    @Test
    void should_drop_after_processing_so_apache_http_client_gets_no_answer() throws Exception {
        vendor.enqueue(Fault.dropAfterProcessing());
        try (CloseableHttpClient apache = HttpClients.createDefault()) {

            assertThatThrownBy(() -> postWithApache(apache, Endpoint.CREATE, create("lost-answer", 1)))
                    .isInstanceOf(NoHttpResponseException.class);

            // a retry of the create now meets the task the lost answer was about
            assertThat(postWithApache(apache, Endpoint.CREATE, create("lost-answer", 1)))
                    .contains("taskName already exists: lost-answer");
        }
        assertThat(vendor.tasks()).hasSize(1);
        assertThat(vendor.calls()).hasSize(2);
    }

    @Test
    void should_hold_a_call_until_released() throws Exception {
        vendor.enqueue(Fault.hold("first"));

        CompletableFuture<VendorClient.Answer> held = client.postAsync(Endpoint.CREATE, create("t", 1));

        assertThat(vendor.awaitHeld("first", Duration.ofSeconds(5))).isTrue();
        assertThat(held).isNotDone();
        assertThat(vendor.tasks()).isEmpty();
        assertThat(client.post(Endpoint.CREATE, create("other", 1)).code()).isEqualTo("10000");

        vendor.release("first");

        assertThat(held.get(5, TimeUnit.SECONDS).code()).isEqualTo("10000");
        assertThat(vendor.tasks()).extracting(RecordedTask::name).containsExactly("other", "t");
    }

    @Test
    void should_let_only_one_of_two_concurrent_creates_with_one_name_through() throws Exception {
        vendor.enqueue(Fault.hold("a"), Fault.hold("b"));
        CompletableFuture<VendorClient.Answer> a = client.postAsync(Endpoint.CREATE, create("same", 1));
        CompletableFuture<VendorClient.Answer> b = client.postAsync(Endpoint.CREATE, create("same", 1));
        assertThat(vendor.awaitHeld("a", Duration.ofSeconds(5))).isTrue();
        assertThat(vendor.awaitHeld("b", Duration.ofSeconds(5))).isTrue();

        vendor.release("a");
        vendor.release("b");

        assertThat(CompletableFuture.allOf(a, b)).succeedsWithin(Duration.ofSeconds(5));
        assertThat(java.util.List.of(a.get().code(), b.get().code())).containsExactlyInAnyOrder("10000", "29002");
        assertThat(vendor.tasks()).hasSize(1);
    }

    @Test
    void should_report_false_when_no_call_is_held_in_time() {
        assertThat(vendor.awaitHeld("nobody", Duration.ofMillis(50))).isFalse();
    }

    @Test
    void should_end_held_calls_when_closed() {
        vendor.enqueue(Fault.hold("forever"));
        CompletableFuture<VendorClient.Answer> held = client.postAsync(Endpoint.CREATE, create("t", 1));
        assertThat(vendor.awaitHeld("forever", Duration.ofSeconds(5))).isTrue();

        vendor.close();

        await().atMost(Duration.ofSeconds(5)).until(held::isDone);
        assertThat(held).isCompletedExceptionally();
    }
}
