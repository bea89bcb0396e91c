package io.outboundbridge.task;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code ExecTimeOpenDto}: one dialing window, both ends {@code HH:mm:ss}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecTime(String taskExecTimeStartStr, String taskExecTimeEndStr) {
}
