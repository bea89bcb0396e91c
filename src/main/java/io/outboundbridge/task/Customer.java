package io.outboundbridge.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** {@code CustomerDto}: one customer of a create or append call. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Customer(
        String name,
        String desc,
        String externalCustomerId,
        String externalData,
        List<PhoneGroupCustomer> phoneGroupVoList) {
}
