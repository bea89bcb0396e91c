package io.outboundbridge.run;

import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.LedgerSettings;
import io.outboundbridge.reading.InboxNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Lists a crash left in the processing folder go back to the inbox at start-up, and none is ever overwritten. */
class ListLedgerRecoveryTest {

    @TempDir
    Path tmp;

    @Test
    void should_move_leftovers_back_and_give_a_clashing_one_a_name_of_its_own() throws Exception {
        Path processing = Files.createDirectories(tmp.resolve("processing/vip"));
        Path inbox = Files.createDirectories(tmp.resolve("inbox"));
        Files.writeString(processing.resolve("a.csv"), "left a");
        Files.writeString(tmp.resolve("processing/b.csv"), "left b");
        Files.writeString(inbox.resolve("b.csv"), "new b");
        try (Ledger ledger = Ledger.open(LedgerSettings.embedded(tmp.resolve("data")))) {
            ListLedger lists = new ListLedger(ledger, ZoneId.of("Asia/Shanghai"), Clock.systemUTC());

            assertThat(lists.recover(tmp.resolve("processing"), inbox))
                    .containsExactlyInAnyOrder("vip/a.csv", "b-retaken-2.csv");
        }
        assertThat(Files.readString(inbox.resolve("vip/a.csv"))).isEqualTo("left a");
        assertThat(Files.readString(inbox.resolve("b.csv"))).isEqualTo("new b");
        assertThat(Files.readString(inbox.resolve("b-retaken-2.csv"))).isEqualTo("left b");
        assertThat(io.outboundbridge.support.Folders.filesUnder(tmp.resolve("processing"))).isEmpty();
    }

    @Test
    void should_pick_the_smallest_free_name() {
        Set<String> taken = Set.of("x/l.csv", "x/l-retaken-2.csv");
        assertThat(InboxNames.retaken("x/l.csv", taken::contains)).isEqualTo("x/l-retaken-3.csv");
        assertThat(InboxNames.retaken("x/m.csv", taken::contains)).isEqualTo("x/m.csv");
        assertThat(InboxNames.retaken("noext", Set.of("noext")::contains)).isEqualTo("noext-retaken-2");
    }
}
