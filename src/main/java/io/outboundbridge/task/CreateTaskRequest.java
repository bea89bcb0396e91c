package io.outboundbridge.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Body of {@code POST /speech/openapi/v1/task/outbound/create}, field for field as the vendor names it.
 * Nulls are omitted from the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateTaskRequest(
        String taskName,
        Integer taskType,
        String taskExecStartDate,
        String taskExecEndDate,
        List<ExecTime> taskExecTimes,
        String taskDesc,
        String skillSetId,
        String outboundNumberGroupId,
        Boolean strategyDisplaySwitch,
        Integer sendNumberStrategy,
        Integer abandonmentRate,
        Integer multiplyPower,
        Integer maxRingingDuration,
        Integer acw,
        List<PhoneGroup> outboundPhoneGroups,
        List<Customer> outBoundCustomers) {
}
