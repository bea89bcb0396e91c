package io.outboundbridge.cli;

import io.outboundbridge.observe.ManagementAddress;
import io.outboundbridge.wiring.BridgeConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/** Boots the service: Camel Main with our wiring, the settings of a config folder and the routes of a folder. */
public final class BridgeLauncher {

    private BridgeLauncher() {
    }

    /**
     * A Camel Main ready to start.
     *
     * @param overrides settings that win over every other source (used by {@code demo} and tests)
     */
    public static Main create(Path configDir, Path routesDir, Map<String, String> overrides) {
        if (!Files.isDirectory(routesDir)) {
            throw new IllegalArgumentException("routes folder not found: " + routesDir.toAbsolutePath()
                    + " (run from the outbound-bridge folder, or pass --routes DIR)");
        }
        Main main = new Utf8Main();
        main.setPropertyPlaceholderLocations(BridgeProperties.locations(configDir));
        main.configure().addConfiguration(BridgeConfiguration.class);
        // where the folder's symlinks lead (a Kubernetes ConfigMap, routes -> /etc/outbound-bridge/routes): Camel
        // lists a folder it is given, and a folder reached through a link listed no route
        Path routes = realFolder(routesDir);
        main.configure().withRoutesIncludePattern("file:" + routes + "/*.camel.yaml");
        // where camel.main.routes-reload-enabled watches, unless a setting says otherwise (Camel's default is
        // src/main/resources, a folder a deployment does not have)
        main.configure().withRoutesReloadDirectory(routes.toString()).withRoutesReloadPattern("*.camel.yaml");
        main.addOverrideProperty("bridge.config", configDir.toString());
        main.addOverrideProperty(BridgeConfiguration.ROUTES_FOLDER, routesDir.toString());
        BridgeProperties.camelKeysFromEnvironment(System.getenv(), System.getProperties())
                .forEach(main::addOverrideProperty);
        overrides.forEach(main::addOverrideProperty);
        // once `run` has started, where the management server listens (its port is only known then when it is 0)
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                ManagementAddress.log(started.getCamelContext());
            }
        });
        return main;
    }

    private static Path realFolder(Path folder) {
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the routes folder " + folder.toAbsolutePath() + ": " + e, e);
        }
    }

    /**
     * Camel Main reading configuration files as UTF-8: by default Camel reads properties files as ISO-8859-1, and
     * the encoding must be set before the properties are first loaded. A start that fails closes the ledger.
     */
    private static final class Utf8Main extends Main {
        @Override
        protected void configurePropertiesService(CamelContext camelContext) throws Exception {
            camelContext.getPropertiesComponent().setEncoding("UTF-8");
            super.configurePropertiesService(camelContext);
        }

        @Override
        protected void doFail(Exception e) {
            BridgeConfiguration.closeLedger(getCamelContext());
            super.doFail(e);
        }
    }

    /** The innermost message of a start-up failure: what a person needs to fix. */
    public static String reason(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? e.toString() : message;
    }
}
