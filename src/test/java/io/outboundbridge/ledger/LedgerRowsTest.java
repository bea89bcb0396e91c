package io.outboundbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LedgerRowsTest {

    @Test
    void should_keep_a_text_that_fits() {
        assertThat(LedgerRows.bounded("ok", 2)).isEqualTo("ok");
        assertThat(LedgerRows.bounded(null, 2)).isNull();
    }

    @Test
    void should_shorten_a_text_to_its_column_with_a_marker_of_its_length() {
        String shortened = LedgerRows.bounded("a".repeat(2100), 2000);

        assertThat(shortened).hasSize(2000).startsWith("aaa").endsWith("a\u2026(2100 chars)");
    }

    @Test
    void should_not_cut_a_character_outside_the_bmp_in_two() {
        String phones = "\uD83D\uDCDE".repeat(20); // 20 characters, 40 chars

        String marker = "\u2026(20 chars)"; // 11 chars

        assertThat(LedgerRows.bounded(phones, 20)).isEqualTo("\uD83D\uDCDE".repeat(4) + marker);
        assertThat(LedgerRows.bounded(phones, 21)).isEqualTo("\uD83D\uDCDE".repeat(5) + marker);
        assertThat(LedgerRows.bounded(phones, 22)).isEqualTo("\uD83D\uDCDE".repeat(5) + marker);
    }

    @Test
    void should_cut_without_marker_where_the_marker_does_not_fit() {
        assertThat(LedgerRows.bounded("abcdefghij", 4)).isEqualTo("abcd");
    }

    @Test
    void should_replace_nul_characters_which_postgresql_refuses() {
        assertThat(LedgerRows.bounded("a\u0000b", 10)).isEqualTo("a\uFFFDb");
    }
}
