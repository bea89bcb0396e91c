package io.outboundbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A partner's SFTP server that nobody here wrote: Debian's OpenSSH sshd, started on 127.0.0.1 and a free port with
 * its own config (generated RSA host key, key login only, internal-sftp starting in {@link #root()}), optionally
 * accepting a single cipher.
 * <p>
 * The partner's user is never root, as on a partner's real server: root reads any file whatever its mode. When
 * the tests run as root, sshd (which must then run as root) logs the bridge in as {@code nobody}, and the folder
 * it sees belongs to {@code nobody}; otherwise sshd runs as the current user, who logs in.
 */
public final class OpenSshServer implements PartnerServer {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path etc;
    private final Path root;
    private final String user;
    private final PublicKey hostKey;
    private final int port;
    private final Process sshd;

    private OpenSshServer(Path etc, Path root, String user, PublicKey hostKey, int port, Process sshd) {
        this.etc = etc;
        this.root = root;
        this.user = user;
        this.hostKey = hostKey;
        this.port = port;
        this.sshd = sshd;
    }

    /** Whether Debian's OpenSSH server is installed ({@code apt-get install openssh-server}). */
    public static boolean installed() {
        return Files.isExecutable(SSHD);
    }

    /** The user the bridge logs in as: never root. */
    public static String loginUser() {
        return runsAsRoot() ? "nobody" : System.getProperty("user.name");
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A server in {@code home} with OpenSSH's default ciphers. */
    public static OpenSshServer start(Path home) {
        return startAccepting(home, null);
    }

    /** A server in {@code home} accepting only {@code cipher} (e.g. {@code aes256-ctr}; null for the defaults). */
    public static OpenSshServer startAccepting(Path home, String cipher) {
        try {
            Path etc = Files.createDirectories(home.resolve("etc"));
            Path root = Files.createDirectories(home.resolve("data"));
            Files.createDirectories(root.resolve("inbox"));
            String user = loginUser();

            KeyPair hostKey = SftpServer.generate();
            Path hostKeyFile = etc.resolve("ssh_host_rsa_key");
            SftpServer.writePrivateKey(hostKey, hostKeyFile, null);
            Files.setPosixFilePermissions(hostKeyFile, PosixFilePermissions.fromString("rw-------"));
            KeyPair client = SftpServer.generate();
            SftpServer.writePrivateKey(client, etc.resolve("id_rsa"), SftpServer.PASSPHRASE);
            Files.setPosixFilePermissions(etc.resolve("id_rsa"), PosixFilePermissions.fromString("rw-------"));
            Files.writeString(etc.resolve("authorized_keys"), SftpServer.publicKeyLine(client.getPublic()) + "\n");

            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                port = s.getLocalPort();
            }
            List<String> config = new ArrayList<>(List.of(
                    "Port " + port,
                    "ListenAddress 127.0.0.1",
                    "HostKey " + hostKeyFile,
                    "PidFile " + etc.resolve("sshd.pid"),
                    "AuthorizedKeysFile " + etc.resolve("authorized_keys"),
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PermitRootLogin no",
                    "StrictModes no",
                    "UsePAM no",
                    "AllowUsers " + user,
                    // sessions start in the data folder (Camel's sftp paths are relative to where a session starts)
                    "Subsystem sftp internal-sftp -d " + root));
            if (cipher != null) {
                config.add("Ciphers " + cipher);
            }
            Files.writeString(etc.resolve("sshd_config"), String.join("\n", config) + "\n", StandardCharsets.UTF_8);

            if (runsAsRoot()) {
                // the partner's user reaches its folder and its authorized_keys, and owns what it sees
                openPathTo(home);
                Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setPosixFilePermissions(etc.resolve("authorized_keys"), PosixFilePermissions.fromString("rw-r--r--"));
                giveToUser(root, user);
                giveToUser(root.resolve("inbox"), user);
                Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation folder
            }

            Process sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", etc.resolve("sshd_config").toString())
                    .redirectErrorStream(true).redirectOutput(home.resolve("sshd.log").toFile()).start();
            OpenSshServer server = new OpenSshServer(etc, root, user, hostKey.getPublic(), port, sshd);
            try {
                Files.writeString(server.knownHosts(), server.knownHostsLine(hostKey.getPublic()), StandardCharsets.US_ASCII);
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                        .until(() -> !sshd.isAlive() || accepts(port));
                if (!sshd.isAlive()) {
                    throw new IllegalStateException("sshd did not start: " + Files.readString(home.resolve("sshd.log")));
                }
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets others through each folder from the temp folder down to {@code dir} (a test's temp folder is 0700). */
    private static void openPathTo(Path dir) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
        Path real = dir.toRealPath();
        if (!real.startsWith(tmp)) {
            throw new IllegalStateException(dir + " is not under " + tmp);
        }
        for (Path p = real; !p.equals(tmp); p = p.getParent()) {
            Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
            if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    private static void giveToUser(Path path, String user) throws IOException {
        UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        Files.setOwner(path, owner);
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public PublicKey hostKey() {
        return hostKey;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public Path knownHosts() {
        return etc.resolve("known_hosts");
    }

    /** The user the bridge logs in as. */
    public String user() {
        return user;
    }

    @Override
    public String uri(String folder, String passphraseKey, String extra) {
        return "sftp://" + user + "@127.0.0.1:" + port + "/" + folder + "?privateKeyFile=" + etc.resolve("id_rsa")
                + "&privateKeyPassphrase={{" + passphraseKey + "}}&knownHostsFile=" + knownHosts()
                + "&useUserKnownHostsFile=false" + (extra == null || extra.isEmpty() ? "" : "&" + extra);
    }

    /** Write, then rename; as root, the folders and the file are given to the partner's user, as its upload would be. */
    @Override
    public Path upload(String path, String content) {
        try {
            Path target = root.resolve(path);
            List<Path> created = new ArrayList<>();
            for (Path d = target.getParent(); !Files.exists(d); d = d.getParent()) {
                created.add(0, d);
            }
            Files.createDirectories(target.getParent());
            Path part = target.resolveSibling(target.getFileName() + ".filepart");
            Files.writeString(part, content, StandardCharsets.UTF_8);
            if (runsAsRoot()) {
                for (Path d : created) {
                    giveToUser(d, user);
                }
                giveToUser(part, user);
            }
            return Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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

    @Override
    public void close() {
        sshd.destroy();
        try {
            if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
                sshd.destroyForcibly();
            }
        } catch (InterruptedException e) {
            sshd.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
