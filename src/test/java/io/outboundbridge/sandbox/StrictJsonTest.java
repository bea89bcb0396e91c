package io.outboundbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outboundbridge.task.AppendCustomersRequest;
import io.outboundbridge.task.CreateTaskRequest;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictJsonTest {

    private static byte[] sample(Consumer<ObjectNode> change) {
        ObjectNode body = VendorClient.JSON.valueToTree(Samples.create("t", 1));
        change.accept(body);
        return VendorClient.bytes(body);
    }

    @Test
    void should_read_a_valid_body_into_the_model() throws Exception {
        CreateTaskRequest r = Samples.create("t", 2);

        assertThat(StrictJson.read(VendorClient.bytes(r), CreateTaskRequest.class)).isEqualTo(r);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "strategyDisplaySwitch | 1     | strategyDisplaySwitch: must be a JSON boolean (true or false)",
        "strategyDisplaySwitch | '\"true\"' | strategyDisplaySwitch: must be a JSON boolean (true or false)",
        "taskType              | '\"1\"' | taskType: must be a JSON integer number",
        "taskType              | 1.5   | taskType: must be a JSON integer number",
        "taskType              | true  | taskType: must be a JSON integer number",
        "skillSetId            | 146   | skillSetId: must be a JSON string",
        "taskExecTimes         | '\"x\"' | taskExecTimes: must be a JSON array",
    })
    void should_refuse_a_value_of_the_wrong_json_type(String field, String json, String message) {
        byte[] body = sample(b -> b.set(field, readTree(json)));

        assertThatThrownBy(() -> StrictJson.read(body, CreateTaskRequest.class))
                .isInstanceOf(StrictJson.BadBody.class)
                .hasMessage(message);
    }

    @Test
    void should_name_the_path_of_a_nested_wrong_type() {
        byte[] body = sample(b -> ((ObjectNode) b.get("outboundPhoneGroups").get(0)).put("autoOutboundSwitch", "1"));

        assertThatThrownBy(() -> StrictJson.read(body, CreateTaskRequest.class))
                .hasMessage("outboundPhoneGroups[0].autoOutboundSwitch: must be a JSON integer number");
    }

    @Test
    void should_refuse_an_unknown_field() {
        assertThatThrownBy(() -> StrictJson.read(sample(b -> b.put("priority", 1)), CreateTaskRequest.class))
                .hasMessage("priority: unknown field");
    }

    @Test
    void should_refuse_a_duplicate_key() {
        byte[] body = "{\"taskId\":1,\"taskId\":2,\"outBoundCustomers\":[]}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> StrictJson.read(body, AppendCustomersRequest.class))
                .isInstanceOf(StrictJson.BadBody.class)
                .hasMessageStartingWith("body: not valid JSON (Duplicate field 'taskId')");
    }

    @Test
    void should_refuse_what_is_not_one_json_object() {
        assertThatThrownBy(() -> StrictJson.read("{\"taskId\":1} {}".getBytes(), AppendCustomersRequest.class))
                .isInstanceOf(StrictJson.BadBody.class);
        assertThatThrownBy(() -> StrictJson.read("taskId=1".getBytes(), AppendCustomersRequest.class))
                .hasMessageStartingWith("body: not valid JSON");
        assertThatThrownBy(() -> StrictJson.read("null".getBytes(), AppendCustomersRequest.class))
                .hasMessage("body: a JSON object is required");
        assertThatThrownBy(() -> StrictJson.read(new byte[0], AppendCustomersRequest.class))
                .isInstanceOf(StrictJson.BadBody.class);
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return VendorClient.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
