package io.outboundbridge.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Body of {@code POST /speech/openapi/v1/task/outbound/customer/append}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppendCustomersRequest(Long taskId, List<Customer> outBoundCustomers) {
}
