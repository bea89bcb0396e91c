package io.outboundbridge.sign;

import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Base64;
import java.util.Objects;

/** Checks a call's {@code sign} header with the tenant's public key: what the vendor (and the sandbox) does. */
public final class SignatureVerifier {

    private final PublicKey key;
    private final SignTemplate template;
    private final String algorithm;

    public SignatureVerifier(PublicKey key, String template, String algorithm) {
        this.key = Objects.requireNonNull(key, "public key");
        this.template = new SignTemplate(template);
        this.algorithm = SignAlgorithms.check(algorithm);
        init();
    }

    /** True when {@code sign} is a valid signature of the template over these values; false for anything else. */
    public boolean verify(String appId, String timestamp, String method, String path, byte[] body, String sign) {
        if (sign == null || appId == null || timestamp == null || method == null || path == null) {
            return false;
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(sign);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature s = init();
            template.update(s, appId, timestamp, method, path, body);
            return s.verify(signature);
        } catch (SignatureException e) {
            return false;
        }
    }

    private Signature init() {
        Signature signature = SignAlgorithms.newSignature(algorithm);
        try {
            signature.initVerify(key);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("the public key cannot verify " + algorithm + " ("
                    + key.getAlgorithm() + " key)", e);
        }
        return signature;
    }
}
