package io.outboundbridge.sandbox;

/**
 * The vendor's response envelope {@code CommunicateBaseVo}: {@code {"code","message","data"}}; data is the new
 * task id on a successful create, null otherwise.
 */
public record SandboxAnswer(String code, String message, Long data) {

    public static final String SUCCESS = "10000";
    public static final String AUTH_FAILED = "10001";
    public static final String NO_PUBLIC_KEY = "10002";
    public static final String PARAMETER_ERROR = "29002";
    public static final String SYSTEM_ERROR = "29008";

    static SandboxAnswer success(Long data) {
        return new SandboxAnswer(SUCCESS, "请求成功", data);
    }

    static SandboxAnswer authFailed(String why) {
        return new SandboxAnswer(AUTH_FAILED, "鉴权失败: " + why, null);
    }

    static SandboxAnswer parameterError(String problem) {
        return new SandboxAnswer(PARAMETER_ERROR, "参数错误: " + problem, null);
    }
}
