package io.outboundbridge.task;

/** Phone numbers for logs and messages: masked, so a full number never reaches a log or a report. */
public final class Phones {

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
}
