package io.outboundbridge.partner;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.util.ObjectHelper;

/**
 * Lists in a partner's inbox that the server refused to let us read (the partner's SFTP user may list them but not
 * read them): skipped at later polls for as long as they stay as they were when refused, taken again once the
 * partner changes them (their permissions, size or time). Without this, every poll would move such a list to the
 * processing folder, fail to download it and move it back.
 */
final class UnreadableLists {

    /** Per endpoint: the name of each refused list relative to the inbox, and its state when refused. */
    private final Map<Endpoint, Map<String, String>> refused = new ConcurrentHashMap<>();

    /** Whether {@code cause} is the server refusing to let us read a file. */
    static boolean isRefusedRead(Throwable cause) {
        SftpException sftp = ObjectHelper.getException(SftpException.class, cause);
        return sftp != null && sftp.id == ChannelSftp.SSH_FX_PERMISSION_DENIED;
    }

    /** Remembers that list {@code name} (relative to the inbox) was refused, as it is now. */
    void refused(Endpoint endpoint, String name, GenericFile<?> file) {
        if (name == null || file == null) {
            return; // not a list the consumer took: nothing to skip
        }
        refused.computeIfAbsent(endpoint, k -> new ConcurrentHashMap<>()).put(normalize(name), state(file));
    }

    /**
     * Whether to leave {@code file} (as listed in the inbox) where it is: it was refused and has not changed since.
     * A list that changed is forgotten, and taken again.
     */
    boolean skip(Endpoint endpoint, GenericFile<?> file) {
        Map<String, String> lists = refused.get(endpoint);
        if (lists == null || file.isDirectory()) {
            return false;
        }
        String name = normalize(file.getRelativeFilePath());
        String then = lists.get(name);
        if (then == null) {
            return false;
        }
        if (Objects.equals(then, state(file))) {
            return true;
        }
        lists.remove(name);
        return false;
    }

    /** Size, time and, when the server gives them, permissions: what the partner changes to make a list readable. */
    static String state(GenericFile<?> file) {
        String permissions = "";
        if (file.getFile() instanceof org.apache.camel.component.file.remote.SftpRemoteFile<?> remote
                && remote.getRemoteFile() instanceof ChannelSftp.LsEntry entry && entry.getAttrs() != null) {
            permissions = entry.getAttrs().getPermissionsString();
        }
        return file.getFileLength() + " " + file.getLastModified() + " " + permissions;
    }

    private static String normalize(String name) {
        String n = name.replace('\\', '/');
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        return n;
    }
}
