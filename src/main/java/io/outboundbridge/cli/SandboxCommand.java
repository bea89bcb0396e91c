package io.outboundbridge.cli;

import io.outboundbridge.sandbox.SandboxSettings;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.sign.PemKeys;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sandbox}: the vendor simulator alone, for trying the service without the real vendor. */
@Command(name = "sandbox", description = "Run only the vendor simulator (strict to the vendor's API) until stopped.")
final class SandboxCommand implements Callable<Integer> {

    @Option(names = "--port", description = "port on 127.0.0.1 (0 = any free port)", defaultValue = "9480")
    int port;

    @Option(names = "--public-key", description = "the tenant's public key PEM (without one every call gets 10002)")
    Path publicKey;

    @Option(names = "--app-id", description = "the appId the simulator accepts", defaultValue = "sandbox-app")
    String appId;

    @Option(names = "--answer-latency", paramLabel = "MS", defaultValue = "0",
            description = "milliseconds each call takes before it is answered, like a real vendor (0 = at once)")
    long answerLatency;

    @Override
    public Integer call() throws InterruptedException {
        if (answerLatency < 0) {
            System.err.println("sandbox: --answer-latency must be 0 or more milliseconds (found " + answerLatency + ")");
            return 2;
        }
        SandboxSettings.Builder settings = SandboxSettings.builder().port(port).appId(appId)
                .answerLatency(java.time.Duration.ofMillis(answerLatency));
        try {
            if (publicKey != null) {
                settings.publicKey(PemKeys.readPublicKey(publicKey));
            }
        } catch (RuntimeException e) {
            System.err.println("sandbox: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (SandboxVendor sandbox = SandboxVendor.start(settings.build())) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "sandbox-stop"));
            System.out.println("Sandbox vendor on " + sandbox.baseUrl() + " for appId " + appId
                    + (publicKey == null ? " (no public key: every call answers 10002)" : "")
                    + (answerLatency > 0 ? ", answering after " + answerLatency + " ms" : ""));
            stopped.await();
        }
        return 0;
    }
}
