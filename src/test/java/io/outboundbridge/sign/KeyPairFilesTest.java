package io.outboundbridge.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyPairFilesTest {

    @TempDir
    Path dir;

    @Test
    void should_write_an_owner_only_private_key_and_a_matching_public_key() throws Exception {
        Path out = dir.resolve("keys");

        GeneratedKeys keys = KeyPairFiles.generate(out);

        assertThat(keys.privateKeyFile()).isEqualTo(out.resolve("private-key.pem"));
        assertThat(keys.publicKeyFile()).isEqualTo(out.resolve("public-key.pem"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.privateKeyFile())))
                .isEqualTo("rw-------");
        assertThat(Files.readString(keys.privateKeyFile())).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(keys.publicKeyFile())).isEqualTo(keys.publicKeyPem());
        assertThat(keys.publicKeyBase64()).doesNotContain("\n", "-----")
                .isEqualTo(Base64.getEncoder().encodeToString(
                        PemKeys.readPublicKey(keys.publicKeyFile()).getEncoded()));
        assertThat(((RSAPublicKey) PemKeys.readPublicKey(keys.publicKeyFile())).getModulus().bitLength())
                .isEqualTo(2048);

        RequestSigner signer = new RequestSigner("app", PemKeys.readPrivateKey(keys.privateKeyFile()),
                SignTemplate.DEFAULT, "SHA256withRSA", Clock.systemUTC());
        SignedHeaders h = signer.sign("POST", "/p", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(new SignatureVerifier(PemKeys.readPublicKey(keys.publicKeyFile()), SignTemplate.DEFAULT,
                "SHA256withRSA").verify("app", h.timestamp(), "POST", "/p", new byte[0], h.sign())).isTrue();
        assertThat(h.sign()).hasSize(344);
    }

    @Test
    void should_refuse_to_overwrite_an_existing_private_key() throws Exception {
        Path existing = Files.writeString(dir.resolve("private-key.pem"), "precious");

        assertThatThrownBy(() -> KeyPairFiles.generate(dir))
                .isInstanceOf(KeyFileException.class)
                .hasMessage(existing + ": already exists; refusing to overwrite a key file (move it away or choose"
                        + " another folder)");
        assertThat(Files.readString(existing)).isEqualTo("precious");
        assertThat(dir.resolve("public-key.pem")).doesNotExist();
    }

    @Test
    void should_refuse_to_overwrite_an_existing_public_key() throws Exception {
        Files.writeString(dir.resolve("public-key.pem"), "old");

        assertThatThrownBy(() -> KeyPairFiles.generate(dir))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("public-key.pem: already exists");
        assertThat(dir.resolve("private-key.pem")).doesNotExist();
    }
}
