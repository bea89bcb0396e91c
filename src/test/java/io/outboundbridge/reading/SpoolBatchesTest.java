package io.outboundbridge.reading;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.task.Customer;
import io.outboundbridge.task.CustomerBatch;
import io.outboundbridge.task.PhoneGroupCustomer;
import io.outboundbridge.task.PhoneRelation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Customers spooled at inspection come back as batches in file order, any range, each a JSON array of them. */
class SpoolBatchesTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void should_read_back_any_range_of_spooled_customers(@TempDir Path dir) throws Exception {
        List<Customer> customers = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            customers.add(new Customer("客户" + i, i % 3 == 0 ? "line one\nline two, \"quoted\"" : null, "C-" + i,
                    i % 2 == 0 ? "{\"n\":" + i + "}" : null,
                    List.of(new PhoneGroupCustomer("default", List.of(new PhoneRelation("1380000" + (1000 + i), "本人"))))));
        }
        Path spool = dir.resolve("customers.jsonl");
        Path index = dir.resolve("customers.idx");
        try (CustomerSpool out = new CustomerSpool(spool, index, json.writerFor(Customer.class),
                CustomerSpool.ownThread())) {
            for (Customer c : customers) {
                out.write(c);
            }
        }

        try (SpoolBatches batches = new SpoolBatches(spool, index)) {
            assertThat(read(batches.read(0, 25))).isEqualTo(customers);
            assertThat(read(batches.read(0, 1))).containsExactly(customers.get(0));
            assertThat(read(batches.read(7, 10))).isEqualTo(customers.subList(7, 17));
            assertThat(read(batches.read(24, 1))).containsExactly(customers.get(24));
            CustomerBatch b = batches.read(3, 4);
            assertThat(b.size()).isEqualTo(4);
            assertThat(b.json()).isEqualTo(json.writeValueAsBytes(customers.subList(3, 7)));
        }
    }

    private List<Customer> read(CustomerBatch batch) throws Exception {
        return json.readValue(batch.json(), new TypeReference<List<Customer>>() { });
    }
}
