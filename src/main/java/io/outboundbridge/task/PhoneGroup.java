package io.outboundbridge.task;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code PhoneGroupDto}: the task's number batch (the vendor supports exactly one today). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PhoneGroup(
        String name,
        String identify,
        Integer autoOutboundSwitch,
        Integer autoOutboundInterval,
        Integer autoOutboundTimes) {
}
