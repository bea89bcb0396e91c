package io.outboundbridge.reading;

/** Names of lists in an inbox. */
public final class InboxNames {

    private InboxNames() {
    }

    /**
     * {@code relative} when {@code taken} says it is free, else {@code stem-retaken-N.ext} for the smallest free N:
     * a list interrupted by a crash goes back to the inbox under a name of its own (the ledger resumes it by its
     * content, whatever its name).
     */
    public static String retaken(String relative, java.util.function.Predicate<String> taken) {
        if (!taken.test(relative)) {
            return relative;
        }
        int slash = relative.lastIndexOf('/');
        int dot = relative.lastIndexOf('.');
        boolean ext = dot > slash + 1;
        String stem = ext ? relative.substring(0, dot) : relative;
        String suffix = ext ? relative.substring(dot) : "";
        for (int n = 2;; n++) {
            String candidate = stem + "-retaken-" + n + suffix;
            if (!taken.test(candidate)) {
                return candidate;
            }
        }
    }
}
