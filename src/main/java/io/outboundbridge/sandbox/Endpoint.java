package io.outboundbridge.sandbox;

/** The two vendor calls the sandbox answers, by path. */
public enum Endpoint {
    CREATE("/speech/openapi/v1/task/outbound/create"),
    APPEND("/speech/openapi/v1/task/outbound/customer/append");

    private final String path;

    Endpoint(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** The endpoint a POST to this path calls, or null (the sandbox then answers 404). */
    static Endpoint of(String method, String path) {
        if (!"POST".equals(method)) {
            return null;
        }
        for (Endpoint e : values()) {
            if (e.path.equals(path)) {
                return e;
            }
        }
        return null;
    }
}
