package io.outboundbridge.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.nio.file.CopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * A partner's SFTP server for tests, on Apache MINA SSHD, in the way Camel tests its own sftp component
 * (SftpServerTestSupport): 127.0.0.1, a free port, a generated host key written to a known_hosts file, public key
 * login only, and a folder on disk as the server's file system, so tests put and look at files directly.
 * It can be stopped and started again on the same port with the same host key. Like a server that runs as an
 * unprivileged user, it refuses to open a file for reading whose owner may not read it (the test JVM may run as
 * root, which reads anything), and it can be made to accept a single cipher.
 */
public final class SftpServer implements PartnerServer {

    public static final String USER = "partner";
    public static final String PASSPHRASE = "correct horse battery staple";

    private final Path root;
    private final Path home;
    private final KeyPair hostKey;
    /** The only cipher the server accepts, or null for MINA's defaults. */
    private final String cipher;
    private volatile Set<PublicKey> authorized;
    private int port;
    private SshServer sshd;
    /** The name of a file whose next download is cut off (once), or null. */
    private final AtomicReference<String> cutDownloadOf = new AtomicReference<>();
    private final CountDownLatch downloadCut = new CountDownLatch(1);
    private final List<String> moves = new CopyOnWriteArrayList<>();

    private SftpServer(Path home, KeyPair hostKey, Set<PublicKey> authorized, String cipher) {
        this.home = home;
        this.root = home.resolve("server");
        this.hostKey = hostKey;
        this.authorized = authorized;
        this.cipher = cipher;
    }

    /** A server in {@code home} accepting the client key of {@link #clientKeyFile()}. */
    public static SftpServer start(Path home) {
        return startAccepting(home, null);
    }

