package io.outboundbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNormalizerTest {

    private final PhoneNormalizer phones = new PhoneNormalizer(PhoneNormalizer.DEFAULT_PATTERN);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "+86 138-0000-0001|13800000001",
            "+86-13800000001|13800000001",
            "+8613800000001|13800000001",
            "0086 13800000001|13800000001",
            "008613800000001|13800000001",
            "  13800000001  |13800000001",
            "138 0000 0001|13800000001",
            "138\u30000000\u30000001|13800000001",
            "１３８００００００01|13800000001",
            "＋86 13800000001|13800000001",
            "010-12345678|01012345678",
            "0755-1234567|07551234567",
            "138abc00001|138abc00001"})
    void should_normalise_to_digits(String raw, String expected) {
        assertThat(phones.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+86 138-0000-0001", "0086 13800000001", "010-12345678", "0755-1234567",
            "19912345678", "13000000000"})
    void should_accept_mobiles_and_landlines(String raw) {
        assertThat(phones.isValid(phones.normalize(raw))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345", "2380000000", "12800000000", "1380000000", "138000000012", "138abc00001",
            "0012345678", "010123456", "", "+86"})
    void should_reject_what_is_no_phone_number(String raw) {
        assertThat(phones.isValid(phones.normalize(raw))).isFalse();
    }

    @Test
    void should_reject_null() {
        assertThat(phones.normalize(null)).isNull();
        assertThat(phones.isValid(null)).isFalse();
    }

    @Test
    void should_use_a_custom_pattern() {
        PhoneNormalizer anyDigits = new PhoneNormalizer("\\d{5}");
        assertThat(anyDigits.isValid("12345")).isTrue();
        assertThat(anyDigits.isValid("13800000001")).isFalse();
    }

    @Test
    void should_name_an_invalid_pattern() {
        assertThatThrownBy(() -> new PhoneNormalizer("1[3-9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1[3-9");
    }

    @Test
    void should_check_the_default_pattern_by_hand_exactly_as_its_regex() {
        PhoneNormalizer byHand = new PhoneNormalizer(PhoneNormalizer.DEFAULT_PATTERN);
        // the same expression written differently, so it is checked by its regex
        PhoneNormalizer byRegex = new PhoneNormalizer("(?:" + PhoneNormalizer.DEFAULT_PATTERN + ")");
        java.util.List<String> numbers = new java.util.ArrayList<>(java.util.List.of("", "1", "13800000001",
                "12800000001", "1380000000", "138000000012", "010123456", "0101234567", "01012345678", "010123456789",
                "0101234567890", "00101234567", "075512345678", "1380000000a", "１３８００００００01", "+8613800000001",
                "19999999999", "10000000000", "0912345678", "008613800000001", "0086"));
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = 8 + random.nextInt(6);
            for (int k = 0; k < n; k++) {
                b.append((char) ('0' + random.nextInt(10)));
            }
            numbers.add(b.toString());
        }
        for (String n : numbers) {
            assertThat(byHand.isValid(n)).as(n).isEqualTo(byRegex.isValid(n));
            assertThat(byHand.normalize(n)).as(n).isEqualTo(byRegex.normalize(n));
        }
    }
}
