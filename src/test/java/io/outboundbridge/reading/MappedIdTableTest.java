package io.outboundbridge.reading;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class MappedIdTableTest {

    @Test
    void should_tell_apart_ids_whose_fingerprints_are_all_the_same(@TempDir Path work) {
        // every id gets the same fingerprint: each lookup must check the ids kept
        MappedIdTable table = new MappedIdTable(work, id -> 42);
        try {
            int n = 200;
            for (int i = 0; i < n; i++) {
                assertThat(table.firstLineOf("C" + i, i + 2)).isZero();
            }
            for (int i = 0; i < n; i++) {
                assertThat(table.firstLineOf("C" + i, n + i + 2)).isEqualTo(i + 2);
            }
            assertThat(table.size()).isEqualTo(n);
        } finally {
            table.close();
        }
    }

    @Test
    void should_tell_apart_ids_whose_fingerprints_collide_after_growing(@TempDir Path work) {
        // 16-bit fingerprints for more ids than the first table holds: many ids share one, through the growths
        MappedIdTable table = new MappedIdTable(work, id -> id.hashCode() & 0xFFFF);
        try {
            int first = table.capacity();
            int n = first;
            for (int i = 0; i < n; i++) {
                assertThat(table.firstLineOf("C" + i, i + 2)).isZero();
            }
            assertThat(table.capacity()).isGreaterThan(first);
            for (int i = n - 1; i >= 0; i--) {
                assertThat(table.firstLineOf("C" + i, n + i + 2)).isEqualTo(i + 2);
            }
            assertThat(table.firstLineOf("D", 2L * n + 2)).isZero();
            assertThat(table.size()).isEqualTo(n + 1);
        } finally {
            table.close();
        }
    }

    @Test
    void should_keep_lines_up_to_the_largest_unsigned_int(@TempDir Path work) {
        MappedIdTable table = new MappedIdTable(work);
        try {
            assertThat(table.firstLineOf("A", MappedIdTable.MAX_LINE)).isZero();
            assertThat(table.firstLineOf("A", 3)).isEqualTo(MappedIdTable.MAX_LINE);
        } finally {
            table.close();
        }
    }
}
