package io.outboundbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * A partner's SFTP server as the partner tests see it, whichever server it is ({@link SftpServer} on MINA SSHD,
 * {@link OpenSshServer} on Debian's sshd): on 127.0.0.1, key login with a passphrase-protected client key, the
 * host key in a generated known_hosts, a folder on disk as what the partner's user sees, the inbox in it.
 */
public interface PartnerServer extends AutoCloseable {

    int port();

    /** The server's host key. */
    PublicKey hostKey();

    /** The folder the partner's user sees: {@code root().resolve("inbox")} is the inbox. */
    Path root();

    /** The generated known_hosts file holding {@link #hostKey()} for {@code [127.0.0.1]:port}. */
    Path knownHosts();

    /**
     * The URI for the bridge: key login with the passphrase from setting {@code passphraseKey}, the generated
     * known_hosts, {@code useUserKnownHostsFile=false}, plus {@code extra} options.
     */
    String uri(String folder, String passphraseKey, String extra);

    /** Uploads {@code content} as {@code path} (under the root) the way a careful partner does: write, then rename. */
    Path upload(String path, String content);

    /** Every regular file under the root, relative to it with '/', sorted. */
    List<String> files();

    String read(String path);

    /** A known_hosts line giving {@code key} as the key of this server. */
    default String knownHostsLine(PublicKey key) {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key) + "\n";
    }

    /** chmod 000 on {@code path} (under the root): the partner's user can list it but not read it. */
    default void makeUnreadable(String path) {
        try {
            Files.setPosixFilePermissions(root().resolve(path), Set.<PosixFilePermission>of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void close();
}
