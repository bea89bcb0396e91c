package io.outboundbridge.partner;

import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.component.file.remote.RemoteFileConfiguration;
import org.apache.camel.component.file.remote.RemoteFileOperations;
import org.apache.camel.component.file.remote.SftpComponent;
import org.apache.camel.component.file.remote.SftpConfiguration;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.component.file.remote.SftpOperations;
import org.apache.camel.component.file.remote.SftpRemoteFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's sftp component (bound as {@code sftp}) with two repairs of the camel-ftp 4.18.0 we run, for every SFTP
 * endpoint:
 * <ul>
 * <li>an endpoint's {@code ciphers} and {@code keyExchangeProtocols} apply to its own SSH sessions only. Camel sets
 * them with {@code JSch.setConfig}, JSch's defaults for the whole JVM, so one partner's cipher became every other
 * partner's (fixed upstream by CAMEL-24098, in 4.22.0);</li>
 * <li>a download the server refuses (a list the partner's user may not read) leaves the connection in the folder
 * it polls. Camel changes into the list's folder to download it and does not change back when the download
 * fails, so every later poll of that connection looked for the inbox inside the processing folder and failed.</li>
 * </ul>
 * Everything else is Camel's own: options, configurers and behaviour.
 */
// the annotation names the component, so that Camel finds the sftp option configurers for it
@org.apache.camel.spi.annotations.Component("sftp")
public class PartnerSftpComponent extends SftpComponent {

    @Override
    protected GenericFileEndpoint<SftpRemoteFile> buildFileEndpoint(String uri, String remaining,
            Map<String, Object> parameters) throws Exception {
        SftpEndpoint stock = (SftpEndpoint) super.buildFileEndpoint(uri, remaining, parameters);
        return new PartnerSftpEndpoint(uri, this, stock.getConfiguration());
    }

    /** Takes the session-wide options out of the configuration, where Camel would apply them to the whole JVM. */
    @Override
    protected void afterPropertiesSet(GenericFileEndpoint<SftpRemoteFile> endpoint) throws Exception {
        super.afterPropertiesSet(endpoint);
        PartnerSftpEndpoint sftp = (PartnerSftpEndpoint) endpoint;
        SftpConfiguration c = sftp.getConfiguration();
        sftp.ciphers = c.getCiphers();
        sftp.keyExchangeProtocols = c.getKeyExchangeProtocols();
        c.setCiphers(null);
        c.setKeyExchangeProtocols(null);
    }

    /** An sftp endpoint whose connections are {@link SessionScopedOperations}. */
    static final class PartnerSftpEndpoint extends SftpEndpoint {

        private String ciphers;
        private String keyExchangeProtocols;

        PartnerSftpEndpoint(String uri, SftpComponent component, SftpConfiguration configuration) {
            super(uri, component, configuration);
        }

        @Override
        public RemoteFileOperations<SftpRemoteFile> createRemoteFileOperations() {
            SessionScopedOperations operations = new SessionScopedOperations(this);
            operations.setEndpoint(this);
            return operations;
        }
    }

    /**
     * Camel's operations, with the endpoint's algorithms set on each session, the folder kept on a refusal, and a
     * folder another instance made meanwhile taken as made.
     */
    static final class SessionScopedOperations extends SftpOperations {

        private static final Logger LOG = LoggerFactory.getLogger(SessionScopedOperations.class);

        private final PartnerSftpEndpoint endpoint;

        SessionScopedOperations(PartnerSftpEndpoint endpoint) {
            super(endpoint.getProxy());
            this.endpoint = endpoint;
        }

        @Override
        protected Session createSession(RemoteFileConfiguration configuration) throws JSchException {
            Session session = super.createSession(configuration);
            if (endpoint.ciphers != null && !endpoint.ciphers.isBlank()) {
                session.setConfig("cipher.c2s", endpoint.ciphers);
                session.setConfig("cipher.s2c", endpoint.ciphers);
            }
            if (endpoint.keyExchangeProtocols != null && !endpoint.keyExchangeProtocols.isBlank()) {
                session.setConfig("kex", endpoint.keyExchangeProtocols);
            }
            return session;
        }

        /**
         * Several instances on one inbox file lists into the same new day folder at the same moment: Camel looks for
         * the folder, then makes it, and another instance's mkdir between the two fails this one's move. A second
         * attempt finds the folder (and fails as the first did when it truly cannot be made).
         */
        @Override
        public boolean buildDirectory(String directory, boolean absolute) {
            try {
                return super.buildDirectory(directory, absolute);
            } catch (GenericFileOperationFailedException e) {
                LOG.debug("building {} failed ({}); once more, in case another client made it meanwhile", directory,
                        e.getMessage());
                return super.buildDirectory(directory, absolute);
            }
        }

        @Override
        public boolean retrieveFile(String name, Exchange exchange, long size) {
            String folder = endpoint.getConfiguration().isStepwise() ? getCurrentDirectory() : null;
            try {
                return super.retrieveFile(name, exchange, size);
            } catch (RuntimeException e) {
                if (folder != null) {
                    try {
                        changeCurrentDirectory(folder);
                    } catch (GenericFileOperationFailedException lost) {
                        // the connection itself is gone: the next poll connects again, in the right folder
                        LOG.debug("cannot change back to {} after a failed download: {}", folder, lost.getMessage());
                    }
                }
                throw e;
            }
        }
    }
}
