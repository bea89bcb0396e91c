package io.outboundbridge.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.reading.Inspection;
import io.outboundbridge.reading.ListInspector;
import io.outboundbridge.task.PhoneNormalizer;
import io.outboundbridge.task.PlannedRequest;
import io.outboundbridge.task.RowValidator;
import io.outboundbridge.task.TaskPlanner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A list's tasks and each task's requests, planned from its spool as the routes pull them. */
class RequestPlansTest {

    @TempDir
    Path tmp;

    private final RequestPlans plans = new RequestPlans(new TaskPlanner(3, 7));

    /** A list of {@code customers} valid rows, read and spooled as the service reads it. */
    private ListRun spooled(int customers) throws Exception {
        return spooled(customers, 0);
    }

    /** The same with {@code invalid} rows after them (a phone number too short), which are not spooled. */
    private ListRun spooled(int customers, int invalid) throws Exception {
        StringBuilder csv = new StringBuilder(
                "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\n");
        for (int i = 0; i < customers; i++) {
            csv.append("c").append(i).append(",,C-").append(i).append(",,1380000").append(1000 + i).append(",,,,,\n");
        }
        for (int i = 0; i < invalid; i++) {
            csv.append("bad").append(i).append(",,B-").append(i).append(",,123,,,,,\n");
        }
        Path file = Files.writeString(tmp.resolve("list.csv"), csv, StandardCharsets.UTF_8);
        Inspection inspection = new ListInspector(StandardCharsets.UTF_8, new ObjectMapper()).inspect(file, "list.csv",
                new RowValidator(new PhoneNormalizer(PhoneNormalizer.DEFAULT_PATTERN), "default"), tmp.resolve("work"));
        assertThat(inspection.accepted()).isEqualTo(customers);
        ListRun run = new ListRun("list.csv", "2026-12-06", file, null, tmp.resolve("work"));
        run.assignProfile("default", null, "default-list");
        run.recordInspection(inspection);
        return run;
    }

    private static List<String> requests(Iterator<PlannedRequest> it) {
        List<String> seen = new ArrayList<>();
        it.forEachRemaining(r -> seen.add(r.taskName() + "#" + r.sequence() + (r.create() ? " create " : " append ")
                + r.customers().size()));
        return seen;
    }

    @Test
    void should_plan_one_task_for_a_list_that_fits_exactly() throws Exception {
        ListRun run = spooled(7);
        assertThat(plans.tasks(run)).containsExactly(1);
        assertThat(requests(plans.requests(run, 1)))
                .containsExactly("default-list#1 create 3", "default-list#2 append 3", "default-list#3 append 1");
    }

    @Test
    void should_start_a_continuation_task_one_customer_past_the_task_limit() throws Exception {
        ListRun run = spooled(8);
        assertThat(plans.tasks(run)).containsExactly(1, 2);
        assertThat(requests(plans.requests(run, 2))).containsExactly("default-list-2#1 create 1");
    }

    @Test
    void should_plan_a_single_customer_as_one_create() throws Exception {
        ListRun run = spooled(1);
        assertThat(plans.tasks(run)).containsExactly(1);
        assertThat(requests(plans.requests(run, 1))).containsExactly("default-list#1 create 1");
    }

    @Test
    void should_plan_no_task_for_a_list_without_valid_customers() throws Exception {
        assertThat(plans.tasks(spooled(0, 2))).isEmpty();
    }

    @Test
    void should_plan_the_same_requests_each_time_so_a_resumed_list_can_skip_the_confirmed_ones() throws Exception {
        ListRun run = spooled(15);
        assertThat(requests(plans.requests(run, 3))).isEqualTo(requests(plans.requests(run, 3)))
                .containsExactly("default-list-3#1 create 1");
        assertThat(requests(plans.requests(run, 2))).hasSize(3);
    }
}
