package io.outboundbridge.task;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Phone numbers for logs and messages: masked, so a full number never reaches a log or a report. */
public final class Phones {

    /**
     * A phone number inside someone else's text (a vendor's message): a mainland mobile or a landline with its area
     * code, as {@code bridge.phone.pattern} takes them by default, with an optional {@code +86}/{@code 0086}/{@code 86}
     * in front and spaces or dashes between its groups; never part of a longer run of digits (a task id).
     */
    private static final Pattern IN_TEXT = Pattern.compile(
            "(?<![0-9])((?:\\+|00)?86[ -]?)?(1[3-9][0-9](?:[ -]?[0-9]{4}){2}|0[0-9]{2,3}[ -]?[0-9]{7,8})(?![0-9])");

    private static final int KEEP_HEAD = 3;
    private static final int KEEP_TAIL = 2;
    /** Below this length keeping head and tail would leave too little hidden, so everything is masked. */
    private static final int SHORTEST_PARTLY_SHOWN = 8;

    private Phones() {
    }

    /**
     * Keeps the first 3 and last 2 characters and masks the rest ({@code 13800000001} → {@code 138******01}).
     * Shorter inputs are masked completely (their length stays visible); {@code null} gives {@code (none)}.
     */
    public static String mask(String phone) {
        if (phone == null) {
            return "(none)";
        }
        int[] cps = phone.codePoints().toArray();
        StringBuilder out = new StringBuilder(cps.length);
        boolean partly = cps.length >= SHORTEST_PARTLY_SHOWN;
        for (int i = 0; i < cps.length; i++) {
            boolean shown = partly && (i < KEEP_HEAD || i >= cps.length - KEEP_TAIL);
            if (shown) {
                out.appendCodePoint(cps[i]);
            } else {
                out.append('*');
            }
        }
        return out.toString();
    }

    /**
     * {@code text} with every phone number in it masked as {@link #mask} masks one ({@code 13800000001} →
     * {@code 138******01}, {@code +86 138-0000-0001} → {@code +86 138******01}), for text that is not ours to
     * trust, such as the vendor's messages and answers. {@code null} stays null.
     */
    public static String maskIn(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = IN_TEXT.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            String prefix = m.group(1) == null ? "" : m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(prefix + mask(m.group(2).replaceAll("[ -]", ""))));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }
}
