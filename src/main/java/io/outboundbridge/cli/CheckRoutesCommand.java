package io.outboundbridge.cli;

import io.outboundbridge.wiring.RouteFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code check-routes}: what an operator runs after editing routes/, and what the build runs on every package. */
@Command(name = "check-routes",
        description = "Check routes/*.camel.yaml against Camel's YAML DSL schema and our one-route-per-file rule.")
final class CheckRoutesCommand implements Callable<Integer> {

    @Option(names = "--routes", description = "routes folder", defaultValue = "routes")
    Path routes;

    @Override
    public Integer call() {
        try {
            List<String> problems = RouteFiles.check(routes);
            if (problems.isEmpty()) {
                System.out.println("routes OK: " + routes.toAbsolutePath().normalize());
                return 0;
            }
            problems.forEach(p -> System.err.println("route error: " + p));
            return 1;
        } catch (RuntimeException e) {
            System.err.println("check-routes: " + e.getMessage());
            return 2;
        }
    }
}
