package io.outboundbridge.reading;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.component.file.remote.SftpRemoteFile;
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
public final class InboxFiles implements GenericFileFilter<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(InboxFiles.class);
    private static final int MAX_WATCHED = 100_000;

    private final long minAge;
    private final Clock clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Set<String> named = ConcurrentHashMap.newKeySet();

    private record Seen(long length, long lastModified) {
    }

    public InboxFiles(long minAge, Clock clock) {
        this.minAge = minAge;
        this.clock = clock;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        if (file.getFile() instanceof File local) {
            return acceptLocal(file, local.toPath());
        }
        if (file.getFile() instanceof SftpRemoteFile<?> remote && remote.getLongname() != null
                && remote.getLongname().startsWith("l")) {
            leaveAlone(file.getAbsoluteFilePath(), "is a symbolic link on the partner's server: it is never followed");
            return false;
        }
        return file.isDirectory() || settled(file.getAbsoluteFilePath(), file.getFileLength(), file.getLastModified());
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
        if (!Files.isReadable(path)) {
            if (named.add(path.toString())) {
                LOG.error("Inbox: {} cannot be read by this service's user; it is left in the inbox until it can",
                        path);
            }
            return false;
        }
        return settled(path.toString(), file.getFileLength(), file.getLastModified());
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
            named.remove(key);
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
