package io.outboundbridge.support;

import io.outboundbridge.sandbox.SandboxSettings;
import io.outboundbridge.sandbox.SandboxVendor;

/** The sandbox vendor as tests use it: loopback, a free port, the test key. */
public final class Sandboxes {

    public static final String APP_ID = "99845aaaaebd4d61acccc9b776208f12";

    private Sandboxes() {
    }

    public static SandboxVendor start() {
        return SandboxVendor.start(SandboxSettings.builder().appId(APP_ID).publicKey(TestKeys.publicKey()).build());
    }
}
