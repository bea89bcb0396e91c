package io.outboundbridge.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.StringReader;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The vendor's own example body, rebuilt from a profile and a CSV row. */
class CreatePayloadExampleTest {

    private static final LocalDate ANY_DAY = LocalDate.of(2031, 1, 1);
    private final ObjectMapper json = new ObjectMapper();

    private static Profile exampleProfile() {
        return new Profile("default", 1, "2020-09-27", "2020-09-27", List.of(new ExecTime("11:36:00", "12:35:00")),
                "自动外呼描述", "1462016331580064", "1070678044124225", true, 0, 2, 2, 20, 10,
                new PhoneGroup("外呼任务号码批次名称,如:本人、亲属、朋友", "default", 1, 5, 1), null);
    }

    private static Customer exampleCustomer(Profile profile) {
        CustomerRow row = new CustomerRow(2, "客户名称", "客户描述", "1", "", "13800000001", "本人", null, null, null,
                null);
        RowResult result = new RowValidator(new PhoneNormalizer(PhoneNormalizer.DEFAULT_PATTERN),
                profile.phoneGroupIdentify()).validate(row);
        assertThat(result.violations()).isEmpty();
        return result.customer();
    }

    private JsonNode example() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/json/vendor-create-example.json")) {
            return json.readTree(in);
        }
    }

    @Test
    void should_build_the_vendor_example_body() throws Exception {
        Profile profile = exampleProfile();
        CreateTaskRequest request = profile.createRequest("自动外呼任务名称", List.of(exampleCustomer(profile)), ANY_DAY);

        assertThat(json.readTree(json.writeValueAsString(request))).isEqualTo(example());
        assertThat(VendorRules.checkCreate(request)).isEmpty();
    }

    @Test
    void should_build_the_same_body_from_a_profile_file() throws Exception {
        Properties props = new Properties();
        props.load(new StringReader("""
                taskType=1
                taskExecStartDate=2020-09-27
                taskExecEndDate=2020-09-27
                taskExecTimes=11:36:00-12:35:00
                taskDesc=自动外呼描述
                skillSetId=1462016331580064
                outboundNumberGroupId=1070678044124225
                strategyDisplaySwitch=true
                sendNumberStrategy=0
                multiplyPower=2
                abandonmentRate=2
                maxRingingDuration=20
                acw=10
                phoneGroup.name=外呼任务号码批次名称,如:本人、亲属、朋友
                phoneGroup.identify=default
                phoneGroup.autoOutboundSwitch=1
                phoneGroup.autoOutboundInterval=5
                phoneGroup.autoOutboundTimes=1
                """));
        Profile profile = ProfileLoader.load("default", props);

        assertThat(profile).isEqualTo(exampleProfile());
        CreateTaskRequest request = profile.createRequest("自动外呼任务名称", List.of(exampleCustomer(profile)), ANY_DAY);
        assertThat(json.readTree(json.writeValueAsString(request))).isEqualTo(example());
    }

    @Test
    void should_omit_nulls_when_serialising() throws Exception {
        Profile profile = exampleProfile();
        Customer noDesc = new Customer("客户名称", null, "1", null, List.of(new PhoneGroupCustomer("default",
                List.of(new PhoneRelation("13800000001", "本人"), new PhoneRelation("13900000002", null)))));
        CreateTaskRequest request = new CreateTaskRequest("t", 1, "2020-09-27", "2020-09-27", profile.taskExecTimes(),
                null, "1", "2", false, 1, 3, null, 45, 10, List.of(new PhoneGroup("本人", "default", 0, null, null)),
                List.of(noDesc));

        String body = json.writeValueAsString(request);

        assertThat(body).doesNotContain("null").doesNotContain("taskDesc").doesNotContain("multiplyPower")
                .doesNotContain("\"desc\"").doesNotContain("externalData").doesNotContain("autoOutboundInterval");
        assertThat(json.readTree(body).at("/outBoundCustomers/0/phoneGroupVoList/0/relations/1").toString())
                .isEqualTo("{\"mobile\":\"13900000002\"}");
    }

    @Test
    void should_serialise_append_requests() throws Exception {
        Profile profile = exampleProfile();
        AppendCustomersRequest append = new AppendCustomersRequest(123L, List.of(exampleCustomer(profile)));

        JsonNode body = json.readTree(json.writeValueAsString(append));

        assertThat(body.get("taskId").asLong()).isEqualTo(123L);
        assertThat(body.get("outBoundCustomers")).isEqualTo(example().get("outBoundCustomers"));
    }
}
