package io.outboundbridge.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outboundbridge.cli.BridgeLauncher;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Sandboxes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routes folder as deployments reach it: through a symlink, or as a Kubernetes ConfigMap mounts it (each file a
 * symlink into {@code ..data}, itself a symlink to a dated folder). A folder without the routes the service needs
 * stops the start, naming the folder.
 */
class RoutesFolderTest {

    static final String LIST = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,"
            + "mobile3,relation3\n张三,,P1,,13800000001,,,,,\n";

    @TempDir
    Path tmp;

    private SandboxVendor sandbox;
    private Folders folders;

    @BeforeEach
    void start() {
        sandbox = Sandboxes.start();
        folders = new Folders(tmp.resolve("data"));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(InProcessBridge.repo().resolve("routes"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    private void assertSendsAList(Path routes) throws Exception {
        try (InProcessBridge bridge = InProcessBridge.start(InProcessBridge.repo().resolve("config"), routes, folders,
                sandbox, Map.of())) {
            folders.drop("linked.csv", LIST);
            assertThat(folders.awaitOutcome("linked.csv").archived()).isTrue();
            assertThat(sandbox.totalCustomers()).isEqualTo(1);
        }
    }

    @Test
    void should_load_the_routes_of_a_folder_reached_through_a_symlink() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("routes"), InProcessBridge.repo().resolve("routes"));
        assertSendsAList(link);
    }

    @Test
    void should_load_the_routes_of_a_folder_mounted_as_a_kubernetes_config_map() throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("etc/outbound-bridge/routes"));
        Path dated = Files.createDirectories(mount.resolve("..2026_12_06_10_00_00.123456789"));
        Files.createSymbolicLink(mount.resolve("..data"), dated.getFileName());
        for (Path file : routeFiles()) {
            Files.copy(file, dated.resolve(file.getFileName()));
            Files.createSymbolicLink(mount.resolve(file.getFileName()), Path.of("..data").resolve(file.getFileName()));
        }
        // and the deployment reaches the mount through a symlink of its own
        Path routes = Files.createSymbolicLink(tmp.resolve("routes"), mount);
        assertSendsAList(routes);
    }

    @Test
    void should_refuse_to_start_with_no_route_naming_the_folder() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty-routes"));
        assertThatThrownBy(() -> InProcessBridge.start(InProcessBridge.repo().resolve("config"), empty, folders,
                sandbox, Map.of()).close())
                .satisfies(e -> assertThat(BridgeLauncher.reason(e)).contains("no route", empty.toString()));
    }

    @Test
    void should_refuse_to_start_without_a_route_the_service_needs_naming_it_and_the_folder() throws Exception {
        Path partial = Files.createDirectories(tmp.resolve("partial-routes"));
        for (Path file : routeFiles()) {
            if (!file.getFileName().toString().equals("file-outcome.camel.yaml")) {
                Files.copy(file, partial.resolve(file.getFileName()));
            }
        }
        assertThatThrownBy(() -> InProcessBridge.start(InProcessBridge.repo().resolve("config"), partial, folders,
                sandbox, Map.of()).close())
                .satisfies(e -> assertThat(BridgeLauncher.reason(e)).contains("file-outcome", partial.toString()));
    }
}
