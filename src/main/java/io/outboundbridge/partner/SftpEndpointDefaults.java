package io.outboundbridge.partner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.spi.EndpointStrategy;

/**
 * Our defaults for every SFTP endpoint, applied as Camel creates it:
 * <ul>
 * <li>strict host key checking unless the URI says otherwise: Camel's sftp component checks host keys only when
 * asked to ({@code strictHostKeyChecking} defaults to {@code no}), and a partner's server must present the key in
 * the configured known_hosts;</li>
 * <li>an empty done-file option means "no done file", so that a setting can leave it empty;</li>
 * <li>the local work directory exists before the first download: downloads keep their path relative to the inbox
 * ({@code ../processing/NAME}), which the file system resolves only through an existing folder.</li>
 * </ul>
 */
public final class SftpEndpointDefaults implements EndpointStrategy {

    @Override
    public Endpoint registerEndpoint(String uri, Endpoint endpoint) {
        if (endpoint instanceof SftpEndpoint sftp) {
            if (!uri.toLowerCase(Locale.ROOT).contains("stricthostkeychecking=")) {
                sftp.getConfiguration().setStrictHostKeyChecking("yes");
            }
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
