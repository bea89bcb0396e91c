package io.outboundbridge.reading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outboundbridge.task.TaskPlanner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RejectPolicyTest {

    private static final int AUTO_TASK = 1;

    private static Inspection rows(long rows, long rejected) {
        return new Inspection(rows, rows - rejected, rejected, Map.of(), "sha", null, null, null, List.of());
    }

    private final RejectPolicy skipping = new RejectPolicy(RejectPolicy.Mode.SKIP_INVALID_ROWS, 0.1, 1000);

    @Test
    void should_send_a_list_whose_invalid_ratio_is_exactly_the_limit() {
        assertThatCode(() -> skipping.check(rows(10, 1), AUTO_TASK)).doesNotThrowAnyException();
        assertThatCode(() -> skipping.check(rows(1000, 100), AUTO_TASK)).doesNotThrowAnyException();
    }

    @Test
    void should_refuse_a_list_whose_invalid_ratio_is_just_above_the_limit() {
        assertThatThrownBy(() -> skipping.check(rows(1000, 101), AUTO_TASK))
                .isInstanceOfSatisfying(ListFailedException.class, e -> assertThat(e.stage()).isEqualTo("validate"))
                .hasMessage("101 of 1000 rows are invalid (10.1%), above bridge.max-invalid-ratio 0.1 (see the "
                        + "rejects report)");
    }

    @Test
    void should_refuse_any_invalid_row_under_reject_file() {
        RejectPolicy strict = new RejectPolicy(RejectPolicy.Mode.REJECT_FILE, 0.5, 1000);
        assertThatThrownBy(() -> strict.check(rows(1000, 1), AUTO_TASK))
                .hasMessage("1 of 1000 rows are invalid and bridge.reject-policy is reject-file (see the rejects report)");
        assertThatCode(() -> strict.check(rows(1000, 0), AUTO_TASK)).doesNotThrowAnyException();
    }

    @Test
    void should_refuse_a_list_with_nothing_valid_even_under_a_ratio_of_one() {
        RejectPolicy lenient = new RejectPolicy(RejectPolicy.Mode.SKIP_INVALID_ROWS, 1.0, 1000);
        assertThatThrownBy(() -> lenient.check(rows(3, 3), AUTO_TASK)).hasMessage("no valid rows to send");
        assertThatThrownBy(() -> lenient.check(rows(0, 0), AUTO_TASK)).hasMessage("no valid rows to send");
    }

    @Test
    void should_refuse_a_manual_task_that_needs_more_than_one_create() {
        assertThatCode(() -> skipping.check(rows(1000, 0), TaskPlanner.MANUAL_TASK)).doesNotThrowAnyException();
        assertThatThrownBy(() -> skipping.check(rows(1001, 0), TaskPlanner.MANUAL_TASK))
                .isInstanceOf(ListFailedException.class);
    }

    @Test
    void should_read_the_policy_setting_by_its_documented_names() {
        assertThat(RejectPolicy.Mode.of("skip-invalid-rows")).isEqualTo(RejectPolicy.Mode.SKIP_INVALID_ROWS);
        assertThat(RejectPolicy.Mode.of("reject-file")).isEqualTo(RejectPolicy.Mode.REJECT_FILE);
        assertThatThrownBy(() -> RejectPolicy.Mode.of("skip")).isInstanceOf(IllegalArgumentException.class);
    }
}
