package io.outboundbridge.partner;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpException;
import io.outboundbridge.reading.InboxNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.component.file.remote.RemoteFileOperations;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.component.file.remote.SftpRemoteFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partner crash recovery on the server: at poll start (the first after start-up, then every take-over interval), the
 * lists in the partner's remote processing folder that no instance works on any more (their claim lapsed, or they
 * have none: the instance stopped or died) go back to the remote inbox and are registered as recovered, so their
 * interrupted runs resume after their last confirmed request; a list whose download was cut off or refused (nothing
 * of it was read) goes back to the inbox once the server answers again.
 */
final class RemoteRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteRecovery.class);

    /** Lists cut off or refused during download, per endpoint: their path in the processing folder, and where to. */
    private final Map<Endpoint, Map<String, Return>> toReturn = new ConcurrentHashMap<>();
    private final Consumer<String> recovered;

    RemoteRecovery(Consumer<String> recovered) {
        this.recovered = recovered;
    }

    /**
     * Moves every list in the remote processing folder (profile subfolders included) that no instance works on back
     * to the same place in the inbox, and tells the ledger, so its run resumes instead of being refused as a
     * duplicate.
     */
    void retakeInterrupted(String routeId, SftpEndpoint sftp) {
        String processingFolder = remoteProcessing(sftp);
        if (processingFolder == null) {
            return;
        }
        String inbox = sftp.getConfiguration().getDirectory();
        String processing = inbox + "/" + processingFolder;
        RemoteFileOperations<?> operations = sftp.createRemoteFileOperations();
        try {
            operations.connect(sftp.getConfiguration(), null);
            Object lock = sftp.getExclusiveReadLockStrategy();
            retake(routeId, operations, processing, inbox, "", lock instanceof ClaimedSftpReadLock c ? c : null);
        } finally {
            operations.disconnect();
        }
    }

    private void retake(String routeId, RemoteFileOperations<?> operations, String processing, String inbox,
            String relativeDir, ClaimedSftpReadLock claims) {
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
                retake(routeId, operations, processing, inbox, relative, claims);
                continue;
            }
            String from = processing + "/" + relative;
            // a list of that name is in the inbox again: this one goes back under a free name, never left where
            // the next preMove of that name would overwrite it
            String back = InboxNames.retaken(relative, r -> operations.existsFile(inbox + "/" + r));
            String to = inbox + "/" + back;
            if (!back.equals(relative)) {
                LOG.warn("SFTP inbox {}: {} is in the inbox again; the one left in processing goes back as {}",
                        routeId, relative, back);
            }
            // with several instances, only a list no instance works on any more, claimed first so that exactly one
            // instance moves it back; released once it is back, for whichever instance takes it
            if (claims != null) {
                // the claim is released by its instance only once the list has left processing: a list still there
                // once we hold its claim was left by an instance that no longer works on it
                if (!claims.claim(relative)) {
                    continue;
                }
                try {
                    if (!operations.existsFile(from)) {
                        continue;
                    }
                    int slash = to.lastIndexOf('/');
                    operations.buildDirectory(to.substring(0, slash), false);
                    operations.renameFile(from, to);
                } catch (GenericFileOperationFailedException e) {
                    LOG.warn("SFTP inbox {}: cannot move {}, which no instance works on, back to the inbox now: {}",
                            routeId, from, e.getMessage());
                    continue;
                } finally {
                    claims.release(relative);
                }
            } else {
                int slash = to.lastIndexOf('/');
                operations.buildDirectory(to.substring(0, slash), false);
                operations.renameFile(from, to);
            }
            relative = back;
            recovered.accept(relative);
            LOG.warn("SFTP inbox {}: {} was left in processing by a stop or crash; moved back to {} to be taken "
                    + "again, resuming after its last confirmed request", routeId, from, to);
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
                    + "crash are not retaken", PartnerConnections.server(sftp));
            return null;
        }
        return moved.substring(0, moved.length() - marker.length() - 1);
    }

    /**
     * A list whose download was cut off was already moved to the processing folder, and nothing of it was read:
     * once the server answers again it goes back to the inbox, to be taken again at the next poll.
     */
    void returnInterruptedDownloads(String routeId, SftpEndpoint sftp) {
        Map<String, Return> pending = toReturn.get(sftp);
        if (pending == null || pending.isEmpty()) {
            return;
        }
        RemoteFileOperations<?> operations = sftp.createRemoteFileOperations();
        try {
            operations.connect(sftp.getConfiguration(), null);
            for (Map.Entry<String, Return> e : Map.copyOf(pending).entrySet()) {
                operations.renameFile(e.getKey(), e.getValue().inbox());
                pending.remove(e.getKey());
                if (e.getValue().refused()) {
                    // the refusal itself was reported: this is its expected end
                    LOG.info("SFTP inbox {}: {}, which we may not read, is back in {}", routeId, e.getKey(),
                            e.getValue().inbox());
                } else {
                    LOG.warn("SFTP inbox {}: {} was cut off during download; moved back to {} to be taken again",
                            routeId, e.getKey(), e.getValue().inbox());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("SFTP inbox {}: cannot move interrupted downloads back yet: {}", routeId,
                    e.getMessage());
        } finally {
            operations.disconnect();
        }
    }

    /**
     * The consumer reports a file it could not download (the exchange never reached the routes, so nothing was
     * sent) with the file already in the processing folder: remember to move it back. {@code refused}: the server
     * refused to let us read it (reported by the caller), rather than the download being cut off.
     *
     * @return the list's path in the inbox, or null if it is not one to move back
     */
    String rememberInterruptedDownload(Exchange exchange, boolean refused) {
        if (exchange == null || !(exchange.getFromEndpoint() instanceof SftpEndpoint sftp)) {
            return null;
        }
        String now = exchange.getIn().getHeader(Exchange.FILE_PATH, String.class);
        String consumed = exchange.getIn().getHeader(Exchange.FILE_NAME_CONSUMED, String.class);
        if (now == null || consumed == null || exchange.getProperty("run") != null) {
            return null; // not taken yet, or the routes already had it: the list's own outcome applies
        }
        // Camel's consumer abandons a list it could not download without releasing its read lock: the claim goes
        if ((Object) sftp.getExclusiveReadLockStrategy() instanceof ClaimedSftpReadLock claims) {
            claims.release(exchange);
        }
        String inbox = sftp.getConfiguration().getDirectory() + "/" + consumed;
        if (!now.equals(inbox)) {
            toReturn.computeIfAbsent(sftp, k -> new ConcurrentHashMap<>()).put(now, new Return(inbox, refused));
        }
        return inbox;
    }

    /** Where a list left in the processing folder by a failed download goes back to, and why it failed. */
    private record Return(String inbox, boolean refused) {
    }
}
