package io.outboundbridge.claim;

import io.outboundbridge.ledger.InstanceSeen;
import io.outboundbridge.ledger.Ledger;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The embedded H2 ledger serves one instance: a second one started on the same ledger (another instance seen
 * within a lease) or on the same processing folder (its lock file held by a live process) is refused, with why and
 * what to do. The lock is held for the life of the process; a hidden file, so never taken as a list.
 */
public final class SingleInstance implements AutoCloseable {

    /** The lock file in {@code bridge.processing}. */
    public static final String LOCK_FILE = ".outbound-bridge.lock";

    static final String HOW = "several instances need a shared PostgreSQL ledger, bridge.ledger.url";

    private final FileChannel channel;
    private final FileLock lock;

    private SingleInstance(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Holds the lock of {@code folder} ({@code what}: "processing folder", "data folder") for this process.
     *
     * @throws IllegalStateException saying why and what to do when another process holds it
     */
    public static SingleInstance lock(Path folder, String what) {
        try {
            Files.createDirectories(folder);
            FileChannel channel = FileChannel.open(folder.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another instance works on the " + what + " " + folder
                        + " with the embedded H2 ledger; " + HOW + " (each instance its own bridge.work and bridge.data)");
            }
            return new SingleInstance(channel, lock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock the " + what + " " + folder + " (" + LOCK_FILE
                    + "): " + e.getMessage(), e);
        }
    }

    /**
     * Why this instance may not start on an embedded ledger: another instance was seen on it within a lease.
     */
    public static Optional<String> otherLive(Ledger ledger, String instance) {
        List<String> others = ledger.instances().stream().filter(InstanceSeen::live)
                .map(InstanceSeen::instanceId).filter(id -> !id.equals(instance)).toList();
        return others.isEmpty() ? Optional.empty() : Optional.of("instance(s) " + others
                + " work on this embedded H2 ledger (seen within bridge.instance.lease); " + HOW);
    }

    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
