package io.outboundbridge.wiring;

import java.nio.file.Path;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{path:bridge.archive}}}: the folder a setting names, as an absolute path. The inbox consumer's
 * preMove/move/moveFailed read relative paths against the inbox, so a relative folder setting (from any source:
 * file, environment, -D) would otherwise land inside the inbox.
 */
public final class AbsolutePathFunction implements PropertiesFunction {

    private final PropertiesComponent properties;

    public AbsolutePathFunction(PropertiesComponent properties) {
        this.properties = properties;
    }

    @Override
    public String getName() {
        return "path";
    }

    @Override
    public String apply(String key) {
        String value = properties.resolveProperty(key)
                .orElseThrow(() -> new IllegalArgumentException("setting " + key + ": required (a folder)"));
        return Path.of(value.trim()).toAbsolutePath().normalize().toString();
    }
}
