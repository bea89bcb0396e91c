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
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A partner's SFTP server for tests, on Apache MINA SSHD, in the way Camel tests its own sftp component
 * (SftpServerTestSupport): 127.0.0.1, a free port, a generated host key written to a known_hosts file, public key
 * login only, and a folder on disk as the server's file system, so tests put and look at files directly.
 * It can be stopped and started again on the same port with the same host key.
 */
public final class SftpServer implements AutoCloseable {

    public static final String USER = "partner";
    public static final String PASSPHRASE = "correct horse battery staple";

    private final Path root;
    private final Path home;
    private final KeyPair hostKey;
    private volatile Set<PublicKey> authorized;
    private int port;
    private SshServer sshd;

    private SftpServer(Path home, KeyPair hostKey, Set<PublicKey> authorized) {
        this.home = home;
        this.root = home.resolve("server");
        this.hostKey = hostKey;
        this.authorized = authorized;
    }

    /** A server in {@code home} accepting the client key of {@link #clientKeyFile()}. */
    public static SftpServer start(Path home) {
        try {
            KeyPair client = generate();
            Files.createDirectories(home.resolve("client"));
            writePrivateKey(client, home.resolve("client/id_rsa"), PASSPHRASE);
            SftpServer server = new SftpServer(home, generate(), Set.of(client.getPublic()));
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
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
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

    /** From now on only {@code key} may log in (the bridge's key is refused). */
    public void authorizeOnly(PublicKey key) {
        authorized = Set.of(key);
    }

    /** The SHA256 fingerprint of the server's host key, as ssh-keygen -l prints it. */
    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, hostKey.getPublic());
    }

    public boolean isRunning() {
        return sshd != null && sshd.isStarted();
    }

    public int port() {
        return port;
    }

    /** The server's file system: {@code root().resolve("inbox")} is the partner's inbox. */
    public Path root() {
        return root;
    }

    /** The known_hosts file holding this server's host key. */
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
            Files.writeString(knownHosts(), "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key) + "\n",
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The inbox URI for the bridge: key login with the passphrase from setting {@code passphraseKey}, the
     * generated known_hosts, no strictHostKeyChecking option (on by default), plus {@code extra} options.
     */
    public String uri(String folder, String passphraseKey, String extra) {
        return "sftp://" + USER + "@127.0.0.1:" + port + "/" + folder + "?privateKeyFile=" + clientKeyFile()
                + "&privateKeyPassphrase={{" + passphraseKey + "}}&knownHostsFile=" + knownHosts()
                + "&useUserKnownHostsFile=false" + (extra == null || extra.isEmpty() ? "" : "&" + extra);
    }

    /** Uploads {@code content} as {@code path} (under the server root) the way a careful partner does: write, then rename. */
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

    /** Every regular file under the server root, as paths relative to it with '/' (sorted). */
    public List<String> files() {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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
