package io.outboundbridge.partner;

import com.jcraft.jsch.ChannelSftp;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileExclusiveReadLockStrategy;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.remote.strategy.SftpChangedExclusiveReadLockStrategy;
import org.apache.camel.spi.IdempotentRepository;

/**
 * The read lock of a partner's SFTP inbox when several instances poll it: as the file component's
 * {@code idempotent-changed} (which the sftp component lacks), a list is taken only by the instance whose claim on
 * it ({@code idempotentRepository}, the ledger's list claims) it gets, then only once it has settled (Camel's
 * {@code changed} read lock for SFTP); the claim is released when the list is filed or the take fails. Keys are the
 * list's name in the inbox behind the partner's prefix ({@code sftp:PARTNER:}), so two partners never share one.
 */
public final class ClaimedSftpReadLock implements GenericFileExclusiveReadLockStrategy<ChannelSftp.LsEntry> {

    /** The exchange property the list's claim key is kept in between taking and releasing it. */
    static final String KEY = "OutboundBridgeClaimKey";

    private final SftpChangedExclusiveReadLockStrategy changed = new SftpChangedExclusiveReadLockStrategy();
    private IdempotentRepository idempotentRepository;
    private String keyPrefix = "";
    private long takeOverInterval = 2000;

    public ClaimedSftpReadLock() {
        // as the endpoint's readLockLoggingLevel defaults: a list still changing is not news
        changed.setReadLockLoggingLevel(LoggingLevel.DEBUG);
    }

    /** Milliseconds between looks for lists in the remote processing folder that no instance works on any more. */
    public void setTakeOverInterval(long takeOverInterval) {
        this.takeOverInterval = takeOverInterval;
    }

    long getTakeOverInterval() {
        return takeOverInterval;
    }

    public void setIdempotentRepository(IdempotentRepository idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public void setMinAge(long minAge) {
        changed.setMinAge(minAge);
    }

    public void setMinLength(long minLength) {
        changed.setMinLength(minLength);
    }

    /** The key of a list by its name relative to the inbox ({@code vip/list.csv}). */
    String key(String inboxRelativeName) {
        return keyPrefix + inboxRelativeName.replace('\\', '/');
    }

    /** Claims a list left in the remote processing folder, to take it back: false when an instance holds it. */
    boolean claim(String inboxRelativeName) {
        return idempotentRepository.add(key(inboxRelativeName));
    }

    /** Lets go of a claim taken with {@link #claim}: the list is back in the inbox, for any instance. */
    void release(String inboxRelativeName) {
        idempotentRepository.remove(key(inboxRelativeName));
    }

    @Override
    public void prepareOnStartup(GenericFileOperations<ChannelSftp.LsEntry> operations,
            GenericFileEndpoint<ChannelSftp.LsEntry> endpoint) throws Exception {
        changed.prepareOnStartup(operations, endpoint);
    }

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<ChannelSftp.LsEntry> operations,
            GenericFile<ChannelSftp.LsEntry> file, Exchange exchange) throws Exception {
        String key = key(file.getRelativeFilePath());
        if (!idempotentRepository.add(key)) {
            return false;
        }
        boolean settled = false;
        try {
            // another instance may have taken it since it was listed: its claim is released only once it left
            settled = stillThere(operations, file) && changed.acquireExclusiveReadLock(operations, file, exchange);
        } finally {
            if (settled) {
                exchange.setProperty(KEY, key);
            } else {
                idempotentRepository.remove(key);
            }
        }
        return settled;
    }

    /**
     * Whether the list is still in the inbox (Camel's changed read lock takes a file that vanished for a settled
     * 0-byte one).
     */
    private static boolean stillThere(GenericFileOperations<ChannelSftp.LsEntry> operations,
            GenericFile<ChannelSftp.LsEntry> file) {
        String parent = file.getParent();
        Object[] files = parent.equals("/") || parent.equals("\\") ? operations.listFiles()
                : operations.listFiles(parent);
        for (Object f : files) {
            if (((org.apache.camel.component.file.remote.SftpRemoteFile<?>) f).getFilename()
                    .equals(file.getFileNameOnly())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void releaseExclusiveReadLockOnAbort(GenericFileOperations<ChannelSftp.LsEntry> operations,
            GenericFile<ChannelSftp.LsEntry> file, Exchange exchange) throws Exception {
        release(exchange);
        changed.releaseExclusiveReadLockOnAbort(operations, file, exchange);
    }

    @Override
    public void releaseExclusiveReadLockOnRollback(GenericFileOperations<ChannelSftp.LsEntry> operations,
            GenericFile<ChannelSftp.LsEntry> file, Exchange exchange) throws Exception {
        release(exchange);
        changed.releaseExclusiveReadLockOnRollback(operations, file, exchange);
    }

    @Override
    public void releaseExclusiveReadLockOnCommit(GenericFileOperations<ChannelSftp.LsEntry> operations,
            GenericFile<ChannelSftp.LsEntry> file, Exchange exchange) throws Exception {
        release(exchange);
        changed.releaseExclusiveReadLockOnCommit(operations, file, exchange);
    }

    /**
     * Releases the claim taken for {@code exchange}'s list, if any: also for a list whose download failed, which
     * Camel's consumer abandons without releasing its read lock.
     */
    void release(Exchange exchange) {
        String key = exchange.getProperty(KEY, String.class);
        if (key != null) {
            exchange.removeProperty(KEY);
            idempotentRepository.remove(key);
        }
    }

    @Override
    public void setTimeout(long timeout) {
        changed.setTimeout(timeout);
    }

    @Override
    public void setCheckInterval(long checkInterval) {
        changed.setCheckInterval(checkInterval);
    }

    @Override
    public void setReadLockLoggingLevel(LoggingLevel level) {
        changed.setReadLockLoggingLevel(level);
    }

    @Override
    public void setMarkerFiler(boolean markerFile) {
        // no marker files: the claim is the lock
    }

    @Override
    public void setDeleteOrphanLockFiles(boolean deleteOrphanLockFiles) {
        // no marker files
    }
}
