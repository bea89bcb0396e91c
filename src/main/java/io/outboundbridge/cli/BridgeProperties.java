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

    /** A key-to-value lookup over the same sources the service uses, plus {@code overrides} on top. */
    public static Function<String, Optional<String>> lookup(Path configDir, Map<String, String> overrides) {
        CamelContext context = new DefaultCamelContext(false);
        context.build();
        PropertiesComponent pc = context.getPropertiesComponent();
        pc.setLocation(locations(configDir));
        java.util.Properties o = new java.util.Properties();
        o.setProperty("bridge.config", configDir.toString());
        o.putAll(overrides);
        pc.setOverrideProperties(o);
        return pc::resolveProperty;
    }
}
