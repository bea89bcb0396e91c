package io.outboundbridge.observe;

import java.net.URI;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Camel's management server listens (health at {@code /observe/health}, metrics at {@code /observe/metrics}),
 * logged once Camel Main has started: with {@code camel.management.port=0} the port is only known then.
 */
public final class ManagementAddress {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementAddress.class);

    /** The management server's address, once it has started; empty when it is off. */
    public static Optional<URI> of(CamelContext context) {
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        if (server == null || server.getServer() == null) {
            return Optional.empty();
        }
        String host = server.getHost();
        return Optional.of(URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + server.getPort()));
    }

    /** Logs {@code management on http://HOST:PORT} when the management server runs. */
    public static void log(CamelContext context) {
        of(context).ifPresent(uri -> LOG.info("management on {}", uri));
    }

    private ManagementAddress() {
    }
}
