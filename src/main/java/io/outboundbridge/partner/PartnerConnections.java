package io.outboundbridge.partner;

import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.FileComponent;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.component.file.remote.SftpConfiguration;
import org.apache.camel.component.file.remote.SftpEndpoint;
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
 * Before the first poll of a partner after start-up, {@link RemoteRecovery} puts back the lists a stop or crash
 * left in its remote processing folder; until that is done, no poll of that partner runs.
 * <p>
 * A list the server refuses to let us read (the partner's user may list it but not read it) is reported once as
 * an ERROR naming it, nothing of it is sent, it goes back to the inbox and stays there untouched (this is also the
 * inboxes' file filter, see {@link UnreadableLists}) until the partner changes it; the other lists go on.
 */
public final class PartnerConnections implements PollingConsumerPollStrategy, ExceptionHandler,
        GenericFileFilter<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerConnections.class);

    private final Map<Endpoint, String> failing = new ConcurrentHashMap<>();
    /** The failure rollback just reported on this thread: the consumer hands it to the exception handler next. */
    private final ThreadLocal<Throwable> reported = new ThreadLocal<>();
    /** When each partner's remote processing folder was last looked at for lists to take back (System.nanoTime). */
    private final Map<Endpoint, Long> retaken = new ConcurrentHashMap<>();
    private final RemoteRecovery recovery;
    private final UnreadableLists unreadable = new UnreadableLists();
    /** The endpoint whose poll runs on this thread, from begin to commit or rollback: the filter's partner. */
    private final ThreadLocal<Endpoint> polling = new ThreadLocal<>();

    /** {@code recovered} is told the inbox name of each list put back, so its run resumes. */
    public PartnerConnections(java.util.function.Consumer<String> recovered) {
        this.recovery = new RemoteRecovery(recovered);
    }

    /**
     * Before the first poll of a partner: retakes what a stop or crash left in its remote processing folder. A
     * failure (server unreachable...) fails the poll like any other, and it is tried again at the next poll.
     */
    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        polling.set(endpoint);
        if (endpoint instanceof SftpEndpoint sftp && dueForTakeBack(sftp)) {
            recovery.retakeInterrupted(routeId(consumer), sftp);
            retaken.put(endpoint, System.nanoTime());
        }
        return true;
    }

    /**
     * Before the first poll; then, when several instances share the inbox (its read lock claims lists), every
     * take-over interval: another instance may have died with lists in the remote processing folder.
     */
    private boolean dueForTakeBack(SftpEndpoint sftp) {
        Long last = retaken.get(sftp);
        if (last == null) {
            return true;
        }
        Object lock = sftp.getExclusiveReadLockStrategy();
        return lock instanceof ClaimedSftpReadLock claims
                && System.nanoTime() - last > java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
                        claims.getTakeOverInterval());
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        polling.remove();
        if (failing.remove(endpoint) != null) {
            LOG.info("SFTP inbox {}: connected again to {}", routeId(consumer), server(endpoint));
        }
        if (endpoint instanceof SftpEndpoint sftp) {
            recovery.returnInterruptedDownloads(routeId(consumer), sftp);
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        polling.remove();
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
     * outage); a list the server refuses to let us read is an ERROR naming it, once (it is not taken again until
     * it changes); anything else (e.g. a download cut off half-way) is an ERROR.
     */
    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        boolean refused = exception != null && UnreadableLists.isRefusedRead(exception);
        String inboxPath = recovery.rememberInterruptedDownload(exchange, refused);
        if (refused && inboxPath != null) {
            Endpoint endpoint = exchange.getFromEndpoint();
            unreadable.refused(endpoint, exchange.getIn().getHeader(Exchange.FILE_NAME_CONSUMED, String.class),
                    exchange.getProperty(FileComponent.FILE_EXCHANGE_FILE, GenericFile.class));
            LOG.error("SFTP inbox {}: {} on {} may not be read ({}): nothing of it is sent; it goes back to the inbox "
                    + "and is left there until the partner changes it (its permissions, size or time)",
                    exchange.getFromRouteId(), inboxPath, server(endpoint), describe(null, exception));
            return;
        }
        if (exception != null && exception == reported.get()) {
            reported.remove();
            LOG.debug("{}", message, exception);
            return;
        }
        LOG.error("SFTP inbox: {}{}", message == null ? "" : message + ": ",
                exception == null ? "" : describe(null, exception));
    }

    /**
     * The inboxes' file filter: leaves alone a list refused before and unchanged since. It runs inside the poll
     * that {@link #begin} opened, on its thread, which tells whose inbox it is.
     */
    @Override
    public boolean accept(GenericFile<Object> file) {
        Endpoint endpoint = polling.get();
        return endpoint == null || !unreadable.skip(endpoint, file);
    }

    /** What went wrong, for a person: the innermost message, and for a refused host key the key presented. */
    static String describe(Endpoint endpoint, Throwable cause) {
        JSchHostKeyException hostKey = ObjectHelper.getException(JSchHostKeyException.class, cause);
        if (hostKey != null && endpoint instanceof SftpEndpoint sftp) {
            SftpConfiguration c = sftp.getConfiguration();
            String presented = HostKeyProbe.presentedKey(c.getHost(), c.getPort(), c.getConnectTimeout());
            String knownHosts = c.getKnownHostsFile() != null ? c.getKnownHostsFile()
                    : c.getKnownHostsUri() != null ? c.getKnownHostsUri()
                    : c.getKnownHosts() != null ? "the knownHosts option"
                    : "a known_hosts file (none is configured: set knownHostsFile)";
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

    private static String routeId(Consumer consumer) {
        return consumer instanceof RouteIdAware r && r.getRouteId() != null ? r.getRouteId() : "?";
    }

    static String server(Endpoint endpoint) {
        if (endpoint instanceof SftpEndpoint sftp) {
            SftpConfiguration c = sftp.getConfiguration();
            return "sftp://" + (c.getUsername() == null ? "" : c.getUsername() + "@") + c.getHost() + ":" + c.getPort()
                    + "/" + c.getDirectory();
        }
        return endpoint.getEndpointBaseUri();
    }
}
