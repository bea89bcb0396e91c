package io.outboundbridge.reading;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.component.file.remote.SftpRemoteFile;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which files of an inbox (a folder, or a partner's SFTP folder) are lists to take now. Only regular files
 * physically inside the inbox: a symbolic link (to a file or a folder) is never followed, read or moved; a FIFO, a
 * file the service cannot read or cannot address by its name is left alone. Each of those is named once in the
 * log, not at every poll. A list is taken once it has settled: the same size and time as at the previous poll,
 * and unchanged for {@code minAge} (a partner's upload that pauses for seconds is not taken half-way). The check
 * never waits, so a file still being written, or one that is never taken, holds up no other list; Camel's own read
 * lock then finds the list settled at once.
 */
public final class InboxFiles implements GenericFileFilter<Object>, ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InboxFiles.class);
    private static final int MAX_WATCHED = 100_000;

    private final long minAge;
    private final Clock clock;
    private final Supplier<String> intakeClosedBecause;
    private volatile String closed;
    private volatile long checkedAt;
    /** True until the first look, and when asked to look again ({@code now - Long.MIN_VALUE} would overflow). */
    private volatile boolean stale = true;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Set<String> named = ConcurrentHashMap.newKeySet();

    private record Seen(long length, long lastModified) {
    }

    /**
     * @param intakeOpen whether lists may be taken now: while it says no (the ledger cannot be reached), lists wait
     *                   in the inbox; asked at most once a second
     */
    public InboxFiles(long minAge, Clock clock, BooleanSupplier intakeOpen) {
        this(minAge, clock, (Supplier<String>) () -> intakeOpen.getAsBoolean() ? null : "the ledger cannot be reached");
    }

    /**
     * @param intakeClosedBecause why lists may not be taken now (the ledger cannot be reached, the vendor breaker is
     *                            open, ...), null when they may: meanwhile lists wait in the inbox; asked at most
     *                            once a second
     */
    public InboxFiles(long minAge, Clock clock, Supplier<String> intakeClosedBecause) {
        this.minAge = minAge;
        this.clock = clock;
        this.intakeClosedBecause = intakeClosedBecause;
    }

    /** Asks again at the next poll whether lists may be taken (the vendor breaker changed its state). */
    public void recheck() {
        stale = true;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        if (!file.isDirectory() && !open()) {
            return false;
        }
        if (file.getFile() instanceof File local) {
            return acceptLocal(file, local.toPath());
        }
        if (file.getFile() instanceof SftpRemoteFile<?> remote && remote.getLongname() != null
                && remote.getLongname().startsWith("l")) {
            leaveAlone(file.getAbsoluteFilePath(), "is a symbolic link on the partner's server: it is never followed");
            return false;
        }
        if (file.isDirectory()) {
            return true;
        }
        boolean settled = settled(file.getAbsoluteFilePath(), file.getFileLength(), file.getLastModified());
        if (settled) {
            named.remove(file.getAbsoluteFilePath());
        }
        return settled;
    }

    private boolean acceptLocal(GenericFile<Object> file, Path path) {
        if (Files.isSymbolicLink(path)) {
            leaveAlone(path.toString(), "is a symbolic link: it is never followed, read or moved");
            return false;
        }
        if (file.isDirectory()) {
            return true;
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            // listed, but gone: renamed under the listing (an upload's final rename), or a name Java decoded with
            // replacement characters because its bytes are no characters in the file system's encoding
            if (path.getFileName().toString().indexOf('\uFFFD') >= 0) {
                leaveAlone(path.toString(), "cannot be opened by its name (its name holds bytes that are not "
                        + "characters in this system's encoding): rename it");
            }
            return false;
        }
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            leaveAlone(path.toString(), "is not a regular file (a FIFO, socket or device)");
            return false;
        }
        if (!settled(path.toString(), file.getFileLength(), file.getLastModified())) {
            return false;
        }
        // only a list about to be taken is opened: not every file at every poll
        if (!Files.isReadable(path) || !movable(path)) {
            if (named.add(path.toString())) {
                LOG.error("Inbox: {} cannot be {} by this service's user; it is left in the inbox until it can",
                        path, Files.isReadable(path) ? "moved (it is immutable or read-only)" : "read");
            }
            return false;
        }
        named.remove(path.toString());
        return true;
    }

    private boolean open() {
        long now = clock.millis();
        if (stale || now - checkedAt >= 1000) {
            stale = false;
            checkedAt = now;
            String was = closed;
            closed = intakeClosedBecause.get();
            if (closed != null && !closed.equals(was)) {
                LOG.warn("Inbox: {}; lists wait in the inbox meanwhile", closed);
            } else if (closed == null && was != null) {
                LOG.info("Inbox: lists are taken again (no longer: {})", was);
            }
        }
        return closed == null;
    }

    /**
     * What the inbox consumer reports besides lists: named once per file at WARN. A list the service itself put back
     * in the inbox before the consumer could move it (it waits for the ledger) is not news.
     */
    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        GenericFileOperationFailedException failed = ObjectHelper.getException(
                GenericFileOperationFailedException.class, exception);
        Object file = exchange == null ? null : exchange.getIn().getHeader(Exchange.FILE_PATH);
        if (failed != null && file != null && !Files.exists(Path.of(file.toString()))) {
            LOG.debug("{}: {}", message, exception.getMessage());
        } else if (named.add(String.valueOf(file != null ? file : message))) {
            LOG.warn("Inbox: {}{}", message == null ? "" : message + ": ", exception == null ? "" : exception.getMessage());
        } else {
            LOG.debug("Inbox: {}", message, exception);
        }
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
     * Whether the list can be moved out of the inbox: one that cannot (immutable, read-only) would be copied to the
     * processing folder at every poll and never leave.
     */
    private static boolean movable(Path path) {
        try (FileChannel ignored = FileChannel.open(path, StandardOpenOption.WRITE)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True once the file is as it was at the previous poll and has not changed for {@code minAge}. */
    private boolean settled(String key, long length, long lastModified) {
        if (seen.size() > MAX_WATCHED) {
            seen.clear(); // files that went away without being taken: their entries are only a little late
        }
        Seen now = new Seen(length, lastModified);
        Seen before = seen.put(key, now);
        if (now.equals(before) && clock.millis() - lastModified >= minAge) {
            seen.remove(key);
            return true;
        }
        return false;
    }

    private void leaveAlone(String path, String why) {
        if (named.add(path)) {
            LOG.warn("Inbox: {} {}; it is left where it is", path, why);
        }
    }
}