    /**
     * A server in {@code home} that accepts only {@code cipher} (an SSH name such as {@code aes256-ctr}; null for
     * MINA's defaults), in both directions.
     */
    public static SftpServer startAccepting(Path home, String cipher) {
        try {
            KeyPair client = generate();
            Files.createDirectories(home.resolve("client"));
            writePrivateKey(client, home.resolve("client/id_rsa"), PASSPHRASE);
            SftpServer server = new SftpServer(home, generate(), Set.of(client.getPublic()), cipher);
            Files.createDirectories(server.root.resolve("inbox"));
            server.startOn(0);
            server.writeKnownHosts(server.hostKey.getPublic());
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void startOn(int wanted) throws IOException {
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(wanted);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPublickeyAuthenticator((user, key, session) -> USER.equals(user)
                && authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        if (cipher != null) {
            BuiltinCiphers only = BuiltinCiphers.fromFactoryName(cipher);
            if (only == null) {
                throw new IllegalArgumentException("MINA SSHD has no cipher " + cipher);
            }
            sshd.setCipherFactories(List.of(only));
        }
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.addSftpEventListener(new Hooks());
        sftp.setFileSystemAccessor(new OwnerPermissions());
        sshd.setSubsystemFactories(List.of(sftp));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
        sshd.start();
        port = sshd.getPort();
    }

    /** Stops the server (connections drop); {@link #restart()} brings it back on the same port. */
    public void stop() {
        try {
            if (sshd != null) {
                sshd.stop(true);
                sshd = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void restart() {
        try {
            startOn(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The next download of a file named {@code fileName} (in any folder) is cut off: the server drops the
     * connection right after the first block of it was read, as a network failure would. Once.
     */
    public void cutNextDownloadOf(String fileName) {
        cutDownloadOf.set(fileName);
    }

    /** Waits until the download chosen by {@link #cutNextDownloadOf} was cut off. */
    public boolean awaitDownloadCut(java.time.Duration timeout) throws InterruptedException {
        return downloadCut.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every rename done by clients so far, {@code from -> to}, paths relative to the root with '/'. */
    public List<String> moves() {
        return List.copyOf(moves);
    }

    /** The server side hooks: records renames, cuts a chosen download off. */
    private final class Hooks implements SftpEventListener {

        @Override
        public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                int dataOffset, int dataLen, int readLen, Throwable thrown) throws IOException {
            String name = localHandle.getFile().getFileName().toString();
            String wanted = cutDownloadOf.get();
            if (readLen > 0 && name.equals(wanted) && cutDownloadOf.compareAndSet(wanted, null)) {
                session.close(true);
                downloadCut.countDown();
                throw new IOException("download of " + name + " cut off by the test");
            }
        }

        @Override
        public void moved(ServerSession session, Path srcPath, Path dstPath, Collection<CopyOption> opts,
                Throwable thrown) {
            if (thrown == null) {
                moves.add(relative(srcPath) + " -> " + relative(dstPath));
            }
        }

        private String relative(Path p) {
            String s = p.normalize().toString().replace('\\', '/');
            return s.startsWith("/") ? s.substring(1) : s;
        }
    }

    /**
     * Opens files as a server running as their owner would: a file its owner may not read is refused for reading
     * (permission denied), even though the test JVM may run as root.
     */
    private static final class OwnerPermissions implements SftpFileSystemAccessor {

        @Override
        public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file,
                String handle, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
            // not Set.contains: the set may be a TreeSet of mixed option types
            boolean reading = List.of(options.toArray()).contains(StandardOpenOption.READ);
            if (reading && Files.isRegularFile(file)
                    && !Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_READ)) {
                throw new AccessDeniedException(file.toString(), null, "the owner may not read it");
            }
            return SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle, options, attrs);
        }
    }

    /** From now on only {@code key} may log in (the bridge's key is refused). */
    public void authorizeOnly(PublicKey key) {
        authorized = Set.of(key);
    }

    /** The SHA256 fingerprint of the server's host key, as ssh-keygen -l prints it. */
    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, hostKey.getPublic());
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public PublicKey hostKey() {
        return hostKey.getPublic();
    }

    /** The server's file system: {@code root().resolve("inbox")} is the partner's inbox. */
    @Override
    public Path root() {
        return root;
    }

    /** The known_hosts file holding this server's host key. */
    @Override
    public Path knownHosts() {
        return home.resolve("client/known_hosts");
    }

    /** The client's private key (OpenSSH format, encrypted with {@link #PASSPHRASE}). */
    public Path clientKeyFile() {
        return home.resolve("client/id_rsa");
    }

    /** Replaces the known_hosts entry with {@code key}, as if the server's key had changed. */
    public void writeKnownHosts(PublicKey key) {
        try {
            Files.writeString(knownHosts(), knownHostsLine(key), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The inbox URI for the bridge: key login with the passphrase from setting {@code passphraseKey}, the
     * generated known_hosts, no strictHostKeyChecking option (on by default), plus {@code extra} options.
     */
    @Override
    public String uri(String folder, String passphraseKey, String extra) {
        return "sftp://" + USER + "@127.0.0.1:" + port + "/" + folder + "?privateKeyFile=" + clientKeyFile()
                + "&privateKeyPassphrase={{" + passphraseKey + "}}&knownHostsFile=" + knownHosts()
                + "&useUserKnownHostsFile=false" + (extra == null || extra.isEmpty() ? "" : "&" + extra);
    }

    /** Uploads {@code content} as {@code path} (under the server root) the way a careful partner does: write, then rename. */
    @Override
    public Path upload(String path, String content) {
        try {
            Path target = root.resolve(path);
            Files.createDirectories(target.getParent());
            Path part = target.resolveSibling(target.getFileName() + ".filepart");
            Files.writeString(part, content, StandardCharsets.UTF_8);
            return Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every regular file under the server root, as paths relative to it with '/' (sorted); a walk that a rename
     * overtakes (the bridge moving a list, or renaming an upload into place) is walked again.
     */
    @Override
    public List<String> files() {
        return Folders.filesUnder(root).stream().map(p -> root.relativize(p).toString().replace('\\', '/')).sorted()
                .toList();
    }

    @Override
    public String read(String path) {
        try {
            return Files.readString(root.resolve(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KeyPair generate() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** Writes {@code key} as an OpenSSH private key file, as ssh-keygen does, encrypted when a passphrase is given. */
    public static void writePrivateKey(KeyPair key, Path file, String passphrase) throws IOException, GeneralSecurityException {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setCipherName("AES");
            encryption.setCipherType("256");
            encryption.setCipherMode("CTR");
            encryption.setPassword(passphrase);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "outbound-bridge-test", encryption, out);
        }
    }

    /** An authorized_keys / known_hosts style line of a public key: {@code ssh-rsa AAAA...}. */
    public static String publicKeyLine(PublicKey key) {
        return PublicKeyEntry.toString(key);
    }

    @Override
    public void close() {
        stop();
    }
}
