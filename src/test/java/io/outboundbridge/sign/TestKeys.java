package io.outboundbridge.sign;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Paths of the committed test key fixtures in {@code src/test/resources/keys}. */
final class TestKeys {

    private TestKeys() {
    }

    static Path key(String name) {
        try {
            return Path.of(TestKeys.class.getResource("/keys/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
