package io.outboundbridge.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** {@code PhoneGroupCustomerDto}: a customer's numbers in one batch; the first relation is the customer themself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PhoneGroupCustomer(String phoneGroupIdentify, List<PhoneRelation> relations) {
}
