package io.outboundbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DuplicateIdGuardTest {

    @Test
    void should_return_zero_the_first_time_and_the_first_line_after() {
        DuplicateIdGuard guard = new DuplicateIdGuard();
        assertThat(guard.firstLineOf("C-1", 2)).isZero();
        assertThat(guard.firstLineOf("C-2", 3)).isZero();
        assertThat(guard.firstLineOf("C-1", 7)).isEqualTo(2);
        assertThat(guard.firstLineOf("C-1", 9)).isEqualTo(2);
        assertThat(guard.size()).isEqualTo(2);
    }

    @Test
    void should_tell_ids_apart_that_differ_only_slightly() {
        DuplicateIdGuard guard = new DuplicateIdGuard();
        assertThat(guard.firstLineOf("客户1", 2)).isZero();
        assertThat(guard.firstLineOf("客户１", 3)).isZero();
        assertThat(guard.firstLineOf("Aa", 4)).isZero();
        // "Aa" and "BB" share String.hashCode; the guard must not confuse them
        assertThat(guard.firstLineOf("BB", 5)).isZero();
    }

    @Test
    void should_find_no_false_duplicate_among_many_ids() {
        DuplicateIdGuard guard = new DuplicateIdGuard();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            assertThat(guard.firstLineOf("ID-" + i, i + 2)).isZero();
        }
        for (int i = 0; i < n; i++) {
            assertThat(guard.firstLineOf("ID-" + i, n + i + 2)).isEqualTo(i + 2);
        }
        assertThat(guard.size()).isEqualTo(n);
    }

    @Test
    void should_grow_and_keep_every_id() {
        DuplicateIdGuard guard = new DuplicateIdGuard(4);
        int before = guard.capacity();
        for (int i = 0; i < 1000; i++) {
            guard.firstLineOf("x" + i, i + 1);
        }
        assertThat(guard.capacity()).isGreaterThan(before).isGreaterThanOrEqualTo(1000 * 4 / 3);
        for (int i = 0; i < 1000; i++) {
            assertThat(guard.firstLineOf("x" + i, 5000)).isEqualTo(i + 1);
        }
    }

    @Test
    void should_refuse_a_line_that_is_not_positive() {
        assertThatThrownBy(() -> new DuplicateIdGuard().firstLineOf("C-1", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
