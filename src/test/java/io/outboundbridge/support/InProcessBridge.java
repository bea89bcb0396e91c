package io.outboundbridge.support;

import io.outboundbridge.cli.BridgeLauncher;
import io.outboundbridge.sandbox.SandboxVendor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The service in this JVM, booted exactly as {@code run} boots it: the repository's real {@code routes/} and
 * {@code config/}, with settings pointing at temp folders and a sandbox vendor.
 */
public final class InProcessBridge implements AutoCloseable {

    private final Main main;

    private InProcessBridge(Main main) {
        this.main = main;
    }

    public static Path repo() {
        return Path.of(System.getProperty("project.basedir", ".")).toAbsolutePath().normalize();
    }

    /** Settings every test uses: fast polls and retries, the test key, the sandbox. */
    public static Map<String, String> testSettings(Folders folders, SandboxVendor sandbox) {
        Map<String, String> s = new HashMap<>(folders.settings());
        s.put("bridge.inbox.read-lock-min-age", "100");
        s.put("bridge.inbox.read-lock-check-interval", "50");
        s.put("bridge.inbox.poll-delay", "50");
        s.put("vendor.base-url", sandbox.baseUrl().toString());
        s.put("vendor.app-id", sandbox.settings().appId());
        s.put("vendor.private-key", TestKeys.get().privateKeyFile().toString());
        s.put("vendor.retry.initial-delay", "20");
        s.put("vendor.retry.max-delay", "200");
        s.put("vendor.read-timeout", "3000");
        // no management server unless a test asks for one (on port 0): tests run side by side, never on 9876
        s.put("camel.management.enabled", "false");
        return s;
    }

    public static InProcessBridge start(Folders folders, SandboxVendor sandbox, Map<String, String> extra)
            throws Exception {
        return start(repo().resolve("config"), repo().resolve("routes"), folders, sandbox, extra);
    }

    public static InProcessBridge start(Path config, Path routes, Folders folders, SandboxVendor sandbox,
            Map<String, String> extra) throws Exception {
        Map<String, String> settings = testSettings(folders, sandbox);
        settings.putAll(extra);
        // a null value leaves the key to the config folder
        settings.values().removeIf(java.util.Objects::isNull);
        Main main = BridgeLauncher.create(config, routes, settings);
        main.start();
        return new InProcessBridge(main);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
