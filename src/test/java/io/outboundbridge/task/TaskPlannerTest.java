package io.outboundbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskPlannerTest {

    /** Batches made on demand, recording which customers each read took ({@code [first,last]} as its JSON). */
    private static final class RecordingBatches implements CustomerBatches {
        private final List<long[]> reads = new ArrayList<>();

        @Override
        public CustomerBatch read(long first, int count) {
            reads.add(new long[] {first, count});
            return new CustomerBatch(count, ("[" + first + "," + (first + count - 1) + "]")
                    .getBytes(StandardCharsets.UTF_8));
        }

        long pulled() {
            return reads.stream().mapToLong(r -> r[1]).sum();
        }
    }

    /** The whole list's requests in sending order: task after task. */
    private static List<PlannedRequest> planAll(TaskPlanner planner, String base, long customers) {
        List<PlannedRequest> out = new ArrayList<>();
        RecordingBatches batches = new RecordingBatches();
        for (int t = 1; t <= planner.tasks(customers); t++) {
            planner.planTask(base, customers, t, batches).forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void should_create_then_append_in_batches() {
        List<PlannedRequest> plan = planAll(new TaskPlanner(1000, 20_000), "base", 2500);

        assertThat(plan).extracting(PlannedRequest::taskIndex, PlannedRequest::taskName, PlannedRequest::sequence,
                PlannedRequest::create, r -> r.customers().size()).containsExactly(
                tuple(1, "base", 1, true, 1000),
                tuple(1, "base", 2, false, 1000),
                tuple(1, "base", 3, false, 500));
        assertThat(plan).extracting(r -> r.customers().toString())
                .containsExactly("[0,999]", "[1000,1999]", "[2000,2499]");
    }

    @Test
    void should_continue_in_new_tasks_beyond_the_task_limit() {
        List<PlannedRequest> plan = planAll(new TaskPlanner(1000, 20_000), "base", 45_000);

        assertThat(plan).hasSize(45);
        assertThat(plan).filteredOn(PlannedRequest::create)
                .extracting(PlannedRequest::taskIndex, PlannedRequest::taskName, PlannedRequest::sequence)
                .containsExactly(tuple(1, "base", 1),
                        tuple(2, "base-2", 1),
                        tuple(3, "base-3", 1));
        assertThat(customersOf(plan, "base")).isEqualTo(20_000);
        assertThat(customersOf(plan, "base-2")).isEqualTo(20_000);
        assertThat(customersOf(plan, "base-3")).isEqualTo(5_000);
        assertThat(plan.get(20)).extracting(PlannedRequest::taskName, PlannedRequest::sequence, PlannedRequest::create)
                .containsExactly("base-2", 1, true);
        assertThat(plan.get(19)).extracting(PlannedRequest::taskName, PlannedRequest::sequence)
                .containsExactly("base", 20);
    }

    private static int customersOf(List<PlannedRequest> plan, String task) {
        return plan.stream().filter(r -> r.taskName().equals(task)).mapToInt(r -> r.customers().size()).sum();
    }

    @Test
    void should_fill_a_task_exactly_when_batch_does_not_divide_the_limit() {
        List<PlannedRequest> plan = planAll(new TaskPlanner(300, 1000), "b", 1200);

        assertThat(plan).extracting(PlannedRequest::taskName, r -> r.customers().size()).containsExactly(
                tuple("b", 300), tuple("b", 300),
                tuple("b", 300), tuple("b", 100),
                tuple("b-2", 200));
        assertThat(TaskPlanner.requestsFor(1200, 300, 1000)).isEqualTo(plan.size());
    }

    @Test
    void should_keep_continuation_names_within_50_characters() {
        String base = "名".repeat(50);

        List<PlannedRequest> plan = planAll(new TaskPlanner(1000, 1000), base, 3000);

        assertThat(plan).extracting(PlannedRequest::taskName).doesNotHaveDuplicates()
                .allSatisfy(n -> assertThat(VendorRules.length(n)).isLessThanOrEqualTo(50));
        assertThat(plan.get(0).taskName()).isEqualTo(base);
        assertThat(plan.get(2).taskName()).endsWith("-3");
    }

    @Test
    void should_read_customers_only_as_needed() {
        RecordingBatches customers = new RecordingBatches();
        Iterator<PlannedRequest> plan = new TaskPlanner(1000, 20_000).planTask("base", 1_000_000, 1, customers);

        assertThat(customers.pulled()).isZero();
        plan.next();
        assertThat(customers.pulled()).isEqualTo(1000);
        plan.next();
        assertThat(customers.pulled()).isEqualTo(2000);
    }

    @Test
    void should_plan_one_task_on_its_own_from_its_own_customers() {
        RecordingBatches customers = new RecordingBatches();
        List<PlannedRequest> task = new ArrayList<>();
        new TaskPlanner(1000, 20_000).planTask("base", 45_000, 3, customers).forEachRemaining(task::add);

        assertThat(task).extracting(PlannedRequest::taskIndex, PlannedRequest::taskName, PlannedRequest::sequence,
                PlannedRequest::create, r -> r.customers().toString()).containsExactly(
                tuple(3, "base-3", 1, true, "[40000,40999]"),
                tuple(3, "base-3", 2, false, "[41000,41999]"),
                tuple(3, "base-3", 3, false, "[42000,42999]"),
                tuple(3, "base-3", 4, false, "[43000,43999]"),
                tuple(3, "base-3", 5, false, "[44000,44999]"));
        assertThat(new TaskPlanner(1000, 20_000).tasks(45_000)).isEqualTo(3);
        assertThatThrownBy(() -> new TaskPlanner(1000, 20_000).planTask("base", 45_000, 4, customers))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_stream_a_million_customers() {
        RecordingBatches customers = new RecordingBatches();
        TaskPlanner planner = new TaskPlanner(1000, 20_000);
        PlannedRequest last = null;
        long requests = 0;
        for (int t = 1; t <= planner.tasks(1_000_000); t++) {
            Iterator<PlannedRequest> plan = planner.planTask("base", 1_000_000, t, customers);
            while (plan.hasNext()) {
                last = plan.next();
                requests++;
            }
        }

        assertThat(requests).isEqualTo(1000).isEqualTo(TaskPlanner.requestsFor(1_000_000, 1000, 20_000));
        assertThat(last).extracting(PlannedRequest::taskIndex, PlannedRequest::taskName, PlannedRequest::sequence)
                .containsExactly(50, "base-50", 20);
        assertThat(TaskPlanner.tasksFor(1_000_000, 20_000)).isEqualTo(50);
    }

    @Test
    void should_plan_nothing_for_no_customers() {
        assertThat(planAll(new TaskPlanner(1000, 20_000), "base", 0)).isEmpty();
        assertThat(TaskPlanner.requestsFor(0, 1000, 20_000)).isZero();
        assertThat(TaskPlanner.tasksFor(0, 20_000)).isZero();
    }

    @ParameterizedTest
    @CsvSource({"1,1000,20000,1,1", "1000,1000,20000,1,1", "1001,1000,20000,2,1", "20000,1000,20000,20,1",
            "20001,1000,20000,21,2", "45000,1000,20000,45,3", "2500,1000,20000,3,1"})
    void should_count_requests_and_tasks(long customers, int batch, int max, long requests, long tasks) {
        assertThat(TaskPlanner.requestsFor(customers, batch, max)).isEqualTo(requests);
        assertThat(TaskPlanner.tasksFor(customers, max)).isEqualTo(tasks);
    }

    @Test
    void should_refuse_a_manual_task_beyond_one_create_call() {
        assertThat(TaskPlanner.refusal(2, 1000, 1000)).isEmpty();
        assertThat(TaskPlanner.refusal(2, 1001, 1000)).hasValueSatisfying(reason -> assertThat(reason)
                .contains("manual task").contains("1001").contains("at most 1000").contains("taskAgents"));
        assertThat(TaskPlanner.refusal(2, 501, 500)).hasValueSatisfying(r -> assertThat(r).contains("at most 500"));
        assertThat(TaskPlanner.refusal(1, 1_000_000, 1000)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0,20000", "1001,20000", "1000,20001", "1000,0", "500,400"})
    void should_refuse_limits_the_vendor_does_not_allow(int batch, int max) {
        assertThatThrownBy(() -> new TaskPlanner(batch, max)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_accept_the_extreme_limits() {
        assertThat(planAll(new TaskPlanner(1, 1), "b", 2)).extracting(PlannedRequest::taskName)
                .containsExactly("b", "b-2");
        assertThat(planAll(new TaskPlanner(1000, 1000), "b", 1000)).hasSize(1);
    }
}
