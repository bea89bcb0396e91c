package io.outboundbridge.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class CustomerRowBinderTest {

    private static final List<List<String>> ROWS = List.of(
            List.of("客户1", "普通", "C1", "", "13800000001", "本人", "13900000001", "配偶", "", ""),
            List.of("a", "b"),
            List.of(""),
            List.of("", "", "", "", "", "", "", "", "", ""),
            List.of("He said \"\"hi\"\"", "VIP, 回访", "C\"\"2", "{\"\"k\"\":1}", " 138 0000 0001 ", " 本人 "),
            List.of("\"\"\"\"", "\"\"", "x\"\"", "\"\"y", "1", "2", "3", "4", "5", "6"),
            List.of("line\r\nbreak", "tab\there", "C3"));

    @Test
    void should_plan_the_customer_layout() {
        assertThat(CustomerRowBinder.create(null).planned()).isTrue();
        assertThat(CustomerRowBinder.create(new DefaultCamelContext()).planned()).isTrue();
    }

    @Test
    void should_bind_every_row_exactly_as_bindys_factory_does() {
        CustomerRowBinder binder = CustomerRowBinder.create(null);
        List<List<String>> rows = new ArrayList<>(ROWS);
        for (int n = 0; n <= 10; n++) {
            String[] cells = new String[n];
            Arrays.fill(cells, "v" + n);
            rows.add(List.of(cells));
        }
        long line = 2;
        for (List<String> tokens : rows) {
            assertThat(binder.bind(line, tokens)).as("tokens %s", tokens).isEqualTo(binder.bindWithFactory(line, tokens));
            line++;
        }
    }

    @Test
    void should_leave_left_out_columns_null_and_empty_ones_empty() {
        var row = CustomerRowBinder.create(null).bind(5, List.of("n", "", "C1"));
        assertThat(row.line()).isEqualTo(5);
        assertThat(row.name()).isEqualTo("n");
        assertThat(row.desc()).isEmpty();
        assertThat(row.externalCustomerId()).isEqualTo("C1");
        assertThat(row.externalData()).isNull();
        assertThat(row.relation3()).isNull();
    }
}
