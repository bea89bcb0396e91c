package io.outboundbridge.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The vendor breaker's states, its waiting senders and its probe, and the refusal of our credentials. */
class VendorBreakerTest {

    private final VendorBreaker breaker = new VendorBreaker(Duration.ofMillis(300), Clock.systemUTC());

    @Test
    void should_let_calls_go_while_closed_and_hold_them_once_a_call_failed_after_its_retries() {
        assertThat(breaker.state()).isEqualTo("CLOSED");
        assertThat(breaker.awaitPermission(() -> false)).as("not a probe").isFalse();
        breaker.succeeded();
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.intakeClosedBecause()).isNull();

        breaker.failed("vendor answered 29008");

        assertThat(breaker.state()).isEqualTo("OPEN");
        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.intakeClosedBecause()).contains("vendor breaker is open");
    }

    @Test
    void should_let_one_waiting_call_probe_after_open_for_and_the_others_go_once_it_succeeded() throws Exception {
        List<VendorBreaker.Transition> transitions = new CopyOnWriteArrayList<>();
        breaker.onTransition(transitions::add);
        breaker.failed("the vendor could not be reached: connection refused");
        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo("OPEN");
            assertThat(t.reason()).isEqualTo("the vendor could not be reached: connection refused");
            assertThat(t.probeAt()).isNotNull();
        });

        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> breaker.awaitPermission(() -> false));
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> breaker.awaitPermission(() -> false));
        // one of them probes; the other waits for its verdict
        await().atMost(Duration.ofSeconds(10)).until(() -> first.isDone() || second.isDone());
        CompletableFuture<Boolean> probe = first.isDone() ? first : second;
        CompletableFuture<Boolean> waiting = probe == first ? second : first;
        assertThat(probe.get()).isTrue();
        assertThat(breaker.state()).isEqualTo("HALF_OPEN");
        assertThat(breaker.isOpen()).as("intake stays paused while the probe is out").isTrue();
        assertThat(waiting).isNotDone();

        breaker.succeeded();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).as("not a probe").isFalse();
        assertThat(breaker.state()).isEqualTo("CLOSED");
        assertThat(transitions).extracting(VendorBreaker.Transition::to).containsExactly("OPEN", "HALF_OPEN",
                "CLOSED");
    }

    @Test
    void should_open_again_when_the_probe_fails() {
        breaker.failed("vendor answered 29008");
        assertThat(breaker.awaitPermission(() -> false)).isTrue();

        breaker.failed("vendor answered 29008 again");

        assertThat(breaker.state()).isEqualTo("OPEN");
    }

    @Test
    void should_give_up_waiting_when_the_service_stops_or_the_list_stopped() {
        breaker.failed("vendor answered 29008");
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> breaker.awaitPermission(() -> false));
        assertThatThrownBy(() -> breaker.awaitPermission(() -> true)).isInstanceOf(VendorCallException.class)
                .isNotInstanceOf(StoppedWhileWaitingException.class);

        breaker.stopping();

        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(StoppedWhileWaitingException.class);
    }

    @Test
    void should_close_intake_for_good_once_the_vendor_refused_our_credentials_telling_it_once() {
        List<String> told = new CopyOnWriteArrayList<>();
        breaker.onCredentialsRefused(told::add);

        breaker.refuseCredentials("10001 appId error");
        breaker.refuseCredentials("10001 appId error");

        assertThat(breaker.credentialsRefused()).isTrue();
        assertThat(breaker.intakeClosedBecause()).contains("refused our credentials");
        assertThat(told).containsExactly("10001 appId error");
        assertThat(breaker.state()).as("the vendor answered: not an outage").isEqualTo("CLOSED");
    }
}
