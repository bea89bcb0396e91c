package io.outboundbridge.partner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.spi.EndpointStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our defaults for every SFTP endpoint, applied as Camel creates it:
 * <ul>
 * <li>strict host key checking unless the URI says otherwise: Camel's sftp component checks host keys only when
 * asked to ({@code strictHostKeyChecking} defaults to {@code no}), and a partner's server must present the key in
 * the configured known_hosts;</li>
 * <li>the configured known_hosts only ({@code knownHostsFile}, {@code knownHostsUri} or {@code knownHosts}), never
 * the service user's {@code ~/.ssh/known_hosts}, whatever the URI says: Camel reads that one too unless
 * {@code useUserKnownHostsFile=false}, and in 4.18.0 it even replaces a {@code knownHostsUri} with it
 * (CAMEL-24097, fixed upstream in 4.22.0). A key trusted there for another purpose must not open a partner's
 * inbox, nor a wrong one there close it;</li>
 * <li>an empty done-file option means "no done file", so that a setting can leave it empty;</li>
 * <li>the local work directory exists before the first download: downloads keep their path relative to the inbox
 * ({@code ../processing/NAME}), which the file system resolves only through an existing folder.</li>
 * </ul>
 */
public final class SftpEndpointDefaults implements EndpointStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(SftpEndpointDefaults.class);

    @Override
    public Endpoint registerEndpoint(String uri, Endpoint endpoint) {
        if (endpoint instanceof SftpEndpoint sftp) {
            String options = uri.toLowerCase(Locale.ROOT);
            if (!options.contains("stricthostkeychecking=")) {
                sftp.getConfiguration().setStrictHostKeyChecking("yes");
            }
            if (options.contains("useuserknownhostsfile=true")) {
                LOG.warn("SFTP endpoint {}: useUserKnownHostsFile=true is ignored; only the configured known_hosts "
                        + "(knownHostsFile) is trusted", PartnerConnections.server(sftp));
            }
            sftp.getConfiguration().setUseUserKnownHostsFile(false);
            if (sftp.getDoneFileName() != null && sftp.getDoneFileName().isBlank()) {
                sftp.setDoneFileName(null);
            }
            if (sftp.getLocalWorkDirectory() != null) {
                try {
                    Files.createDirectories(Path.of(sftp.getLocalWorkDirectory()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the SFTP download folder "
                            + sftp.getLocalWorkDirectory(), e);
                }
            }
        }
        return endpoint;
    }
}
