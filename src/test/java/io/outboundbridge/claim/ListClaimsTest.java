package io.outboundbridge.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.LedgerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox consumers' read lock over the ledger's list claims (on the embedded H2 ledger, two instances opened on
 * it in this JVM): the keys Camel passes, one holder at a time, release, and a claim lost when it is not renewed.
 */
class ListClaimsTest {

    @TempDir
    Path tmp;

    private Ledger ledgerA;
    private Ledger ledgerB;
    private Path inbox;
    private Path processing;

    @BeforeEach
    void open() throws Exception {
        LedgerSettings settings = LedgerSettings.embedded(tmp.resolve("data"));
        ledgerA = Ledger.open(settings, Clock.systemUTC(), "a", 400);
        ledgerB = Ledger.open(settings, Clock.systemUTC(), "b", 60_000);
        inbox = Files.createDirectories(tmp.resolve("inbox"));
        processing = Files.createDirectories(tmp.resolve("processing"));
    }

    @AfterEach
    void close() {
        ledgerA.close();
        ledgerB.close();
    }

    @Test
    void should_key_a_list_by_its_name_in_the_inbox_whether_camel_names_it_in_the_inbox_or_in_processing() {
        ListClaims a = new ListClaims(ledgerA, "a", 400, inbox, processing);

        assertThat(a.keyOf(inbox.resolve("vip/l.csv").toString())).isEqualTo("vip/l.csv");
        assertThat(a.keyOf(processing.resolve("vip/l.csv").toString())).isEqualTo("vip/l.csv");
        assertThat(a.keyOf("sftp:acme:vip/l.csv")).isEqualTo("sftp:acme:vip/l.csv");
        assertThat(ListClaims.key("acme", "vip\\l.csv")).isEqualTo("sftp:acme:vip/l.csv");
    }

    @Test
    void should_let_one_instance_take_a_list_until_it_releases_it() throws Exception {
        ListClaims a = new ListClaims(ledgerA, "a", 60_000, inbox, processing);
        ListClaims b = new ListClaims(ledgerB, "b", 60_000, inbox, processing);
        String inInbox = inbox.resolve("l.csv").toString();
        Files.writeString(processing.resolve("l.csv"), "in flight");

        assertThat(a.add(inInbox)).isTrue();
        assertThat(a.add(inInbox)).as("a list of that name is in flight here").isFalse();
        assertThat(b.add(inInbox)).isFalse();
        assertThat(b.heldElsewhere("l.csv")).hasValue("a");

        assertThat(a.remove(processing.resolve("l.csv").toString())).isTrue();
        assertThat(b.add(inInbox)).isTrue();
        assertThat(a.heldElsewhere("l.csv")).hasValue("b");
    }

    @Test
    void should_lose_a_claim_that_is_not_renewed_and_one_another_instance_took() {
        ListClaims a = new ListClaims(ledgerA, "a", 400, inbox, processing);
        ListClaims b = new ListClaims(ledgerB, "b", 60_000, inbox, processing);
        assertThat(a.add("sftp:acme:l.csv")).isTrue();
        a.renew();
        assertThat(a.lost("sftp:acme:l.csv", null)).isFalse();

        // no heartbeat: the claim lapses by the database's clock, and by this process's own
        await().atMost(Duration.ofSeconds(10)).until(() -> b.claimLapsed("sftp:acme:l.csv"));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.lost("sftp:acme:l.csv", null));

        ListClaims again = new ListClaims(ledgerA, "a", 60_000, inbox, processing);
        assertThat(again.add("sftp:acme:other.csv")).isTrue();
        assertThat(b.claimLapsed("sftp:acme:other.csv")).as("a live claim of another instance").isFalse();
        assertThat(b.add("sftp:acme:l.csv")).as("b's own claim, not in flight at b").isTrue();
    }
}
