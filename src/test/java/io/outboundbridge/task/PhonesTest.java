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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mobile 13800000001 重复|mobile 138******01 重复",
        "13800000001,13912345678|138******01,139******78",
        "+8613800000001 / 0086 13800000001 / 86-138-0000-0001|+86138******01 / 0086 138******01 / 86-138******01",
        "138 0000 0001|138******01",
        "tel 010-12345678 or 075512345678|tel 010******78 or 075*******78",
        "手机号13800000001无效|手机号138******01无效"})
    void should_mask_every_phone_number_in_a_text(String text, String masked) {
        assertThat(Phones.maskIn(text)).isEqualTo(masked);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "task 1462016331580064 not found",
        "code 29002, 20000 customers at most, end 2026-12-06 18:00:00",
        "taskId 1000001",
        "12800000001 is no mobile"})
    void should_leave_task_ids_codes_dates_and_other_numbers_as_they_are(String text) {
        assertThat(Phones.maskIn(text)).isEqualTo(text);
    }

    @Test
    void should_leave_null_and_text_without_numbers() {
        assertThat(Phones.maskIn(null)).isNull();
        assertThat(Phones.maskIn("参数错误")).isEqualTo("参数错误");
    }
}
