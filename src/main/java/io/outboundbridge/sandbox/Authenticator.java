package io.outboundbridge.sandbox;

import io.outboundbridge.sign.SignatureVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The vendor's authentication of a call, in its order: public key uploaded, appId, timestamp within the allowed
 * clock skew, signature over the exact bytes received.
 */
final class Authenticator {

    private static final Pattern MILLIS = Pattern.compile("\\d{1,18}");

    private final SandboxSettings settings;
    private final SignatureVerifier verifier;

    Authenticator(SandboxSettings settings) {
        this.settings = settings;
        this.verifier = settings.publicKey() == null ? null
                : new SignatureVerifier(settings.publicKey(), settings.template(), settings.algorithm());
    }

    /** Null when the call is authentic, else the answer refusing it. */
    SandboxAnswer refusal(String appId, String timestamp, String sign, String method, String path, byte[] body) {
        if (verifier == null) {
            return new SandboxAnswer(SandboxAnswer.NO_PUBLIC_KEY,
                    "no public key found for this appId, upload the public key first", null);
        }
        if (appId == null) {
            return SandboxAnswer.authFailed("appId header missing");
        }
        if (!settings.appId().equals(appId)) {
            return SandboxAnswer.authFailed("unknown appId");
        }
        if (timestamp == null || !MILLIS.matcher(timestamp).matches()) {
            return SandboxAnswer.authFailed("timestamp header must be epoch milliseconds");
        }
        Clock clock = settings.clock();
        long skew = Math.abs(clock.millis() - Long.parseLong(timestamp));
        if (skew > settings.maxClockSkew().toMillis()) {
            return SandboxAnswer.authFailed("stale timestamp (" + Duration.ofMillis(skew).toSeconds()
                    + " s off the vendor clock, at most " + settings.maxClockSkew().toSeconds() + " s allowed)");
        }
        if (sign == null || sign.isEmpty()) {
            return SandboxAnswer.authFailed("sign header missing");
        }
        if (!verifier.verify(appId, timestamp, method, path, body, sign)) {
            return SandboxAnswer.authFailed("bad signature");
        }
        return null;
    }
}
