package io.outboundbridge.ledger;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the ledger lives: a JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql:...}) and the database user.
 * In production the password comes from the environment ({@code BRIDGE_LEDGER_PASSWORD}), never from a file in
 * the repository; {@link #toString()} never shows it.
 *
 * @param url      JDBC URL, setting {@code bridge.ledger.url}
 * @param user     database user, setting {@code bridge.ledger.user}
 * @param password database password, setting {@code bridge.ledger.password} (may be empty for the embedded H2)
 */
public record LedgerSettings(String url, String user, String password) {

    /** The embedded database's user when none is configured. */
    public static final String DEFAULT_USER = "bridge";

    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&;]*");

    public LedgerSettings {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("bridge.ledger.url must start with jdbc:h2: or jdbc:postgresql: (found '"
                    + masked(url) + "')");
        }
        user = user == null || user.isBlank() ? DEFAULT_USER : user;
        password = password == null ? "" : password;
    }

    /** The default ledger: an embedded H2 file database in {@code dataDir/ledger/}. */
    public static LedgerSettings embedded(Path dataDir) {
        return new LedgerSettings(defaultUrl(dataDir), DEFAULT_USER, "");
    }

    /**
     * {@code jdbc:h2:file:<dataDir>/ledger/ledger;AUTO_SERVER=TRUE}: an absolute path (H2 refuses implicitly relative
     * ones), and AUTO_SERVER so a second local process (the {@code status} command, a second instance on the same
     * machine) can open the file while the service holds it: the first process serves it over TCP to the others.
     */
    public static String defaultUrl(Path dataDir) {
        Path base = dataDir.toAbsolutePath().normalize().resolve("ledger").resolve("ledger");
        // WRITE_DELAY=0: a commit is written at once, so a killed process loses no confirmed request
        return "jdbc:h2:file:" + base.toString().replace('\\', '/') + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    /** The URL as it may be shown: a {@code password=...} parameter in it is masked. */
    public String safeUrl() {
        return masked(url);
    }

    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    /** {@code text} (a database's error message) as it may be shown: the password masked wherever it appears. */
    String scrubbed(String text) {
        if (text == null) {
            return null;
        }
        String masked = masked(text);
        return password.isEmpty() ? masked : masked.replace(password, "***");
    }

    /** The same database and user with another password. */
    LedgerSettings withPassword(String newPassword) {
        return new LedgerSettings(url, user, newPassword);
    }

    /** The same database at another URL (the embedded one with extra settings). */
    LedgerSettings withUrl(String newUrl) {
        return new LedgerSettings(newUrl, user, password);
    }

    private static String masked(String url) {
        return PASSWORD_IN_URL.matcher(url).replaceAll("$1***");
    }

    @Override
    public String toString() {
        return "LedgerSettings[url=" + safeUrl() + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
                + "]";
    }
}
