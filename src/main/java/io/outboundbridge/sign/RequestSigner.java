package io.outboundbridge.sign;

import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;

/**
 * Signs vendor calls with the tenant's private key: a fresh timestamp from the clock, the template rendered over
 * it, signed and Base64-encoded. Thread-safe; the key is parsed once by the caller, each call uses its own
 * {@link Signature}.
 */
public final class RequestSigner {

    private final String appId;
    private final PrivateKey key;
    private final SignTemplate template;
    private final String algorithm;
    private final Clock clock;

    public RequestSigner(String appId, PrivateKey key, String template, String algorithm, Clock clock) {
        this.appId = Objects.requireNonNull(appId, "appId");
        this.key = Objects.requireNonNull(key, "private key");
        this.template = new SignTemplate(template);
        this.algorithm = SignAlgorithms.check(algorithm);
        this.clock = Objects.requireNonNull(clock, "clock");
        // fail at construction, not at the first call, when the key does not suit the algorithm
        init();
    }

    /** Headers for one attempt; every attempt, retries included, gets a new timestamp and signature. */
    public SignedHeaders sign(String method, String path, byte[] body) {
        String timestamp = Long.toString(clock.millis());
        try {
            Signature signature = init();
            template.update(signature, appId, timestamp, method, path, body);
            return new SignedHeaders(appId, timestamp, Base64.getEncoder().encodeToString(signature.sign()));
        } catch (SignatureException e) {
            throw new IllegalStateException("signing with " + algorithm + " failed", e);
        }
    }

    private Signature init() {
        Signature signature = SignAlgorithms.newSignature(algorithm);
        try {
            signature.initSign(key);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("the private key cannot sign with " + algorithm + " ("
                    + key.getAlgorithm() + " key)", e);
        }
        return signature;
    }

    @Override
    public String toString() {
        return "RequestSigner[appId=" + appId + ", template=" + template + ", algorithm=" + algorithm + "]";
    }
}
