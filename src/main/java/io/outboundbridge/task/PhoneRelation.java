package io.outboundbridge.task;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code PhoneRelationDto}: one number and whose it is ({@code 本人} = the customer themself). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PhoneRelation(String mobile, String relation) {
}
