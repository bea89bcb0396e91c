package io.outboundbridge.partner;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import com.jcraft.jsch.UserInfo;
import io.outboundbridge.reading.InboxNames;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.component.file.remote.RemoteFileOperations;
import org.apache.camel.component.file.remote.SftpConfiguration;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.component.file.remote.SftpRemoteFile;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll strategy of the SFTP partner inboxes: a failed poll (server unreachable, login refused, host key
 * refused) is an ERROR naming the partner's route, the server and the reason, logged once per outage rather than
 * at every poll, and the return of the connection is logged too. The consumer itself retries at later polls,
 * with back-off, forever; its health check is DOWN meanwhile.
 * <p>
 * A refused host key is reported with the fingerprint of the key the server presents, so the operator can
 * compare it with the one the partner announced.
 * <p>
 * Before the first poll of a partner after start-up, the lists a stop or crash left in the partner's remote
 * processing folder go back to the remote inbox and are registered with the ledger as recovered, so their
 * interrupted runs resume after their last confirmed request. Until that is done, no poll of that partner runs.
 */
public final class PartnerConnections implements PollingConsumerPollStrategy, ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerConnections.class);

    private final Map<Endpoint, String> failing = new ConcurrentHashMap<>();
    /** Lists cut off during download, per endpoint: their path in the processing folder and in the inbox. */
    private final Map<Endpoint, Map<String, String>> toReturn = new ConcurrentHashMap<>();
    /** The failure rollback just reported on this thread: the consumer hands it to the exception handler next. */
    private final ThreadLocal<Throwable> reported = new ThreadLocal<>();
    /** Partners whose remote processing folder was emptied since start-up. */
    private final Set<Endpoint> retaken = ConcurrentHashMap.newKeySet();
    /** Told the inbox name of each list put back, so its run resumes instead of being refused as a duplicate. */
    private final java.util.function.Consumer<String> recovered;

    public PartnerConnections(java.util.function.Consumer<String> recovered) {
        this.recovered = recovered;
    }

    /**
     * Before the first poll of a partner: retakes what a stop or crash left in its remote processing folder. A
     * failure (server unreachable...) fails the poll like any other, and it is tried again at the next poll.
     */
    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        if (endpoint instanceof SftpEndpoint sftp && !retaken.contains(endpoint)) {
            retakeInterrupted(consumer, sftp);
            retaken.add(endpoint);
        }
        return true;
    }

    /**
     * Moves every list in the remote processing folder (profile subfolders included) back to the same place in
     * the inbox, and tells the ledger, so its run resumes instead of being refused as a duplicate. This runs
     * before this service took anything: what is there was left by an earlier run of it.
     */
    private void retakeInterrupted(Consumer consumer, SftpEndpoint sftp) {
        String processingFolder = remoteProcessing(sftp);
        if (processingFolder == null) {
            return;
        }
        String inbox = sftp.getConfiguration().getDirectory();
        String processing = inbox + "/" + processingFolder;
        RemoteFileOperations<?> operations = sftp.createRemoteFileOperations();
        try {
            operations.connect(sftp.getConfiguration(), null);
            retake(consumer, operations, processing, inbox, "");
        } finally {
            operations.disconnect();
        }
    }

    private void retake(Consumer consumer, RemoteFileOperations<?> operations, String processing, String inbox,
            String relativeDir) {
        String dir = relativeDir.isEmpty() ? processing : processing + "/" + relativeDir;
        Object[] entries;
        try {
            entries = operations.listFiles(dir);
        } catch (GenericFileOperationFailedException e) {
            if (e.getCause() instanceof SftpException s && s.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return; // no processing folder yet: nothing was ever left there
            }
            throw e;
        }
        for (Object o : entries) {
            SftpRemoteFile<?> entry = (SftpRemoteFile<?>) o;
            String name = entry.getFilename();
            if (name.equals(".") || name.equals("..")) {
                continue;
            }
            String relative = relativeDir.isEmpty() ? name : relativeDir + "/" + name;
            if (entry.isDirectory()) {
                retake(consumer, operations, processing, inbox, relative);
                continue;
            }
            String from = processing + "/" + relative;
            // a list of that name is in the inbox again: this one goes back under a free name, never left where
            // the next preMove of that name would overwrite it
            String back = InboxNames.retaken(relative, r -> operations.existsFile(inbox + "/" + r));
            String to = inbox + "/" + back;
            if (!back.equals(relative)) {
                LOG.warn("SFTP inbox {}: {} is in the inbox again; the one left in processing goes back as {}",
                        routeId(consumer), relative, back);
            }
            relative = back;
            int slash = to.lastIndexOf('/');
            operations.buildDirectory(to.substring(0, slash), false);
            operations.renameFile(from, to);
            recovered.accept(relative);
            LOG.warn("SFTP inbox {}: {} was left in processing by a stop or crash; moved back to {} to be taken "
                    + "again, resuming after its last confirmed request", routeId(consumer), from, to);
        }
    }

    /**
     * The partner's remote processing folder relative to its inbox ({@code ../processing}): the preMove of the
     * route evaluated for a file named by a marker, less the marker.
     */
    private static String remoteProcessing(SftpEndpoint sftp) {
        Expression preMove = sftp.getPreMove();
        if (preMove == null) {
            return null;
        }
        String marker = "retake-marker-" + System.nanoTime();
        Exchange probe = sftp.createExchange();
        probe.getIn().setHeader(Exchange.FILE_NAME, marker);
        String moved = preMove.evaluate(probe, String.class);
        if (moved == null || !moved.endsWith("/" + marker)) {
            LOG.warn("SFTP endpoint {}: preMove does not end with the file name; lists left in processing by a "
                    + "crash are not retaken", server(sftp));
            return null;
        }
        return moved.substring(0, moved.length() - marker.length() - 1);
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        if (failing.remove(endpoint) != null) {
            LOG.info("SFTP inbox {}: connected again to {}", routeId(consumer), server(endpoint));
        }
        returnInterruptedDownloads(consumer, endpoint);
    }

    /**
     * A list whose download was cut off was already moved to the processing folder, and nothing of it was read:
     * once the server answers again it goes back to the inbox, to be taken again at the next poll.
     */
    private void returnInterruptedDownloads(Consumer consumer, Endpoint endpoint) {
        Map<String, String> pending = toReturn.get(endpoint);
        if (pending == null || pending.isEmpty() || !(endpoint instanceof SftpEndpoint sftp)) {
            return;
        }
        RemoteFileOperations<?> operations = sftp.createRemoteFileOperations();
        try {
            operations.connect(sftp.getConfiguration(), null);
            for (Map.Entry<String, String> e : Map.copyOf(pending).entrySet()) {
                operations.renameFile(e.getKey(), e.getValue());
                pending.remove(e.getKey());
                LOG.warn("SFTP inbox {}: {} was cut off during download; moved back to {} to be taken again",
                        routeId(consumer), e.getKey(), e.getValue());
            }
        } catch (RuntimeException e) {
            LOG.debug("SFTP inbox {}: cannot move interrupted downloads back yet: {}", routeId(consumer),
                    e.getMessage());
        } finally {
            operations.disconnect();
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        reported.set(cause);
        String reason = describe(endpoint, cause);
        String before = failing.put(endpoint, reason);
        if (!Objects.equals(before, reason)) {
            LOG.error("SFTP inbox {}: cannot poll {}: {}. Retrying with back-off until it works; health is DOWN "
                    + "meanwhile", routeId(consumer), server(endpoint), reason);
        } else {
            LOG.debug("SFTP inbox {}: still cannot poll {}: {}", routeId(consumer), server(endpoint), reason);
        }
        return false;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    /**
     * Failures the consumer reports besides polls: a failed poll was already logged by {@link #rollback} (once per
     * outage), anything else (e.g. a download cut off half-way) is an ERROR.
     */
    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        rememberInterruptedDownload(exchange);
        if (exception != null && exception == reported.get()) {
            reported.remove();
            LOG.debug("{}", message, exception);
            return;
        }
        LOG.error("SFTP inbox: {}{}", message == null ? "" : message + ": ",
                exception == null ? "" : describe(null, exception));
    }

    /**
     * The consumer reports a file it could not download (the exchange never reached the routes, so nothing was
     * sent) with the file already in the processing folder: remember to move it back.
     */
    private void rememberInterruptedDownload(Exchange exchange) {
        if (exchange == null || !(exchange.getFromEndpoint() instanceof SftpEndpoint sftp)) {
            return;
        }
        String now = exchange.getIn().getHeader(Exchange.FILE_PATH, String.class);
        String consumed = exchange.getIn().getHeader(Exchange.FILE_NAME_CONSUMED, String.class);
        if (now == null || consumed == null || exchange.getProperty("run") != null) {
            return; // not taken yet, or the routes already had it: the list's own outcome applies
        }
        String inbox = sftp.getConfiguration().getDirectory() + "/" + consumed;
        if (!now.equals(inbox)) {
            toReturn.computeIfAbsent(sftp, k -> new ConcurrentHashMap<>()).put(now, inbox);
        }
    }

    /** What went wrong, for a person: the innermost message, and for a refused host key the key presented. */
    static String describe(Endpoint endpoint, Throwable cause) {
        JSchHostKeyException hostKey = ObjectHelper.getException(JSchHostKeyException.class, cause);
        if (hostKey != null && endpoint instanceof SftpEndpoint sftp) {
            SftpConfiguration c = sftp.getConfiguration();
            String presented = presentedKey(c.getHost(), c.getPort(), c.getConnectTimeout());
            String knownHosts = c.getKnownHostsFile() != null ? c.getKnownHostsFile()
                    : c.getKnownHostsUri() != null ? c.getKnownHostsUri() : "~/.ssh/known_hosts";
            String what = hostKey instanceof JSchChangedHostKeyException
                    ? "host key CHANGED: the key of " + c.getHost() + ":" + c.getPort() + " differs from its entry in "
                            + knownHosts
                    : hostKey instanceof JSchUnknownHostKeyException
                            ? "host key UNKNOWN: " + c.getHost() + ":" + c.getPort() + " has no entry in " + knownHosts
                            : "host key refused for " + c.getHost() + ":" + c.getPort() + " (" + hostKey.getMessage()
                                    + ")";
            return what + "; the server presents " + presented + ". Connection refused; if the partner confirms "
                    + "this key, put it in " + knownHosts;
        }
        String outer = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String inner = null;
        for (Throwable t = cause.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null) {
                inner = t.getMessage();
            }
        }
        return inner == null || outer.contains(inner) ? outer : outer + " (" + inner + ")";
    }

    /**
     * Type and SHA256 fingerprint of the key the server presents. The probe stops at the host key check, before
     * any credential is sent.
     */
    static String presentedKey(String host, int port, int timeoutMillis) {
        JSch jsch = new JSch();
        HostKey[] seen = new HostKey[1];
        jsch.setHostKeyRepository(new CapturingRepository(seen));
        Session session = null;
        try {
            session = jsch.getSession("host-key-probe", host, port);
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setUserInfo(new Silent());
            session.connect(timeoutMillis > 0 ? timeoutMillis : 10_000);
        } catch (JSchException expected) {
            // the probe always ends here: the captured key is refused on purpose
        } finally {
            if (session != null) {
                session.disconnect();
            }
        }
        return seen[0] == null ? "(no key: the server could not be reached again)"
                : seen[0].getType() + " key " + seen[0].getFingerPrint(jsch);
    }

    private static String routeId(Consumer consumer) {
        return consumer instanceof RouteIdAware r && r.getRouteId() != null ? r.getRouteId() : "?";
    }

    private static String server(Endpoint endpoint) {
        if (endpoint instanceof SftpEndpoint sftp) {
            SftpConfiguration c = sftp.getConfiguration();
            return "sftp://" + (c.getUsername() == null ? "" : c.getUsername() + "@") + c.getHost() + ":" + c.getPort()
                    + "/" + c.getDirectory();
        }
        return endpoint.getEndpointBaseUri();
    }

    /** Remembers the key a server presents and refuses it. */
    private record CapturingRepository(HostKey[] seen) implements HostKeyRepository {

        @Override
        public int check(String host, byte[] key) {
            try {
                seen[0] = new HostKey(host, key);
            } catch (JSchException e) {
                seen[0] = null;
            }
            return NOT_INCLUDED;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return "host-key-probe";
        }

        @Override
        public HostKey[] getHostKey() {
            return new HostKey[0];
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return new HostKey[0];
        }
    }

    /** Answers no to every question (never adds a key). */
    private static final class Silent implements UserInfo {
        @Override
        public String getPassphrase() {
            return null;
        }

        @Override
        public String getPassword() {
            return null;
        }

        @Override
        public boolean promptPassword(String message) {
            return false;
        }

        @Override
        public boolean promptPassphrase(String message) {
            return false;
        }

        @Override
        public boolean promptYesNo(String message) {
            return false;
        }

        @Override
        public void showMessage(String message) {
        }
    }
}
