package io.outboundbridge.sandbox;

import io.outboundbridge.sign.SignTemplate;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SandboxVendor} is set up. Build it with {@link #builder()}; every setting has a default.
 *
 * @param port            0 picks a free port
 * @param publicKey       the tenant's uploaded public key; null = none uploaded, every call is answered 10002
 * @param recordCustomers false keeps only counts and external ids (and no bodies), so a 1,000,000-customer run stays light
 * @param logCalls        false logs each call at DEBUG instead of INFO, so a benchmark's log is not the slow part
 * @param answerLatency   how long every call the vendor processes takes before it is answered (a real vendor's
 *                        100-200 ms, or the benchmark's 50 ms); zero answers at once
 */
public record SandboxSettings(
        String host,
        int port,
        String appId,
        PublicKey publicKey,
        String template,
        String algorithm,
        Duration maxClockSkew,
        Clock clock,
        long firstTaskId,
        boolean recordCustomers,
        boolean logCalls,
        Duration answerLatency) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final String DEFAULT_APP_ID = "sandbox-app";
    public static final String DEFAULT_ALGORITHM = "SHA256withRSA";
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    public static final long DEFAULT_FIRST_TASK_ID = 1_000_001L;

    public SandboxSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 (found " + port + ")");
        }
        Objects.requireNonNull(answerLatency, "answerLatency");
        if (answerLatency.isNegative()) {
            throw new IllegalArgumentException("answerLatency must not be negative (found " + answerLatency + ")");
        }
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("maxClockSkew must not be negative (found " + maxClockSkew + ")");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults: loopback, free port, {@code {appId}{timestamp}} with SHA256withRSA, ±5 minutes. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port;
        private String appId = DEFAULT_APP_ID;
        private PublicKey publicKey;
        private String template = SignTemplate.DEFAULT;
        private String algorithm = DEFAULT_ALGORITHM;
        private Duration maxClockSkew = DEFAULT_MAX_CLOCK_SKEW;
        private Clock clock = Clock.systemUTC();
        private long firstTaskId = DEFAULT_FIRST_TASK_ID;
        private boolean recordCustomers = true;
        private boolean logCalls = true;
        private Duration answerLatency = Duration.ZERO;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder appId(String appId) {
            this.appId = appId;
            return this;
        }

        public Builder publicKey(PublicKey publicKey) {
            this.publicKey = publicKey;
            return this;
        }

        public Builder template(String template) {
            this.template = template;
            return this;
        }

        public Builder algorithm(String algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        public Builder maxClockSkew(Duration maxClockSkew) {
            this.maxClockSkew = maxClockSkew;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder firstTaskId(long firstTaskId) {
            this.firstTaskId = firstTaskId;
            return this;
        }

        public Builder recordCustomers(boolean recordCustomers) {
            this.recordCustomers = recordCustomers;
            return this;
        }

        public Builder logCalls(boolean logCalls) {
            this.logCalls = logCalls;
            return this;
        }

        public Builder answerLatency(Duration answerLatency) {
            this.answerLatency = answerLatency;
            return this;
        }

        public SandboxSettings build() {
            return new SandboxSettings(host, port, appId, publicKey, template, algorithm, maxClockSkew, clock,
                    firstTaskId, recordCustomers, logCalls, answerLatency);
        }
    }
}
