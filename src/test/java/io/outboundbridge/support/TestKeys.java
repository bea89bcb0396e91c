package io.outboundbridge.support;

import io.outboundbridge.sign.GeneratedKeys;
import io.outboundbridge.sign.KeyPairFiles;
import io.outboundbridge.sign.PemKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;

/** One throw-away RSA key pair per test JVM (generating one takes ~100 ms). */
public final class TestKeys {

    private static GeneratedKeys keys;

    private TestKeys() {
    }

    public static synchronized GeneratedKeys get() {
        if (keys == null) {
            try {
                Path dir = Files.createTempDirectory("outbound-bridge-keys");
                dir.toFile().deleteOnExit();
                keys = KeyPairFiles.generate(dir.resolve("keys"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keys;
    }

    public static PublicKey publicKey() {
        return PemKeys.readPublicKey(get().publicKeyFile());
    }
}
