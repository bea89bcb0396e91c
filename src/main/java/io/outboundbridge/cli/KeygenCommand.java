package io.outboundbridge.cli;

import io.outboundbridge.sign.GeneratedKeys;
import io.outboundbridge.sign.KeyPairFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keygen}: a key pair for signing; the public key is what the tenant uploads to the vendor. */
@Command(name = "keygen", description = "Write an RSA-2048 key pair; print the public key to upload to the vendor.")
final class KeygenCommand implements Callable<Integer> {

    @Option(names = "--out", description = "folder for private-key.pem and public-key.pem", defaultValue = "config/keys")
    Path out;

    @Override
    public Integer call() {
        try {
            GeneratedKeys keys = KeyPairFiles.generate(out);
            System.out.println("Private key (keep it here, owner-only): " + keys.privateKeyFile());
            System.out.println("Public key: " + keys.publicKeyFile());
            System.out.println();
            System.out.println("Upload this public key to the vendor console:");
            System.out.println(keys.publicKeyBase64());
            return 0;
        } catch (RuntimeException e) {
            System.err.println("keygen: " + e.getMessage());
            return 2;
        }
    }
}
