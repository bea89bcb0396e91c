package io.outboundbridge.reading;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DuplicateIdGuardTest {

    @Test
    void should_find_every_duplicate_and_no_false_one_among_a_million_ids(@TempDir Path work) {
        try (DuplicateIdGuard guard = new DuplicateIdGuard(work)) {
            int n = 1_000_000;
            for (int i = 0; i < n; i++) {
                if (guard.firstLineOf("C" + i, i + 2) != 0) {
                    throw new AssertionError("false duplicate at id C" + i);
                }
            }
            for (int i = 0; i < n; i++) {
                long first = guard.firstLineOf("C" + i, n + i + 2);
                if (first != i + 2) {
                    throw new AssertionError("id C" + i + ": expected line " + (i + 2) + ", found " + first);
                }
            }
            assertThat(guard.size()).isEqualTo(n);
        }
    }

    @Test
    void should_tell_ids_apart(@TempDir Path work) {
        try (DuplicateIdGuard guard = new DuplicateIdGuard(work)) {
            assertThat(guard.firstLineOf("客户1", 2)).isZero();
            assertThat(guard.firstLineOf("客户１", 3)).isZero();
            assertThat(guard.firstLineOf("Aa", 4)).isZero();
            assertThat(guard.firstLineOf("BB", 5)).isZero();
            assertThat(guard.firstLineOf("é", 6)).isZero();
            assertThat(guard.firstLineOf("", 7)).isZero();
            assertThat(guard.firstLineOf("客户1", 8)).isEqualTo(2);
            assertThat(guard.firstLineOf("é", 9)).isEqualTo(6);
            assertThat(guard.firstLineOf("", 10)).isEqualTo(7);
            assertThat(guard.firstLineOf("BB", 11)).isEqualTo(5);
            // an id bigger than the write buffer goes to the file on its own
            String huge = "客".repeat(40_000);
            assertThat(guard.firstLineOf(huge, 12)).isZero();
            assertThat(guard.firstLineOf("after", 13)).isZero();
            assertThat(guard.firstLineOf(huge, 14)).isEqualTo(12);
            assertThat(guard.firstLineOf("after", 15)).isEqualTo(13);
            assertThat(guard.size()).isEqualTo(8);
        }
    }

    @Test
    void should_grow_off_the_heap_and_keep_every_id(@TempDir Path work) {
        try (DuplicateIdGuard guard = new DuplicateIdGuard(work)) {
            int before = guard.capacity();
            // long ids also fill the id buffer many times over
            String pad = "x".repeat(60);
            for (int i = 0; i < 100_000; i++) {
                assertThat(guard.firstLineOf(pad + i, i + 1)).isZero();
            }
            assertThat(guard.capacity()).isGreaterThan(before).isGreaterThanOrEqualTo(100_000 * 4 / 3);
            for (int i = 0; i < 100_000; i++) {
                assertThat(guard.firstLineOf(pad + i, 500_000)).isEqualTo(i + 1);
            }
            assertThat(guard.files()).hasSize(2).allSatisfy(f -> assertThat(f).exists().startsWith(work));
        }
    }

    @Test
    void should_delete_its_files_when_closed(@TempDir Path work) throws Exception {
        DuplicateIdGuard guard = new DuplicateIdGuard(work.resolve("new-folder"));
        guard.firstLineOf("C-1", 2);
        List<Path> files = guard.files();
        assertThat(files).allSatisfy(f -> assertThat(f).exists());
        guard.close();
        guard.close();
        assertThat(files).allSatisfy(f -> assertThat(f).doesNotExist());
        try (var left = Files.list(work.resolve("new-folder"))) {
            assertThat(left).isEmpty();
        }
        assertThatThrownBy(() -> guard.firstLineOf("C-2", 3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void should_refuse_a_line_that_is_not_positive(@TempDir Path work) {
        try (DuplicateIdGuard guard = new DuplicateIdGuard(work)) {
            assertThatThrownBy(() -> guard.firstLineOf("C-1", 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> guard.firstLineOf(null, 2)).isInstanceOf(NullPointerException.class);
        }
    }
}
