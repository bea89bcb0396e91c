package io.outboundbridge.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Where settings come from, the same for the service and the commands that only read them: the built-in
 * defaults, then {@code DIR/application.properties}, then environment variables and -D system properties.
 */
public final class BridgeProperties {

    /** The built-in defaults: config/application.properties as packed into the jar. */
    public static final String DEFAULTS = "classpath:io/outboundbridge/application.properties";

    private BridgeProperties() {
    }

    /** Property locations for a config folder: a key is taken from the first location that has it. */
    public static String locations(Path configDir) {
        return "file:" + configDir.toAbsolutePath().normalize().resolve("application.properties")
                + ";optional=true," + DEFAULTS;
    }

    /**
     * Camel's own keys of the defaults ({@code camel.management.port}, ...) set in {@code environment} the documented
     * way ({@code CAMEL_MANAGEMENT_PORT}: upper case, '.' and '-' as '_'): Camel Main itself reads the environment for
     * only some of its groups. A -D system property of the key still wins, as for every key.
     */
    public static Map<String, String> camelKeysFromEnvironment(Map<String, String> environment,
            java.util.Properties system) {
        java.util.Properties defaults = new java.util.Properties();
        try (java.io.InputStream in = BridgeProperties.class.getResourceAsStream("/io/outboundbridge/application.properties")) {
            if (in != null) {
                defaults.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the built-in defaults", e);
        }
        Map<String, String> found = new java.util.TreeMap<>();
        for (String key : defaults.stringPropertyNames()) {
            String value = environment.get(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
            if (key.startsWith("camel.") && value != null && system.getProperty(key) == null) {
                found.put(key, value);
            }
        }
        return found;
    }

    /** A key-to-value lookup over the same sources the service uses, plus {@code overrides} on top. */
    public static Function<String, Optional<String>> lookup(Path configDir, Map<String, String> overrides) {
        CamelContext context = new DefaultCamelContext();
        PropertiesComponent pc = context.getPropertiesComponent();
        pc.setEncoding("UTF-8");
        pc.setLocation(locations(configDir));
        java.util.Properties o = new java.util.Properties();
        o.setProperty("bridge.config", configDir.toString());
        o.putAll(overrides);
        pc.setOverrideProperties(o);
        return pc::resolveProperty;
    }
}
