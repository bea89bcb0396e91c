package io.outboundbridge.karaf;

import io.outboundbridge.cli.BridgeProperties;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the bundle boots from: the home folder ({@code bridge.home}, a standalone config folder with
 * {@code routes/}) and the settings of the {@code outbound.bridge} configuration, which win over the home's
 * {@code application.properties}. Relative folders are pinned against {@code karaf.base}, so they do not depend on
 * the directory Karaf was started from.
 *
 * @param home      the home folder, absolute
 * @param overrides settings from the .cfg, plus the relative folders made absolute
 */
public record KarafSettings(Path home, Map<String, String> overrides) {

    /** The key naming the home folder. */
    public static final String HOME = "bridge.home";

    /** Folders (and files) read relative to the working directory standalone, and to {@code karaf.base} here. */
    static final List<String> RELATIVE_TO_BASE = List.of("bridge.inbox", "bridge.processing", "bridge.archive",
            "bridge.error", "bridge.work", "bridge.data", "bridge.profiles", "vendor.private-key");

    /**
     * Settings that differ in Karaf unless the .cfg sets them: Camel's MBeans (routes, health checks, the bridge's
     * metrics) for Karaf's JMX, Hawtio or a JMX exporter, and no HTTP server of Camel's own (Karaf has its own).
     */
    static final Map<String, String> KARAF_DEFAULTS = Map.of("camel.main.jmx-enabled", "true",
            "camel.management.enabled", "false");

    /**
     * Settings from a ConfigAdmin dictionary (null when there is no .cfg yet).
     *
     * @param karafBase {@code karaf.base}
     * @param karafEtc  {@code karaf.etc}, where the default home lives
     */
    public static KarafSettings of(Dictionary<String, ?> config, Path karafBase, Path karafEtc) {
        Map<String, String> cfg = settings(config);
        Path home = Optional.ofNullable(cfg.remove(HOME)).filter(s -> !s.isBlank()).map(s -> Path.of(s.trim()))
                .map(p -> karafBase.resolve(p)).orElse(karafEtc.resolve("outbound-bridge")).normalize();
        Map<String, String> overrides = new LinkedHashMap<>(cfg);
        KARAF_DEFAULTS.forEach(overrides::putIfAbsent);
        Function<String, Optional<String>> lookup = BridgeProperties.lookup(home, overrides);
        for (String key : RELATIVE_TO_BASE) {
            lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty()).map(Path::of)
                    .filter(p -> !p.isAbsolute())
                    .ifPresent(p -> overrides.put(key, karafBase.resolve(p).normalize().toString()));
        }
        return new KarafSettings(home, Map.copyOf(overrides));
    }

    /** Our keys of a ConfigAdmin dictionary, without the ones ConfigAdmin and Karaf add (service.pid, felix.*). */
    static Map<String, String> settings(Dictionary<String, ?> config) {
        Map<String, String> map = new LinkedHashMap<>();
        if (config == null) {
            return map;
        }
        for (Enumeration<String> keys = config.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!key.startsWith("service.") && !key.startsWith("felix.") && !key.startsWith("component.")) {
                map.put(key, String.valueOf(config.get(key)));
            }
        }
        return map;
    }

    public Path routes() {
        return home.resolve("routes");
    }
}
