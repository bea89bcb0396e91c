package io.outboundbridge.bench;

import io.outboundbridge.sign.PemKeys;
import io.outboundbridge.sign.RequestSigner;
import io.outboundbridge.sign.SignTemplate;
import io.outboundbridge.task.Profile;
import io.outboundbridge.task.ProfileLoader;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.main.Main;

/**
 * The naive baseline as its own process: Camel Main running one YAML route,
 * {@code src/test/resources/bench/naive-baseline.camel.yaml} (file consumer, Bindy unmarshal of the whole file into
 * a list, groups of 1000, Jackson marshal, signed POST per group with camel-http, move to done).
 * Settings come as {@code -D}: {@code naive.inbox}, {@code naive.done}, {@code naive.failed}, {@code naive.base-url},
 * {@code naive.app-id}, {@code naive.private-key}, {@code naive.profiles}.
 */
public final class NaiveBaseline {

    private NaiveBaseline() {
    }

    public static void main(String[] args) throws Exception {
        Profile profile = ProfileLoader.loadAll(Path.of(System.getProperty("naive.profiles"))).get("default");
        RequestSigner signer = new RequestSigner(System.getProperty("naive.app-id"),
                PemKeys.readPrivateKey(Path.of(System.getProperty("naive.private-key"))), SignTemplate.DEFAULT,
                "SHA256withRSA", Clock.systemUTC());
        Main main = new Main();
        main.bind("naiveRequests", new NaiveRequests(profile));
        main.bind("naiveSigner", new NaiveSigner(signer));
        main.configure().withName("naive-baseline");
        main.configure().withRoutesIncludePattern("classpath:bench/naive-baseline.camel.yaml");
        main.run(args);
    }
}
