package io.outboundbridge.sign;

import static io.outboundbridge.sign.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestSignerTest {

    private static final PrivateKey PRIVATE = PemKeys.readPrivateKey(key("test-pkcs8.pem"));
    private static final PublicKey PUBLIC = PemKeys.readPublicKey(key("test-public.pem"));
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1586314097995L), ZoneOffset.UTC);
    private static final String PATH = "/speech/openapi/v1/task/outbound/create";
    private static final byte[] BODY = "{\"taskName\":\"任务\"}".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(strings = {"SHA256withRSA", "SHA1withRSA", "SHA512withRSA", "MD5withRSA"})
    void should_sign_what_the_verifier_accepts_for_every_algorithm(String algorithm) {
        String template = "{appId}{timestamp}{method}{path}{body}";
        SignedHeaders h = new RequestSigner("app-123", PRIVATE, template, algorithm, CLOCK).sign("POST", PATH, BODY);
        SignatureVerifier verifier = new SignatureVerifier(PUBLIC, template, algorithm);

        assertThat(verifier.verify("app-123", h.timestamp(), "POST", PATH, BODY, h.sign())).isTrue();
        assertThat(verifier.verify("app-124", h.timestamp(), "POST", PATH, BODY, h.sign())).isFalse();
        assertThat(verifier.verify("app-123", h.timestamp(), "POST", PATH, "{}".getBytes(), h.sign())).isFalse();
    }

    @Test
    void should_make_a_344_character_padded_base64_signature_with_rsa_2048() {
        SignedHeaders h = new RequestSigner("app-123", PRIVATE, SignTemplate.DEFAULT, "SHA256withRSA", CLOCK)
                .sign("POST", PATH, BODY);

        assertThat(h.sign()).hasSize(344).endsWith("=").matches("[A-Za-z0-9+/=]+");
        assertThat(h.appId()).isEqualTo("app-123");
        assertThat(h.timestamp()).isEqualTo("1586314097995");
    }

    @Test
    void should_sign_exactly_as_openssl_does() throws Exception {
        String openssl = Files.readString(key("test-openssl-sign-sha256.txt")).trim();

        SignedHeaders h = new RequestSigner("app-123", PRIVATE, SignTemplate.DEFAULT, "SHA256withRSA", CLOCK)
                .sign("POST", PATH, BODY);

        assertThat(h.sign()).isEqualTo(openssl);
    }

    @Test
    void should_give_verifiable_signatures_with_the_pkcs1_fixture_too() {
        PrivateKey pkcs1 = PemKeys.readPrivateKey(key("test-pkcs1.pem"));
        SignedHeaders h = new RequestSigner("app-123", pkcs1, SignTemplate.DEFAULT, "SHA256withRSA", CLOCK)
                .sign("POST", PATH, BODY);

        assertThat(new SignatureVerifier(PUBLIC, SignTemplate.DEFAULT, "SHA256withRSA")
                .verify("app-123", h.timestamp(), "POST", PATH, BODY, h.sign())).isTrue();
    }

    @Test
    void should_use_a_new_timestamp_and_signature_at_each_instant() {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        Clock ticking = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        RequestSigner signer = new RequestSigner("app", PRIVATE, SignTemplate.DEFAULT, "SHA256withRSA", ticking);

        SignedHeaders first = signer.sign("POST", PATH, BODY);
        now.addAndGet(1);
        SignedHeaders second = signer.sign("POST", PATH, BODY);

        assertThat(first.timestamp()).isEqualTo("1700000000000");
        assertThat(second.timestamp()).isEqualTo("1700000000001");
        assertThat(second.sign()).isNotEqualTo(first.sign());
    }

    @Test
    void should_be_safe_to_share_between_threads() throws Exception {
        RequestSigner signer = new RequestSigner("app", PRIVATE, "{timestamp}{body}", "SHA256withRSA", CLOCK);
        SignatureVerifier verifier = new SignatureVerifier(PUBLIC, "{timestamp}{body}", "SHA256withRSA");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> jobs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] body = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                jobs.add(() -> {
                    SignedHeaders h = signer.sign("POST", PATH, body);
                    return verifier.verify("app", h.timestamp(), "POST", PATH, body, h.sign());
                });
            }
            for (Future<Boolean> f : pool.invokeAll(jobs)) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_refuse_an_unsupported_algorithm_at_construction() {
        assertThatThrownBy(() -> new RequestSigner("app", PRIVATE, SignTemplate.DEFAULT, "SHA256withECDSA", CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'SHA256withECDSA' is not supported");
        assertThatThrownBy(() -> new SignatureVerifier(PUBLIC, SignTemplate.DEFAULT, "sha256withrsa"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_refuse_an_unknown_placeholder_at_construction() {
        assertThatThrownBy(() -> new RequestSigner("app", PRIVATE, "{appId}{nonce}", "SHA256withRSA", CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{nonce}");
    }

    @Test
    void should_not_print_the_signature_in_to_string() {
        SignedHeaders h = new RequestSigner("app-123", PRIVATE, SignTemplate.DEFAULT, "SHA256withRSA", CLOCK)
                .sign("POST", PATH, BODY);

        assertThat(h.toString()).contains("app-123", "1586314097995").doesNotContain(h.sign().substring(0, 16));
    }

    @Test
    void should_answer_false_for_a_signature_that_is_not_base64() {
        SignatureVerifier verifier = new SignatureVerifier(PUBLIC, SignTemplate.DEFAULT, "SHA256withRSA");

        assertThat(verifier.verify("app", "1", "POST", PATH, BODY, "not base64 !!")).isFalse();
        assertThat(verifier.verify("app", "1", "POST", PATH, BODY, "AAAA")).isFalse();
        assertThat(verifier.verify("app", "1", "POST", PATH, BODY, null)).isFalse();
    }
}
