package io.outboundbridge.sign;

import java.nio.file.Path;

/**
 * What {@link KeyPairFiles#generate} wrote: the two files, and the public key as PEM and as the one-line Base64
 * (X.509 DER) a vendor console usually asks for.
 */
public record GeneratedKeys(Path privateKeyFile, Path publicKeyFile, String publicKeyPem, String publicKeyBase64) {
}
