package io.outboundbridge.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RowValidatorTest {

    private static final String MOBILE = "13800000001";

    private final RowValidator validator = new RowValidator(new PhoneNormalizer(PhoneNormalizer.DEFAULT_PATTERN),
            "default");

    private static CustomerRow row(String name, String desc, String id, String data, String m1, String r1, String m2,
            String r2, String m3, String r3) {
        return new CustomerRow(2, name, desc, id, data, m1, r1, m2, r2, m3, r3);
    }

    private static CustomerRow valid() {
        return row("张三", "", "C-1", "", MOBILE, "", null, null, null, null);
    }

    private static CustomerRow withName(String name) {
        return row(name, "", "C-1", "", MOBILE, "", null, null, null, null);
    }

    private static List<PhoneRelation> relations(RowResult r) {
        return r.customer().phoneGroupVoList().get(0).relations();
    }

    @Test
    void should_accept_a_minimal_row_and_build_the_customer() {
        RowResult r = validator.validate(valid());

        assertThat(r.valid()).isTrue();
        assertThat(r.violations()).isEmpty();
        assertThat(r.customer()).isEqualTo(new Customer("张三", "", "C-1", "", List.of(
                new PhoneGroupCustomer("default", List.of(new PhoneRelation(MOBILE, "本人"))))));
    }

    @Test
    void should_trim_every_field_and_keep_absent_columns_null() {
        RowResult r = validator.validate(row(" 张三\u3000", null, " C-1 ", null, " 138 0000 0001 ", " 本人 ", null,
                null, null, null));

        assertThat(r.valid()).isTrue();
        assertThat(r.customer()).isEqualTo(new Customer("张三", null, "C-1", null, List.of(
                new PhoneGroupCustomer("default", List.of(new PhoneRelation(MOBILE, "本人"))))));
    }

    @ParameterizedTest
    @CsvSource({"20,true", "21,false"})
    void should_limit_name_to_20_characters(int length, boolean valid) {
        RowResult r = validator.validate(withName("张".repeat(length)));

        assertThat(r.valid()).isEqualTo(valid);
        if (!valid) {
            assertThat(r.violations()).containsExactly(new Violation("name", "at most 20 characters (found 21)"));
        }
    }

    @Test
    void should_count_characters_not_utf16_units() {
        assertThat(validator.validate(withName("𠀀".repeat(20))).valid()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"200,true", "201,false"})
    void should_limit_desc_to_200_characters(int length, boolean valid) {
        RowResult r = validator.validate(row("张三", "描".repeat(length), "C-1", "", MOBILE, "", null, null, null,
                null));

        assertThat(r.valid()).isEqualTo(valid);
        if (!valid) {
            assertThat(r.violations()).containsExactly(new Violation("desc", "at most 200 characters (found 201)"));
        }
    }

    @ParameterizedTest
    @CsvSource({"64,true", "65,false"})
    void should_limit_external_customer_id_to_64_characters(int length, boolean valid) {
        RowResult r = validator.validate(row("张三", "", "9".repeat(length), "", MOBILE, "", null, null, null, null));

        assertThat(r.valid()).isEqualTo(valid);
        if (!valid) {
            assertThat(r.violations()).containsExactly(
                    new Violation("externalCustomerId", "at most 64 characters (found 65)"));
        }
    }

    @ParameterizedTest
    @CsvSource({"40,true", "41,false"})
    void should_limit_external_data_to_40_characters(int length, boolean valid) {
        RowResult r = validator.validate(row("张三", "", "C-1", "数".repeat(length), MOBILE, "", null, null, null,
                null));

        assertThat(r.valid()).isEqualTo(valid);
        if (!valid) {
            assertThat(r.violations()).containsExactly(
                    new Violation("externalData", "at most 40 characters (found 41)"));
        }
    }

    @Test
    void should_require_name_external_id_and_mobile1() {
        RowResult r = validator.validate(row(" ", "", "", "", "", "", null, null, null, null));

        assertThat(r.violations()).containsExactly(
                new Violation("name", "required"),
                new Violation("externalCustomerId", "required"),
                new Violation("mobile1", "required"));
    }

    @Test
    void should_require_columns_that_are_absent() {
        RowResult r = validator.validate(row("张三", null, null, null, null, null, null, null, null, null));

        assertThat(r.violations()).extracting(Violation::column).containsExactly("externalCustomerId", "mobile1");
    }

    @Test
    void should_send_an_empty_relation1_as_self() {
        assertThat(relations(validator.validate(valid()))).containsExactly(new PhoneRelation(MOBILE, "本人"));
    }

    @Test
    void should_accept_self_as_relation1() {
        RowResult r = validator.validate(row("张三", "", "C-1", "", MOBILE, "本人", null, null, null, null));

        assertThat(r.valid()).isTrue();
        assertThat(relations(r)).containsExactly(new PhoneRelation(MOBILE, "本人"));
    }

    @Test
    void should_reject_a_relation1_other_than_self() {
        RowResult r = validator.validate(row("张三", "", "C-1", "", MOBILE, "父亲", null, null, null, null));

        assertThat(r.violations()).containsExactly(
                new Violation("relation1", "the first number must be the customer themself (本人)"));
    }

    @Test
    void should_send_two_relations() {
        RowResult r = validator.validate(row("张三", "", "C-1", "", MOBILE, "", "13900000002", "父亲", "", ""));

        assertThat(r.valid()).isTrue();
        assertThat(relations(r)).containsExactly(new PhoneRelation(MOBILE, "本人"),
                new PhoneRelation("13900000002", "父亲"));
    }

    @Test
    void should_send_three_relations_with_empty_relations_left_out() {
        RowResult r = validator.validate(row("张三", "", "C-1", "", MOBILE, "本人", "139-0000-0002", "",
                "010-12345678", "朋友"));

        assertThat(r.valid()).isTrue();
        assertThat(relations(r)).containsExactly(new PhoneRelation(MOBILE, "本人"),
                new PhoneRelation("13900000002", null), new PhoneRelation("01012345678", "朋友"));
    }

    @Test
    void should_skip_an_empty_mobile2_and_keep_mobile3() {
        RowResult r = validator.validate(row("张三", "", "C-1", "", MOBILE, "", "", "", "13700000003", "母亲"));

        assertThat(r.valid()).isTrue();
        assertThat(relations(r)).containsExactly(new PhoneRelation(MOBILE, "本人"),
                new PhoneRelation("13700000003", "母亲"));
    }

    @ParameterizedTest
    @CsvSource({"2", "3"})
    void should_reject_a_relation_without_its_mobile(int column) {
        CustomerRow row = column == 2
                ? row("张三", "", "C-1", "", MOBILE, "", "", "父亲", null, null)
                : row("张三", "", "C-1", "", MOBILE, "", "13900000002", "", " - ", "母亲");

        RowResult r = validator.validate(row);

        assertThat(r.violations()).containsExactly(
                new Violation("relation" + column, "a relation needs its number: mobile" + column + " is empty"));
    }

    @Test
    void should_send_phones_as_digits_only() {
        RowResult r = validator.validate(row("张三", "", "C-1", "", "+86 138-0000-0001", "", "0086 13900000002", "",
                null, null));

        assertThat(r.valid()).isTrue();
        assertThat(relations(r)).extracting(PhoneRelation::mobile).containsExactly(MOBILE, "13900000002");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345", "2380000000", "138000000012", "1380000000a"})
    void should_reject_an_invalid_mobile_without_showing_it(String mobile) {
        RowResult r = validator.validate(row("张三", "", "C-1", "", MOBILE, "", mobile, "", null, null));

        assertThat(r.violations()).singleElement().satisfies(v -> {
            assertThat(v.column()).isEqualTo("mobile2");
            assertThat(v.rule()).startsWith("must be a mainland mobile")
                    .contains("found " + Phones.mask(mobile))
                    .contains(mobile.length() + " characters")
                    .doesNotContain(mobile);
        });
    }

    @Test
    void should_show_no_full_number_in_any_violation() {
        String bad = "23800000001";
        RowResult r = validator.validate(row("张".repeat(21), "", "", "", bad, "父亲", bad, "", bad, ""));

        assertThat(r.violations()).extracting(Violation::column)
                .containsExactly("name", "externalCustomerId", "mobile1", "relation1", "mobile2", "mobile3");
        assertThat(r.violations()).allSatisfy(v -> assertThat(v.rule()).doesNotContain(bad));
        assertThat(r.violations().get(2).rule()).contains("238******01");
    }

    @Test
    void should_describe_a_custom_pattern() {
        RowValidator custom = new RowValidator(new PhoneNormalizer("1\\d{10}"), "default");

        RowResult r = custom.validate(row("张三", "", "C-1", "", "2380000000", "", null, null, null, null));

        assertThat(r.violations()).singleElement().extracting(Violation::rule).asString()
                .contains("matching the pattern 1\\d{10}");
    }
}
