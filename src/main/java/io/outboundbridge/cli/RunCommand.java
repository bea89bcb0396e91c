package io.outboundbridge.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run}: the service, until stopped. */
@Command(name = "run", description = "Run the service: watch the inbox, send lists to the vendor, file them.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", description = "config folder (application.properties, profiles/)", defaultValue = "config")
    Path config;

    @Option(names = "--routes", description = "routes folder (*.camel.yaml)", defaultValue = "routes")
    Path routes;

    @Override
    public Integer call() {
        Main main;
        try {
            main = BridgeLauncher.create(config, routes, Map.of());
            main.run();
            return main.getExitCode();
        } catch (Exception e) {
            System.err.println("outbound-bridge cannot start: " + BridgeLauncher.reason(e));
            return 2;
        }
    }
}
