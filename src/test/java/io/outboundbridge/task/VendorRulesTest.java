package io.outboundbridge.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VendorRulesTest {

    /** The vendor's example body, field by field, so each test changes one thing. */
    private static final class Body {
        String taskName = "自动外呼任务名称";
        Integer taskType = 1;
        String start = "2020-09-27";
        String end = "2020-09-27";
        List<ExecTime> times = List.of(new ExecTime("11:36:00", "12:35:00"));
        String skillSetId = "1462016331580064";
        String numberGroupId = "1070678044124225";
        Boolean display = true;
        Integer strategy = 0;
        Integer abandonmentRate = 2;
        Integer multiplyPower = 2;
        Integer ringing = 20;
        Integer acw = 10;
        List<PhoneGroup> groups = List.of(new PhoneGroup("本人", "default", 1, 5, 1));
        List<Customer> customers = List.of(customer("客户名称", "1", relation("13800000001", "本人")));

        CreateTaskRequest build() {
            return new CreateTaskRequest(taskName, taskType, start, end, times, "自动外呼描述", skillSetId,
                    numberGroupId, display, strategy, abandonmentRate, multiplyPower, ringing, acw, groups, customers);
        }
    }

    private static PhoneRelation relation(String mobile, String relation) {
        return new PhoneRelation(mobile, relation);
    }

    private static Customer customer(String name, String id, PhoneRelation... relations) {
        return new Customer(name, "客户描述", id, "", List.of(new PhoneGroupCustomer("default", List.of(relations))));
    }

    private static List<String> problems(Consumer<Body> change) {
        Body b = new Body();
        change.accept(b);
        return VendorRules.checkCreate(b.build());
    }

    @Test
    void should_accept_the_vendor_example_body() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/json/vendor-create-example.json")) {
            CreateTaskRequest example = new ObjectMapper().readValue(in, CreateTaskRequest.class);
            assertThat(VendorRules.checkCreate(example)).isEmpty();
        }
        assertThat(problems(b -> { })).isEmpty();
    }

    @Test
    void should_limit_task_name_to_1_to_50_characters() {
        assertThat(problems(b -> b.taskName = "名".repeat(50))).isEmpty();
        assertThat(problems(b -> b.taskName = "名".repeat(51)))
                .containsExactly("taskName: length must be 1..50 (found 51)");
        assertThat(problems(b -> b.taskName = "")).containsExactly("taskName: required");
    }

    @ParameterizedTest
    @CsvSource({"1,", "2,", "3,taskType: must be 1 (automatic) or 2 (manual) (found 3)"})
    void should_allow_task_types_1_and_2(int type, String problem) {
        List<String> p = problems(b -> b.taskType = type);
        if (problem == null) {
            assertThat(p).isEmpty();
        } else {
            assertThat(p).containsExactly(problem);
        }
    }

    @Test
    void should_check_dates() {
        assertThat(problems(b -> b.end = "2020-09-28")).isEmpty();
        assertThat(problems(b -> b.end = "2020-09-26"))
                .containsExactly("taskExecEndDate: must not be before taskExecStartDate (2020-09-26 < 2020-09-27)");
        assertThat(problems(b -> b.start = "2020-02-30"))
                .containsExactly("taskExecStartDate: must be a date yyyy-MM-dd (found '2020-02-30')");
        assertThat(problems(b -> b.start = null)).containsExactly("taskExecStartDate: required (yyyy-MM-dd)");
    }

    @Test
    void should_check_dialing_windows() {
        assertThat(problems(b -> b.times = List.of())).containsExactly(
                "taskExecTimes: at least one dialing window required");
        assertThat(problems(b -> b.times = List.of(new ExecTime("12:00:00", "12:00:00")))).containsExactly(
                "taskExecTimes[0]: start must be before end (12:00:00-12:00:00)");
        assertThat(problems(b -> b.times = List.of(new ExecTime("11:59:59", "12:00:00")))).isEmpty();
        assertThat(problems(b -> b.times = List.of(new ExecTime("24:00:00", null)))).containsExactly(
                "taskExecTimes[0].taskExecTimeStartStr: must be a time HH:mm:ss (found '24:00:00')",
                "taskExecTimes[0].taskExecTimeEndStr: required (HH:mm:ss)");
    }

    @Test
    void should_require_ids_and_display_switch() {
        assertThat(problems(b -> {
            b.skillSetId = " ";
            b.numberGroupId = null;
            b.display = null;
        })).containsExactly("skillSetId: required", "outboundNumberGroupId: required",
                "strategyDisplaySwitch: required (true or false)");
    }

    @Test
    void should_check_the_send_number_strategy() {
        assertThat(problems(b -> b.multiplyPower = 1)).isEmpty();
        assertThat(problems(b -> b.multiplyPower = 0)).containsExactly("multiplyPower: must be greater than 0 (found 0)");
        assertThat(problems(b -> b.multiplyPower = null))
                .containsExactly("multiplyPower: required when sendNumberStrategy is 0");
        assertThat(problems(b -> b.strategy = 2))
                .containsExactly("sendNumberStrategy: must be 0 (multiplier) or 1 (predictive) (found 2)");
    }

    @ParameterizedTest
    @CsvSource({"1,", "5,", "0,abandonmentRate: must be 1..5 (found 0)", "6,abandonmentRate: must be 1..5 (found 6)"})
    void should_limit_abandonment_rate_for_predictive_dialing(int rate, String problem) {
        List<String> p = problems(b -> {
            b.strategy = 1;
            b.abandonmentRate = rate;
        });
        assertThat(p).isEqualTo(problem == null ? List.of() : List.of(problem));
    }

    @ParameterizedTest
    @CsvSource({"20,", "50,", "19,maxRingingDuration: must be 20..50 (found 19)",
            "51,maxRingingDuration: must be 20..50 (found 51)"})
    void should_limit_ringing_to_20_to_50_seconds(int seconds, String problem) {
        assertThat(problems(b -> b.ringing = seconds)).isEqualTo(problem == null ? List.of() : List.of(problem));
    }

    @ParameterizedTest
    @CsvSource({"1,", "180,", "0,acw: must be 1..180 (found 0)", "181,acw: must be 1..180 (found 181)"})
    void should_limit_acw_to_1_to_180_seconds(int seconds, String problem) {
        assertThat(problems(b -> b.acw = seconds)).isEqualTo(problem == null ? List.of() : List.of(problem));
    }

    @Test
    void should_require_exactly_one_phone_group() {
        assertThat(problems(b -> b.groups = List.of(new PhoneGroup("a", "default", 0, null, null),
                new PhoneGroup("b", "other", 0, null, null))))
                .containsExactly("outboundPhoneGroups: exactly one phone group is supported (found 2)");
    }

    @ParameterizedTest
    @CsvSource({"5,1,", "2880,3,",
            "4,1,outboundPhoneGroups[0].autoOutboundInterval: must be 5..2880 (found 4)",
            "2881,1,outboundPhoneGroups[0].autoOutboundInterval: must be 5..2880 (found 2881)",
            "5,0,outboundPhoneGroups[0].autoOutboundTimes: must be 1..3 (found 0)",
            "5,4,outboundPhoneGroups[0].autoOutboundTimes: must be 1..3 (found 4)"})
    void should_limit_redial_settings_when_redial_is_on(int interval, int times, String problem) {
        List<String> p = problems(b -> b.groups = List.of(new PhoneGroup("本人", "default", 1, interval, times)));
        assertThat(p).isEqualTo(problem == null ? List.of() : List.of(problem));
    }

    @Test
    void should_ignore_redial_settings_when_redial_is_off() {
        assertThat(problems(b -> b.groups = List.of(new PhoneGroup("本人", "default", 0, null, null)))).isEmpty();
        assertThat(problems(b -> b.groups = List.of(new PhoneGroup("", "default", 2, null, null)))).containsExactly(
                "outboundPhoneGroups[0].name: required",
                "outboundPhoneGroups[0].autoOutboundSwitch: must be 0 (off) or 1 (on) (found 2)");
    }

    @Test
    void should_allow_1000_customers_per_call_but_not_1001() {
        Customer c = customer("客户", "1", relation("13800000001", null));
        assertThat(problems(b -> b.customers = Collections.nCopies(1000, c))).isEmpty();
        assertThat(problems(b -> b.customers = Collections.nCopies(1001, c)))
                .containsExactly("outBoundCustomers: at most 1000 customers per call (found 1001)");
        assertThat(problems(b -> b.customers = List.of()))
                .containsExactly("outBoundCustomers: at least one customer required");
    }

    @ParameterizedTest
    @CsvSource({"name,20,", "name,21,outBoundCustomers[0].name: at most 20 characters (found 21)",
            "desc,200,", "desc,201,outBoundCustomers[0].desc: at most 200 characters (found 201)",
            "externalCustomerId,64,",
            "externalCustomerId,65,outBoundCustomers[0].externalCustomerId: at most 64 characters (found 65)",
            "externalData,40,", "externalData,41,outBoundCustomers[0].externalData: at most 40 characters (found 41)"})
    void should_limit_customer_fields_in_characters(String field, int length, String problem) {
        String v = "字".repeat(length);
        Customer c = new Customer(field.equals("name") ? v : "客户", field.equals("desc") ? v : null,
                field.equals("externalCustomerId") ? v : "1", field.equals("externalData") ? v : null,
                List.of(new PhoneGroupCustomer("default", List.of(relation("13800000001", "本人")))));
        assertThat(VendorRules.checkCustomer("outBoundCustomers[0]", c, Set.of("default")))
                .isEqualTo(problem == null ? List.of() : List.of(problem));
    }

    @Test
    void should_require_name_id_and_phone_groups() {
        Customer c = new Customer("", null, null, null, null);
        assertThat(VendorRules.checkCustomer("c", c, Set.of("default"))).containsExactly("c.name: required",
                "c.externalCustomerId: required", "c.phoneGroupVoList: required");
    }

    @Test
    void should_allow_1_to_3_relations_with_the_customer_first() {
        PhoneRelation self = relation("13800000001", "本人");
        PhoneRelation other = relation("13900000002", "父亲");
        List<PhoneRelation> four = new ArrayList<>(List.of(self, other, other, other));

        assertThat(VendorRules.checkCustomer("c", customer("n", "1", self, other, other), Set.of("default")))
                .isEmpty();
        assertThat(VendorRules.checkCustomer("c", customer("n", "1", four.toArray(PhoneRelation[]::new)),
                Set.of("default"))).containsExactly("c.phoneGroupVoList[0].relations: 1..3 numbers (found 4)");
        assertThat(VendorRules.checkCustomer("c", customer("n", "1"), Set.of("default")))
                .containsExactly("c.phoneGroupVoList[0].relations: 1..3 numbers (found 0)");
        assertThat(VendorRules.checkCustomer("c", customer("n", "1", other, self), Set.of("default")))
                .containsExactly("c.phoneGroupVoList[0].relations[0].relation: the first number must be the customer"
                        + " themself (本人)");
        assertThat(VendorRules.checkCustomer("c", customer("n", "1", self, relation("", null)), Set.of("default")))
                .containsExactly("c.phoneGroupVoList[0].relations[1].mobile: required");
    }

    @Test
    void should_require_the_task_phone_group_identify() {
        assertThat(VendorRules.checkCustomer("c", customer("n", "1", relation("13800000001", null)), Set.of("vip")))
                .containsExactly("c.phoneGroupVoList[0].phoneGroupIdentify: must equal the identify of a phone group"
                        + " of the task (found 'default', expected one of [vip])");
    }

    @Test
    void should_check_append_calls() {
        Customer c = customer("客户", "1", relation("13800000001", "本人"));
        assertThat(VendorRules.checkAppend(new AppendCustomersRequest(1L, List.of(c)), Set.of("default"))).isEmpty();
        assertThat(VendorRules.checkAppend(new AppendCustomersRequest(null, List.of(c)), Set.of("default")))
                .containsExactly("taskId: required");
    }

    @Test
    void should_count_code_points() {
        assertThat(VendorRules.length("𠀀名a")).isEqualTo(3);
        assertThat(VendorRules.length(null)).isZero();
    }
}
