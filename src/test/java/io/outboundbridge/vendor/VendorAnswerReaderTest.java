package io.outboundbridge.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.apache.hc.core5.http.io.EofSensorWatcher;
import org.junit.jupiter.api.Test;

class VendorAnswerReaderTest {

    private final VendorAnswerReader reader = new VendorAnswerReader(65536);

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void should_read_the_envelope_of_a_create_with_its_task_id() {
        VendorAnswer answer = reader.parse(utf8("{\"code\":\"10000\",\"message\":\"请求成功\",\"data\":1000002}"), 200);
        assertThat(answer).isEqualTo(new VendorAnswer(200, "10000", "请求成功", "1000002"));
        assertThat(answer.taskId()).isEqualTo(1000002L);
        assertThat(answer.describe()).isEqualTo("10000 请求成功");
    }

    @Test
    void should_read_a_refusal_without_data() {
        VendorAnswer answer = reader.parse(utf8("{\"code\":\"29002\",\"message\":\"参数错误\",\"data\":null}"), 200);
        assertThat(answer.code()).isEqualTo("29002");
        assertThat(answer.data()).isNull();
        assertThat(answer.taskId()).isNull();
    }

    @Test
    void should_take_a_code_given_as_a_number_as_text() {
        assertThat(reader.parse(utf8("{\"code\":10000,\"data\":\"7\"}"), 200))
                .isEqualTo(new VendorAnswer(200, "10000", null, "7"));
    }

    @Test
    void should_not_take_data_that_is_no_number_for_a_task_id() {
        assertThat(reader.parse(utf8("{\"code\":\"10000\",\"data\":\"abc\"}"), 200).taskId()).isNull();
    }

    @Test
    void should_describe_an_empty_answer_by_its_http_status() {
        VendorAnswer answer = reader.parse(new byte[0], 502);
        assertThat(answer.code()).isNull();
        assertThat(answer.message()).isEqualTo("empty answer (HTTP 502)");
        assertThat(reader.parse(null, null).message()).isEqualTo("empty answer (HTTP 0)");
        assertThat(answer.describe()).isEqualTo("HTTP 502 empty answer (HTTP 502)");
    }

    @Test
    void should_quote_the_start_of_an_answer_that_is_not_the_envelope_on_one_line() {
        String page = "<html>\n  <body>Bad   gateway</body>\n</html>";
        VendorAnswer answer = reader.parse(utf8(page), 502);
        assertThat(answer.code()).isNull();
        assertThat(answer.message())
                .isEqualTo("not the vendor's JSON envelope (HTTP 502): <html> <body>Bad gateway</body> </html>");
    }

    @Test
    void should_cut_a_long_non_envelope_answer_to_its_first_200_characters() {
        String body = "x".repeat(500);
        String message = reader.parse(utf8(body), 200).message();
        assertThat(message).isEqualTo("not the vendor's JSON envelope (HTTP 200): " + "x".repeat(200) + "...");
    }

    @Test
    void should_treat_json_without_a_code_as_not_the_envelope() {
        assertThat(reader.parse(utf8("{\"status\":\"ok\"}"), 200).code()).isNull();
        assertThat(reader.parse(utf8("[1,2]"), 200).code()).isNull();
        assertThat(reader.parse(utf8("{\"code\":null}"), 200).code()).isNull();
    }

    @Test
    void should_mask_phone_numbers_in_the_vendors_message() {
        VendorAnswer answer = reader.parse(utf8("{\"code\":\"29002\",\"message\":\"参数错误: mobile 13800000001 重复\"}"),
                200);
        assertThat(answer.message()).isEqualTo("参数错误: mobile 138******01 重复");
        assertThat(answer.describe()).isEqualTo("29002 参数错误: mobile 138******01 重复");
    }

    @Test
    void should_mask_a_phone_number_in_an_answer_that_is_not_the_envelope_even_where_it_is_cut() {
        String body = "x".repeat(195) + "13800000001 and more";
        String message = reader.parse(utf8(body), 502).message();
        assertThat(message).isEqualTo("not the vendor's JSON envelope (HTTP 502): " + "x".repeat(195) + "138**...")
                .doesNotContain("1380");
    }

    @Test
    void should_read_an_answer_as_it_arrives_and_close_it() throws Exception {
        ClosingStream body = new ClosingStream(utf8("{\"code\":\"10000\",\"message\":\"请求成功\",\"data\":7}"));

        assertThat(reader.read(body, 200)).isEqualTo(new VendorAnswer(200, "10000", "请求成功", "7"));
        assertThat(body.closed).isTrue();
        assertThat(reader.read(null, 204).message()).isEqualTo("empty answer (HTTP 204)");
    }

    @Test
    void should_read_an_answer_of_exactly_the_largest_size() throws Exception {
        byte[] padded = utf8(("{\"code\":\"10000\",\"data\":7}" + " ".repeat(65536)).substring(0, 65536));

        assertThat(new VendorAnswerReader(65536).read(new ByteArrayInputStream(padded), 200).code()).isEqualTo("10000");
    }

    @Test
    void should_refuse_a_larger_answer_reading_one_byte_past_the_cap_and_drop_its_connection() throws Exception {
        byte[] huge = utf8(("13800000001 " + "x".repeat(100)).repeat(1000));
        ByteArrayInputStream bytes = new ByteArrayInputStream(huge);
        AbortWatcher watcher = new AbortWatcher();
        EofSensorInputStream body = new EofSensorInputStream(bytes, watcher);

        VendorAnswer answer = new VendorAnswerReader(4096).read(body, 200);

        assertThat(answer.code()).isNull();
        assertThat(answer.message()).startsWith("answer larger than 4096 bytes (HTTP 200), not read past that: "
                + "138******01 xxx").endsWith("...").doesNotContain("13800000001");
        assertThat(answer.describe()).startsWith("HTTP 200 answer larger than 4096 bytes");
        assertThat(huge.length - bytes.available()).as("bytes read").isEqualTo(4097);
        assertThat(watcher.aborted).as("the connection is dropped, not read to its end to be reused").isTrue();
        assertThat(watcher.closed).isFalse();
    }

    /** A body that records whether it was closed. */
    private static final class ClosingStream extends ByteArrayInputStream {
        boolean closed;

        ClosingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** What HttpClient's connection is told: closed (to be read to its end and reused) or aborted (dropped). */
    private static final class AbortWatcher implements EofSensorWatcher {
        boolean closed;
        boolean aborted;

        @Override
        public boolean eofDetected(InputStream wrapped) {
            return true;
        }

        @Override
        public boolean streamClosed(InputStream wrapped) {
            closed = true;
            return true;
        }

        @Override
        public boolean streamAbort(InputStream wrapped) {
            aborted = true;
            return false;
        }
    }

    @Test
    void should_cut_a_vendor_message_longer_than_a_report_needs_saying_how_long_it_was() {
        String message = "参数错误: " + "x".repeat(2100);
        VendorAnswer answer = reader.parse(utf8("{\"code\":\"29002\",\"message\":\"" + message + "\"}"), 200);
        assertThat(answer.message()).hasSize(VendorAnswerReader.MESSAGE_CHARS + "...(2106 characters)".length())
                .startsWith("参数错误: xxx").endsWith("...(2106 characters)");
    }
}
