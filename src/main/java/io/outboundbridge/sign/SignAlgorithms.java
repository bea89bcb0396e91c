package io.outboundbridge.sign;

import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.List;

/** The signature algorithms the vendor may expect (SPEC.md), checked once so a typo fails at start-up. */
final class SignAlgorithms {

    static final List<String> SUPPORTED = List.of("SHA256withRSA", "SHA1withRSA", "SHA512withRSA", "MD5withRSA");

    private SignAlgorithms() {
    }

    static String check(String algorithm) {
        if (!SUPPORTED.contains(algorithm)) {
            throw new IllegalArgumentException("sign algorithm '" + algorithm + "' is not supported; use one of "
                    + SUPPORTED);
        }
        return algorithm;
    }

    static Signature newSignature(String algorithm) {
        try {
            return Signature.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }
}
