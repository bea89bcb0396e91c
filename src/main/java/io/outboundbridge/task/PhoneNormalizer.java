package io.outboundbridge.task;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Brings phone numbers as people type them to the digits-only form the vendor expects, and checks them. */
public final class PhoneNormalizer {

    /**
     * Mainland mobiles ({@code 1[3-9]} + 9 digits) and landlines with area code ({@code 0} + a 2-3 digit area
     * code not starting with 0 + a 7-8 digit number), digits only. This is the shipped default of
     * {@code bridge.phone.pattern}, which only {@code config/application.properties} sets (a test keeps the two
     * equal); it is named here because the normaliser checks this pattern by hand.
     */
    public static final String DEFAULT_PATTERN = "1[3-9]\\d{9}|0[1-9]\\d{1,2}\\d{7,8}";

    private final Pattern pattern;
    /** The default pattern is checked by hand (no Matcher per number); any other pattern by its regex. */
    private final boolean defaultPattern;
    /** What {@link #isValid} accepts, in words, for rejection messages. */
    private final String description;

    /** @throws IllegalArgumentException when {@code pattern} is not a valid regular expression */
    public PhoneNormalizer(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("phone pattern is empty");
        }
        try {
            this.pattern = Pattern.compile(pattern);
            this.defaultPattern = DEFAULT_PATTERN.equals(pattern);
            this.description = defaultPattern
                    ? "a mainland mobile (11 digits starting 13-19) or a landline with area code (0 + area + number)"
                    : "a number matching the pattern " + pattern;
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid phone pattern '" + pattern + "': " + e.getDescription(), e);
        }
    }

    /** The regular expression numbers must match. */
    public String pattern() {
        return pattern.pattern();
    }

    /**
     * Removes spaces (also full-width and non-breaking ones), dashes and a leading {@code +86} / {@code 0086},
     * and turns full-width digits into ASCII digits. The result is digits only when the input had nothing else;
     * otherwise the cleaned string is returned as is, so {@link #isValid} rejects it. {@code null} stays null.
     */
    public String normalize(String raw) {
        if (raw == null) {
            return null;
        }
        if (asciiDigits(raw)) {
            // already clean, as nearly every number in a list is: nothing to remove or convert
            return raw.startsWith("0086") ? raw.substring(4) : raw;
        }
        StringBuilder b = new StringBuilder(raw.length());
        raw.strip().codePoints().forEach(cp -> {
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || isDash(cp)) {
                return;
            }
            if (cp >= '０' && cp <= '９') {
                b.append((char) ('0' + (cp - '０')));
            } else if (cp == '＋') {
                b.append('+');
            } else {
                b.appendCodePoint(cp);
            }
        });
        String s = b.toString();
        if (s.startsWith("+86")) {
            return s.substring(3);
        }
        if (s.startsWith("0086")) {
            return s.substring(4);
        }
        return s;
    }

    /** Whether a normalised number matches the whole pattern. */
    public boolean isValid(String normalized) {
        if (normalized == null) {
            return false;
        }
        return defaultPattern ? matchesDefault(normalized) : pattern.matcher(normalized).matches();
    }

    /**
     * {@link #DEFAULT_PATTERN} by hand: {@code 1[3-9]} + 9 digits (11 in all), or {@code 0[1-9]} + 1-2 + 7-8
     * digits (10 to 12 in all); {@code \d} is ASCII 0-9 only, as in the regex.
     */
    private static boolean matchesDefault(String s) {
        int n = s.length();
        if (n < 10 || n > 12 || !asciiDigits(s)) {
            return false;
        }
        char first = s.charAt(0);
        char second = s.charAt(1);
        if (first == '1') {
            return n == 11 && second >= '3';
        }
        return first == '0' && second >= '1';
    }

    private static boolean asciiDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** A person's description of what {@link #isValid} accepts, for rejection messages. */
    String describe() {
        return description;
    }

    private static boolean isDash(int cp) {
        return cp == '-' || cp == '‐' || cp == '‑' || cp == '–' || cp == '—' || cp == '－';
    }

    @Override
    public String toString() {
        return "PhoneNormalizer[" + pattern.pattern() + "]";
    }
}
