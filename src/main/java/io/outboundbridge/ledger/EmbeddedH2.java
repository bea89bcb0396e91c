package io.outboundbridge.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of an embedded H2 ledger, so that no other local user gets in: its folder and files owner-only whatever
 * the umask, the AUTO_SERVER (through which the {@code status} command reaches the ledger while the service holds
 * it) on 127.0.0.1 only, and the database user's password never empty: unless one is configured, a random one kept
 * in an owner-only file beside the database ({@code ledger.password}), which every process of the same OS user
 * reads. A ledger made with the empty password of earlier versions gets the new one at its first open.
 *
 * <p>An H2 admin can define Java functions, that is run code as the service: hence all three.
 */
final class EmbeddedH2 {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedH2.class);

    /** H2 reads it once, when it first loads; the ledger is normally the first to use H2 in its process. */
    static final String BIND_ADDRESS = "h2.bindAddress";
    static final String LOOPBACK = "127.0.0.1";

    static {
        if (System.getProperty(BIND_ADDRESS) == null) {
            System.setProperty(BIND_ADDRESS, LOOPBACK);
        }
    }

    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    /** H2's code for a wrong user name or password. */
    private static final String WRONG_PASSWORD = "28000";
    private static final Pattern AUTO_SERVER = Pattern.compile("(?i);AUTO_SERVER=TRUE");
    private static final Pattern FILE_URL = Pattern.compile("(?i)^jdbc:h2:(?:file:)?([^;]+)(;.*)?$");

    private final Path base;

    private EmbeddedH2(Path base) {
        this.base = base;
    }

    /** The door of the database of {@code settings}, or empty when it is not an H2 database in files. */
    static Optional<EmbeddedH2> of(LedgerSettings settings) {
        return base(settings.url()).map(EmbeddedH2::new);
    }

    /**
     * Where an H2 URL keeps its files ({@code <base>.mv.db}), or empty for a database that is not in local files
     * (in memory, over TCP, or through one of H2's other file systems).
     */
    static Optional<Path> base(String url) {
        Matcher m = FILE_URL.matcher(url);
        if (!m.matches()) {
            return Optional.empty();
        }
        String path = m.group(1);
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        if (!path.startsWith("/") && !path.startsWith("./") && !path.matches("^[A-Za-z]:[/\\\\].*")) {
            return Optional.empty(); // mem:, tcp:, ssl:, zip:, nio:, ... or a relative path H2 refuses anyway
        }
        return Optional.of(Path.of(path).toAbsolutePath().normalize());
    }

    /** The owner-only file with the generated password of an embedded ledger. */
    Path passwordFile() {
        return base.resolveSibling(base.getFileName() + ".password");
    }

    /**
     * Makes the ledger's folder owner-only, and the settings to open it with: AUTO_SERVER only where H2 listens on
     * the loopback interface, the password from {@link #passwordFile} when none is configured.
     */
    LedgerSettings prepare(LedgerSettings settings) {
        ownerOnlyFolder(base.getParent());
        LedgerSettings prepared = settings;
        if (AUTO_SERVER.matcher(settings.url()).find() && !listensOnLoopback()) {
            LOG.warn("H2 was loaded before the ledger could keep its AUTO_SERVER on {} (start Java with -D{}={}):"
                    + " the ledger at {} is opened without AUTO_SERVER, so no other process (status) can open it"
                    + " while this one runs", LOOPBACK, BIND_ADDRESS, LOOPBACK, settings.safeUrl());
            prepared = prepared.withUrl(AUTO_SERVER.matcher(settings.url()).replaceAll(""));
        }
        if (settings.password().isEmpty()) {
            prepared = prepared.withPassword(readOrCreatePassword());
        }
        return prepared;
    }

    /** Whether H2's TCP servers in this process listen on a loopback address only. */
    static boolean listensOnLoopback() {
        String bind = org.h2.engine.SysProperties.BIND_ADDRESS;
        if (bind == null || bind.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Opens the database's first connection; a ledger still on the empty password of earlier versions is given
     * {@code settings}' password first. The new password is stored before it is set, so a crash in between
     * leaves a ledger that this does again at the next open.
     */
    Connection connect(JdbcDataSource dataSource, LedgerSettings settings) throws SQLException {
        try {
            return dataSource.getConnection();
        } catch (SQLException wrong) {
            if (!WRONG_PASSWORD.equals(wrong.getSQLState()) || settings.password().isEmpty()) {
                throw wrong;
            }
            JdbcDataSource old = new JdbcDataSource();
            old.setURL(dataSource.getURL());
            old.setUser(settings.user());
            old.setPassword("");
            try (Connection c = old.getConnection();
                    PreparedStatement ps = c.prepareStatement("ALTER USER " + quoted(settings.user())
                            + " SET PASSWORD ?")) {
                ps.setString(1, settings.password());
                ps.execute();
            } catch (SQLException notEmpty) {
                wrong.addSuppressed(notEmpty);
                throw wrong;
            }
            LOG.info("Ledger at {}: the database user's empty password replaced by the one in {}", settings.safeUrl(),
                    passwordFile());
            return dataSource.getConnection();
        }
    }

    /** Makes every file of the database owner-only (H2 creates them as the umask says). */
    void ownerOnlyFiles() {
        if (!posix()) {
            return;
        }
        String prefix = base.getFileName() + ".";
        try (Stream<Path> files = Files.list(base.getParent())) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
                try {
                    Files.setPosixFilePermissions(f, OWNER_ONLY_FILE);
                } catch (IOException gone) {
                    // a lock or temporary file H2 removed meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the files of the ledger at " + base + " owner-only", e);
        }
    }

    /**
     * Creates the folder owner-only, or makes it so when it holds nothing but the ledger's files (a folder shared
     * with other things, such as a configured {@code /tmp/x}, is left as it is, with a warning).
     */
    private void ownerOnlyFolder(Path folder) {
        try {
            Files.createDirectories(folder);
            if (!posix() || Files.getPosixFilePermissions(folder).equals(OWNER_ONLY_FOLDER)) {
                return;
            }
            String prefix = base.getFileName() + ".";
            List<Path> others;
            try (Stream<Path> files = Files.list(folder)) {
                others = files.filter(f -> !f.getFileName().toString().startsWith(prefix)).limit(1).toList();
            }
            if (others.isEmpty()) {
                Files.setPosixFilePermissions(folder, OWNER_ONLY_FOLDER);
            } else {
                LOG.warn("The folder of the ledger at {} holds other files ({}) and is left as it is: make it"
                        + " owner-only (chmod 700), or give the ledger a folder of its own", base, others.get(0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the folder of the ledger at " + base + " owner-only", e);
        }
    }

    private String readOrCreatePassword() {
        Path file = passwordFile();
        try {
            if (!Files.exists(file)) {
                Path tmp = Files.createTempFile(file.getParent(), ".ledger-password-", ".tmp");
                try {
                    if (posix()) {
                        Files.setPosixFilePermissions(tmp, OWNER_ONLY_FILE);
                    }
                    Files.writeString(tmp, newPassword() + "\n", StandardCharsets.UTF_8, StandardOpenOption.SYNC);
                    // a link fails when another process created the file meanwhile: then both use that one
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException other) {
                    // created by another process first
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            if (posix()) {
                Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
            }
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new IllegalStateException("the ledger's password file " + file + " is empty");
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the ledger's password file " + file, e);
        }
    }

    private static String newPassword() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String quoted(String user) {
        return "\"" + user.toUpperCase(Locale.ROOT).replace("\"", "\"\"") + "\"";
    }

    private boolean posix() {
        return base.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
