package io.outboundbridge.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhonesTest {

    @Test
    void should_keep_first_three_and_last_two_digits() {
        assertThat(Phones.mask("13800000001")).isEqualTo("138******01");
        assertThat(Phones.mask("01012345678")).isEqualTo("010******78");
    }

    @ParameterizedTest
    @CsvSource({"1,*", "12345,*****", "1234567,*******", "12345678,123***78"})
    void should_mask_short_numbers_completely(String phone, String masked) {
        assertThat(Phones.mask(phone)).isEqualTo(masked);
    }

    @Test
    void should_handle_null_and_empty() {
        assertThat(Phones.mask(null)).isEqualTo("(none)");
        assertThat(Phones.mask("")).isEmpty();
    }
}
