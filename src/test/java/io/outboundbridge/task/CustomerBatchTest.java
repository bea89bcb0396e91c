package io.outboundbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Calls sent with customers as spooled bytes are, byte for byte, the JSON of the vendor's request model. */
class CustomerBatchTest {

    private final ObjectMapper json = new ObjectMapper();
    private final List<Customer> customers = List.of(
            new Customer("王伟", "VIP, \"回访\"\n第二行", "C-1", "{\"a\":1}",
                    List.of(new PhoneGroupCustomer("default", List.of(new PhoneRelation("13800000001", "本人"))))),
            new Customer("Li", null, "C-2", null,
                    List.of(new PhoneGroupCustomer("default", List.of(new PhoneRelation("13900000002", "本人"))))));

    private static Profile profile() {
        return new Profile("default", 1, "today", "today+1", List.of(new ExecTime("09:00:00", "18:00:00")), "描述",
                "1462016331580064", "1070678044124225", true, 0, 2, 2, 20, 10,
                new PhoneGroup("本人", "default", 1, 5, 1), null);
    }

    @Test
    void should_write_a_create_call_exactly_as_the_create_request() throws Exception {
        LocalDate day = LocalDate.of(2031, 1, 1);
        CreateTaskRequest model = profile().createRequest("任务", customers, day);
        CreateTaskCall call = new CreateTaskCall(profile().createRequest("任务", null, day),
                CustomerBatch.of(customers, json.writer()));

        assertThat(json.writeValueAsString(call)).isEqualTo(json.writeValueAsString(model));
        assertThat(new String(json.writeValueAsBytes(call), StandardCharsets.UTF_8))
                .isEqualTo(json.writeValueAsString(model));
    }

    @Test
    void should_write_an_append_call_exactly_as_the_append_request() throws Exception {
        AppendCustomersCall call = new AppendCustomersCall(42L, CustomerBatch.of(customers, json.writer()));

        assertThat(json.writeValueAsBytes(call))
                .isEqualTo(json.writeValueAsBytes(new AppendCustomersRequest(42L, customers)));
        assertThat(json.readValue(json.writeValueAsBytes(call), AppendCustomersRequest.class).outBoundCustomers())
                .isEqualTo(customers);
    }

    @Test
    void should_refuse_anything_but_a_json_array() {
        assertThatThrownBy(() -> new CustomerBatch(1, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CreateTaskCall(profile().createRequest("t", customers, LocalDate.now()),
                CustomerBatch.of(customers, json.writer()))).isInstanceOf(IllegalArgumentException.class);
    }
}
