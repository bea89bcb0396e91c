package io.outboundbridge.sign;

import static io.outboundbridge.sign.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeysTest {

    @TempDir
    Path dir;

    @Test
    void should_read_pkcs8_and_pkcs1_as_the_same_key() {
        PrivateKey pkcs8 = PemKeys.readPrivateKey(key("test-pkcs8.pem"));
        PrivateKey pkcs1 = PemKeys.readPrivateKey(key("test-pkcs1.pem"));

        assertThat(pkcs8.getAlgorithm()).isEqualTo("RSA");
        assertThat(pkcs1.getEncoded()).isEqualTo(pkcs8.getEncoded());
    }

    @Test
    void should_read_x509_and_pkcs1_public_keys_as_the_same_key() {
        PublicKey x509 = PemKeys.readPublicKey(key("test-public.pem"));
        PublicKey pkcs1 = PemKeys.readPublicKey(key("test-public-pkcs1.pem"));

        assertThat(pkcs1.getEncoded()).isEqualTo(x509.getEncoded());
    }

    @Test
    void should_write_pem_that_reads_back_and_matches_openssl() throws Exception {
        PrivateKey privateKey = PemKeys.readPrivateKey(key("test-pkcs8.pem"));
        PublicKey publicKey = PemKeys.readPublicKey(key("test-public.pem"));

        assertThat(PemKeys.toPem(publicKey)).isEqualTo(Files.readString(key("test-public.pem")));
        assertThat(PemKeys.toPem(privateKey)).isEqualTo(Files.readString(key("test-pkcs8.pem")));
        Path written = Files.writeString(dir.resolve("k.pem"), PemKeys.toPem(privateKey));
        assertThat(PemKeys.readPrivateKey(written).getEncoded()).isEqualTo(privateKey.getEncoded());
    }

    @Test
    void should_refuse_a_missing_file_naming_it() {
        Path missing = dir.resolve("nope.pem");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(missing))
                .isInstanceOf(KeyFileException.class)
                .hasMessageStartingWith(missing + ": key file not found; make a key pair with `java -jar "
                        + "outbound-bridge.jar keygen --out " + missing.getParent() + "`");
    }

    @Test
    void should_refuse_an_unreadable_file() throws Exception {
        Path file = Files.copy(key("test-pkcs8.pem"), dir.resolve("locked.pem"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file), "running as root: permissions ignored");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessage(file + ": key file not readable (permission denied)");
    }

    @Test
    void should_refuse_a_directory() {
        assertThatThrownBy(() -> PemKeys.readPrivateKey(dir))
                .isInstanceOf(KeyFileException.class)
                .hasMessage(dir + ": is a directory, not a key file");
    }

    @Test
    void should_refuse_a_file_that_is_not_pem() throws Exception {
        Path der = Files.write(dir.resolve("key.der"),
                PemKeys.readPrivateKey(key("test-pkcs8.pem")).getEncoded());

        assertThatThrownBy(() -> PemKeys.readPrivateKey(der))
                .isInstanceOf(KeyFileException.class)
                .hasMessageStartingWith(der + ": not a PEM file (no '-----BEGIN ...-----' line)")
                .hasMessageContaining("openssl pkey -inform DER");
    }

    @Test
    void should_refuse_a_public_key_where_a_private_key_is_needed() {
        Path file = key("test-public.pem");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessage(file + ": holds a PUBLIC KEY, not a private key; signing needs the private key");
    }

    @Test
    void should_refuse_a_private_key_where_a_public_key_is_needed() {
        Path file = key("test-pkcs8.pem");

        assertThatThrownBy(() -> PemKeys.readPublicKey(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessageStartingWith(file + ": holds a PRIVATE KEY, not a public key")
                .hasMessageContaining("-pubout");
    }

    @Test
    void should_refuse_an_encrypted_key_and_say_how_to_convert_it() {
        Path file = key("test-encrypted-pkcs8.pem");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessageStartingWith(file + ": encrypted private keys are not supported")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + file + " -out private-key.pem");
    }

    @Test
    void should_refuse_a_legacy_encrypted_pkcs1_key() throws Exception {
        Path file = Files.writeString(dir.resolve("legacy.pem"), "-----BEGIN RSA PRIVATE KEY-----\n"
                + "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n"
                + "-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessageStartingWith(file + ": encrypted private keys are not supported");
    }

    @Test
    void should_refuse_an_unknown_pem_type() throws Exception {
        Path file = Files.writeString(dir.resolve("x.pem"), "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessage(file + ": holds a PEM block of type 'FOO'; expected PRIVATE KEY (PKCS#8) or RSA PRIVATE KEY"
                        + " (PKCS#1)");
    }

    @Test
    void should_refuse_malformed_base64() throws Exception {
        Path file = Files.writeString(dir.resolve("b.pem"),
                "-----BEGIN PRIVATE KEY-----\nMIIE*not base64*\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessage(file + ": PEM block PRIVATE KEY is not valid base64");
    }

    @Test
    void should_refuse_malformed_der_without_echoing_it() throws Exception {
        String junk = Base64.getEncoder().encodeToString("certainly not a key".getBytes(StandardCharsets.US_ASCII));
        Path pkcs8 = Files.writeString(dir.resolve("d8.pem"),
                "-----BEGIN PRIVATE KEY-----\n" + junk + "\n-----END PRIVATE KEY-----\n");
        Path pkcs1 = Files.writeString(dir.resolve("d1.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\n" + junk + "\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(pkcs8))
                .isInstanceOf(KeyFileException.class)
                .hasMessage(pkcs8 + ": not a valid RSA private key (malformed DER, or a key of another algorithm)");
        assertThatThrownBy(() -> PemKeys.readPrivateKey(pkcs1))
                .isInstanceOf(KeyFileException.class)
                .hasMessageNotContaining(junk)
                .hasMessage(pkcs1 + ": not a valid RSA private key (malformed DER, or a key of another algorithm)");
    }

    @Test
    void should_refuse_a_key_of_another_algorithm() {
        Path file = key("test-ec-pkcs8.pem");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessage(file + ": not a valid RSA private key (malformed DER, or a key of another algorithm)");
    }

    @Test
    void should_refuse_a_truncated_pem() throws Exception {
        Path file = Files.writeString(dir.resolve("t.pem"), "-----BEGIN PRIVATE KEY-----\nMIIE\n");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessage(file + ": PEM block PRIVATE KEY has no matching END line (truncated file?)");
    }

    @Test
    void should_refuse_an_empty_block() throws Exception {
        Path file = Files.writeString(dir.resolve("e.pem"), "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessage(file + ": PEM block PRIVATE KEY is empty");
    }

    @Test
    void should_never_put_key_material_in_a_message() throws Exception {
        String pem = Files.readString(key("test-pkcs8.pem"));
        String firstLine = pem.lines().skip(1).findFirst().orElseThrow();

        assertThatThrownBy(() -> PemKeys.readPublicKey(key("test-pkcs8.pem")))
                .hasMessageNotContaining(firstLine.substring(0, 20));
    }
}
