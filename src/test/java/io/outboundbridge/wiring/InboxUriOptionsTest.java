package io.outboundbridge.wiring;

import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Sandboxes;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.FileEndpointConfigurer;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.component.file.remote.SftpEndpointConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Camel options written into {@code bridge.inbox.uri} the way Camel users write them, for every option the inbox
 * routes set themselves: the service starts, and the URI's value is the one used.
 */
class InboxUriOptionsTest {

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

    /** The value of {@code option} on the endpoint the route consumes from. */
    private static Object option(InProcessBridge bridge, String routeId, String option) {
        Endpoint endpoint = bridge.context().getRoute(routeId).getEndpoint();
        PropertyConfigurerGetter getter = endpoint instanceof SftpEndpoint ? new SftpEndpointConfigurer()
                : new FileEndpointConfigurer();
        return getter.getOptionValue(endpoint, option, true);
    }

    /** Every option the local inbox route (poll-customer-drops) sets, with a value of the user's. */
    static final Map<String, String> FILE_OPTIONS = new TreeMap<>(Map.of(
            "recursive", "false",
            "include", "(?i).*\\.txt",
            "readLock", "fileLock",
            "readLockMinAge", "2345",
            "readLockCheckInterval", "345",
            "initialDelay", "4321",
            "delay", "1000",
            "preMove", "../held/${file:name}",
            "move", "../done/${file:name}",
            "moveFailed", "../failed/${file:name}"));

    /** Every option the partner SFTP route template (poll-partner-sftp) sets, with a value of the user's. */
    static final Map<String, String> SFTP_OPTIONS = new TreeMap<>(Map.ofEntries(
            Map.entry("recursive", "false"),
            Map.entry("include", "(?i).*\\.txt"),
            Map.entry("doneFileName", "${file:name}.ready"),
            Map.entry("readLock", "none"),
            Map.entry("readLockMinAge", "2345"),
            Map.entry("readLockCheckInterval", "345"),
            Map.entry("readLockTimeout", "45678"),
            Map.entry("delay", "1000"),
            Map.entry("preMove", "../held/${file:name}"),
            Map.entry("move", "../done/${file:name}"),
            Map.entry("moveFailed", "../failed/${file:name}"),
            Map.entry("jailStartingDirectory", "true"),
            Map.entry("binary", "false"),
            Map.entry("connectTimeout", "4567"),
            Map.entry("throwExceptionOnConnectFailed", "false"),
            Map.entry("maximumReconnectAttempts", "7"),
            Map.entry("reconnectDelay", "1234"),
            Map.entry("serverAliveInterval", "9876"),
            Map.entry("serverAliveCountMax", "5"),
            Map.entry("backoffErrorThreshold", "3"),
            Map.entry("backoffMultiplier", "4")));

    private static String query(Map<String, String> options) {
        return options.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    }

    @Test
    void should_start_with_every_option_the_local_inbox_route_sets_in_the_uri_and_use_the_uris_values()
            throws Exception {
        String uri = "file:" + folders.inbox() + "?" + query(FILE_OPTIONS);
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, Map.of("bridge.inbox.uri", uri))) {
            SoftAssertions soft = new SoftAssertions();
            FILE_OPTIONS.forEach((name, value) -> soft.assertThat(String.valueOf(option(bridge, "poll-customer-drops",
                    name))).as(name).contains(value.replace("${file:name}", "")));
            soft.assertAll();
        }
    }

    @Test
    void should_start_with_every_option_the_partner_route_sets_in_the_uri_and_use_the_uris_values()
            throws Exception {
        String uri = "sftp://partner@127.0.0.1:1/inbox?knownHostsFile=" + tmp.resolve("known_hosts") + "&"
                + query(SFTP_OPTIONS);
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, Map.of("bridge.inbox.uri", uri))) {
            SoftAssertions soft = new SoftAssertions();
            SFTP_OPTIONS.forEach((name, value) -> soft.assertThat(String.valueOf(option(bridge, "poll-sftp-inbox",
                    name))).as(name).contains(value.replace("${file:name}", "")));
            soft.assertAll();
        }
    }
}
