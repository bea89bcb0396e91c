package io.outboundbridge.task;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Task names within the vendor's 50 characters: from the profile's template, shortened with a stable hash when
 * too long (so two long names that share a beginning stay distinct), and suffixed for continuations.
 */
public final class TaskNames {

    public static final String PROFILE = "${profile}";
    public static final String FILE_BASE = "${fileBase}";
    /** {@code ~} + 6 hex characters. */
    private static final int HASH_MARK_LENGTH = 7;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^}]*}");

    private TaskNames() {
    }

    /** The template with {@code ${profile}} and {@code ${fileBase}} replaced; the result is not shortened. */
    public static String fromTemplate(String template, String profile, String fileBase) {
        return template.replace(PROFILE, profile).replace(FILE_BASE, fileBase);
    }

    /** The file name without its last extension ({@code list.csv} → {@code list}, {@code .csv} stays). */
    public static String fileBase(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /** The first placeholder of a template other than {@code ${profile}} and {@code ${fileBase}}, or null. */
    static String unknownPlaceholder(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!m.group().equals(PROFILE) && !m.group().equals(FILE_BASE)) {
                return m.group();
            }
        }
        return null;
    }

    /**
     * {@code name} when it has at most {@link VendorRules#TASK_NAME_MAX} characters; otherwise its beginning
     * followed by {@code ~} and 6 hex characters of the SHA-256 of the whole name, 50 characters in all.
     */
    public static String fit(String name) {
        return suffixed(name, "");
    }

    /**
     * {@code base + suffix} within 50 characters: the suffix is kept whole and the base shortened as by
     * {@link #fit} when needed.
     *
     * @throws IllegalArgumentException when the suffix leaves no room for a shortened base
     */
    public static String suffixed(String base, String suffix) {
        int suffixLength = VendorRules.length(suffix);
        int room = VendorRules.TASK_NAME_MAX - suffixLength;
        if (VendorRules.length(base) <= room) {
            return base + suffix;
        }
        int keep = room - HASH_MARK_LENGTH;
        if (keep < 1) {
            throw new IllegalArgumentException("suffix '" + suffix + "' is too long for a task name (" + suffixLength
                    + " characters)");
        }
        String head = base.substring(0, base.offsetByCodePoints(0, keep));
        return head + "~" + hash6(base) + suffix;
    }

    /** The name of continuation task {@code n} (2, 3, ...): {@code base-n}, within 50 characters. */
    public static String continuation(String base, int n) {
        if (n < 2) {
            throw new IllegalArgumentException("continuation tasks start at 2 (found " + n + ")");
        }
        return suffixed(base, "-" + n);
    }

    /** 6 hex characters of the SHA-256 of {@code s}: what a name shortened to fit keeps of the whole. */
    public static String hash6(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
