package io.outboundbridge.wiring;

import io.outboundbridge.reading.RejectPolicy;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Function;

/**
 * The settings the beans need, read once at start-up from Camel's properties (defaults, config folder,
 * environment, system properties) and checked: a wrong value stops the start with a message naming the key.
 */
public record BridgeSettings(
        Path processing,
        Path archive,
        Path error,
        Path work,
        Path profiles,
        ZoneId timezone,
        Charset charset,
        RejectPolicy.Mode rejectMode,
        double maxInvalidRatio,
        String phonePattern,
        String appId,
        Path privateKey,
        String signTemplate,
        String signAlgorithm,
        String createPath,
        String appendPath,
        int batchSize,
        int maxCustomersPerTask,
        int parallelTasks,
        int parallelLists,
        int maxCallsPerSecond,
        int inboxMinAge,
        int maxAnswerBytes,
        Path data,
        String ledgerUrl,
        String ledgerUser,
        String ledgerPassword,
        int maxRetries,
        int breakerOpenFor,
        String instanceId,
        boolean instanceIdSet,
        long instanceLease) {

    /** The shortest lease: its heartbeat runs every third of it. */
    static final int MIN_LEASE = 600;

    /** Reads every setting through {@code lookup} (a key to its value, or empty when the key is not set). */
    public static BridgeSettings read(Function<String, Optional<String>> lookup) {
        Reader r = new Reader(lookup);
        return new BridgeSettings(
                r.path("bridge.processing"),
                r.path("bridge.archive"),
                r.path("bridge.error"),
                r.path("bridge.work"),
                r.path("bridge.profiles"),
                r.zone("bridge.timezone"),
                r.charset("bridge.csv.charset"),
                RejectPolicy.Mode.of(r.text("bridge.reject-policy")),
                r.ratio("bridge.max-invalid-ratio"),
                r.text("bridge.phone.pattern"),
                r.optional("vendor.app-id"),
                r.path("vendor.private-key"),
                r.text("vendor.sign.template"),
                r.text("vendor.sign.algorithm"),
                r.text("vendor.path.create"),
                r.text("vendor.path.append"),
                r.integer("vendor.batch-size", 1, 1000),
                r.integer("vendor.max-customers-per-task", 1, 20_000),
                r.integer("vendor.parallel-tasks", 1, 64),
                r.integer("bridge.parallel-lists", 1, 64),
                r.integer("vendor.max-calls-per-second", 0, 100_000),
                r.integer("bridge.inbox.read-lock-min-age", 0, Integer.MAX_VALUE),
                r.integer("vendor.max-answer-bytes", 1024, 16 * 1024 * 1024),
                r.path("bridge.data"),
                r.optional("bridge.ledger.url"),
                r.optional("bridge.ledger.user"),
                r.optional("bridge.ledger.password"),
                r.integer("vendor.retry.max-retries", 0, 1000),
                r.integer("vendor.breaker.open-for", 1, Integer.MAX_VALUE),
                instanceId(r.optional("bridge.instance.id")),
                !r.optional("bridge.instance.id").isEmpty(),
                r.integer("bridge.instance.lease", MIN_LEASE, 24 * 3600 * 1000));
    }

    /**
     * The alert settings (read apart from the others: only the alert beans need them).
     *
     * @param uri            the alert endpoint's Camel URI; empty: alerts off
     * @param inboxDownAfter how long an inbox's polls fail before it is reported down
     * @param quietPeriod    how long repeats of an alert's kind are counted into one summary
     */
    public record Alerting(String uri, java.time.Duration inboxDownAfter, java.time.Duration quietPeriod) {

        public boolean enabled() {
            return !uri.isEmpty();
        }
    }

    /** Reads and checks the alert settings through {@code lookup}. */
    public static Alerting alerting(Function<String, Optional<String>> lookup) {
        Reader r = new Reader(lookup);
        // read only to be checked here: the check-alert-conditions route uses it
        r.integer("bridge.alert.check-interval", 10, Integer.MAX_VALUE);
        return new Alerting(r.optional("bridge.alert.uri"),
                java.time.Duration.ofMillis(r.integer("bridge.alert.inbox-down-after", 0, Integer.MAX_VALUE)),
                java.time.Duration.ofMillis(r.integer("bridge.alert.quiet-period", 0, Integer.MAX_VALUE)));
    }

    /**
     * The instance's id: the setting, else this host's name and this process's id, resolved once here so that the
     * logs, the ledger, the reports and {@code status} name the same.
     */
    static String instanceId(String setting) {
        if (!setting.isEmpty()) {
            if (setting.length() > 200 || !setting.matches("[\\p{Alnum}._:@-]+")) {
                throw new IllegalArgumentException("setting bridge.instance.id: at most 200 letters, digits and ._:@- "
                        + "(found '" + setting + "')");
            }
            return setting;
        }
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }


    /** Where the ledger lives: the setting, or an embedded H2 database under the data folder. */
    public io.outboundbridge.ledger.LedgerSettings ledger() {
        if (ledgerUrl.isEmpty()) {
            return new io.outboundbridge.ledger.LedgerSettings(
                    io.outboundbridge.ledger.LedgerSettings.defaultUrl(data), ledgerUser.isEmpty() ? io.outboundbridge.ledger.LedgerSettings.DEFAULT_USER : ledgerUser,
                    ledgerPassword);
        }
        return new io.outboundbridge.ledger.LedgerSettings(ledgerUrl, ledgerUser, ledgerPassword);
    }

    /** Reads typed values and names the key of a wrong one. */
    private record Reader(Function<String, Optional<String>> lookup) {

        String optional(String key) {
            return lookup.apply(key).map(String::trim).orElse("");
        }

        String text(String key) {
            String v = optional(key);
            if (v.isEmpty()) {
                throw new IllegalArgumentException("setting " + key + ": required");
            }
            return v;
        }

        Path path(String key) {
            return Path.of(text(key)).toAbsolutePath().normalize();
        }

        ZoneId zone(String key) {
            try {
                return ZoneId.of(text(key));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("setting " + key + ": not a time zone ('" + optional(key) + "')");
            }
        }

        Charset charset(String key) {
            try {
                return Charset.forName(text(key));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("setting " + key + ": unknown charset ('" + optional(key)
                        + "'; use UTF-8, GBK or GB18030)");
            }
        }

        double ratio(String key) {
            try {
                double v = Double.parseDouble(text(key));
                if (v < 0 || v > 1) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting " + key + ": must be a number 0..1 (found '"
                        + optional(key) + "')");
            }
        }

        int integer(String key, int min, int max) {
            try {
                int v = Integer.parseInt(text(key));
                if (v < min || v > max) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting " + key + ": must be a whole number " + min + ".."
                        + max + " (found '" + optional(key) + "')");
            }
        }
    }
}
