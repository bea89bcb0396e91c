package io.outboundbridge.ledger;

import java.time.Instant;

/**
 * Another process on the same ledger, for {@link LedgerH2Test}: begins content {@code args[1]} (expected to be
 * held by the test's process) and {@code args[2]} (expected to be free), and prints what happened.
 */
public final class SecondProcess {

    private SecondProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (Ledger ledger = Ledger.open(new LedgerSettings(args[0], LedgerSettings.DEFAULT_USER, ""))) {
            for (int i = 1; i < args.length; i++) {
                String name = (i == 1 ? "a" : "b") + "-from-second-process.csv";
                try {
                    FileEntry f = ledger.begin(args[i], name, "default", Instant.now());
                    System.out.println("claimed " + f.fileName());
                } catch (DuplicateContentException e) {
                    System.out.println("duplicate of " + e.earlier().fileName());
                }
            }
        }
    }
}
