package io.outboundbridge.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The quiet period, conditions and their recovery, on a clock the test moves. */
class AlertsTest {

    static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

    final List<Alert> sent = new CopyOnWriteArrayList<>();
    final MovingClock clock = new MovingClock(T0);
    final Alerts alerts = new Alerts(true, Duration.ofMinutes(10), clock, "host/42", sent::add);

    @Test
    void should_send_the_first_alert_of_a_kind_and_count_its_repeats_into_one_summary_after_the_quiet_period() {
        alerts.raise("list-failed", "a.csv", "stage parse: wrong header");
        clock.move(Duration.ofMinutes(1));
        alerts.raise("list-failed", "b.csv", "stage parse: wrong header");
        clock.move(Duration.ofMinutes(1));
        alerts.raise("list-failed", "c.csv", "stage create, vendor code 29008: busy");
        alerts.sendSummaries();
        assertThat(sent).extracting(Alert::kind, Alert::subject, Alert::count)
                .containsExactly(tuple("list-failed", "a.csv", 1));

        clock.move(Duration.ofMinutes(8));
        alerts.sendSummaries();
        alerts.sendSummaries();

        assertThat(sent).hasSize(2);
        Alert summary = sent.get(1);
        assertThat(summary.count()).isEqualTo(2);
        assertThat(summary.since()).isEqualTo(T0.plus(Duration.ofMinutes(1)).toString());
        assertThat(summary.subject()).isEqualTo("b.csv, c.csv");
        assertThat(summary.message()).startsWith("2 more list-failed since 2026-12-07T01:01:00Z (b.csv, c.csv)")
                .contains("vendor code 29008");
        assertThat(summary.instance()).isEqualTo("host/42");
    }

    @Test
    void should_send_nothing_after_a_quiet_period_without_repeats_and_send_the_next_alert_at_once() {
        alerts.raise("list-failed", "a.csv", "x");
        clock.move(Duration.ofMinutes(11));
        alerts.sendSummaries();
        alerts.raise("list-failed", "b.csv", "y");

        assertThat(sent).extracting(Alert::subject, Alert::count).containsExactly(tuple("a.csv", 1), tuple("b.csv", 1));
    }

    @Test
    void should_tell_a_condition_once_and_its_end_once() {
        alerts.raise("inbox-down", "poll-sftp-inbox", "connection refused");
        alerts.raise("inbox-down", "poll-sftp-inbox", "connection refused");
        alerts.recovered("inbox-down", "poll-sftp-inbox", "a poll succeeded");
        alerts.recovered("inbox-down", "poll-sftp-inbox", "a poll succeeded");

        assertThat(sent).extracting(Alert::kind, Alert::state, Alert::subject)
                .containsExactly(tuple("inbox-down", "raised", "poll-sftp-inbox"),
                        tuple("inbox-down", "recovered", "poll-sftp-inbox"));
        assertThat(sent.get(0).message()).startsWith("inbox poll-sftp-inbox cannot be polled: connection refused");
        assertThat(sent.get(1).message()).isEqualTo("inbox poll-sftp-inbox is polled again: a poll succeeded");
        assertThat(alerts.holds("inbox-down", "poll-sftp-inbox")).isFalse();
    }

    @Test
    void should_name_a_condition_that_ended_within_the_quiet_period_in_the_summary_instead_of_telling_its_end() {
        alerts.raise("vendor-breaker-open", "vendor", "29008 after 5 attempts");
        alerts.recovered("vendor-breaker-open", "vendor", "a probe succeeded");
        clock.move(Duration.ofMinutes(2));
        alerts.raise("vendor-breaker-open", "vendor", "timeout after 5 attempts");
        alerts.recovered("vendor-breaker-open", "vendor", "a probe succeeded");
        clock.move(Duration.ofMinutes(9));
        alerts.sendSummaries();

        assertThat(sent).extracting(Alert::state, Alert::count)
                .containsExactly(tuple("raised", 1), tuple("recovered", 1), tuple("raised", 1));
        assertThat(sent.get(2).message()).startsWith("1 more vendor-breaker-open since 2026-12-07T01:02:00Z "
                + "(vendor (recovered since))");
    }

    @Test
    void should_take_a_raised_vendor_breaker_closed_as_the_end_of_vendor_breaker_open() {
        alerts.raise("vendor-breaker-open", "vendor", "29008 after 5 attempts");
        alerts.raise("vendor-breaker-closed", "vendor", "a probe succeeded");

        assertThat(sent).extracting(Alert::kind, Alert::state, Alert::message).containsExactly(
                tuple("vendor-breaker-open", "raised", "the vendor breaker is open: 29008 after 5 attempts. Intake is "
                        + "paused and lists in flight wait in processing until a probe succeeds"),
                tuple("vendor-breaker-open", "recovered", "the vendor breaker closed: a probe succeeded. Calls go "
                        + "through again and the waiting lists resume"));
    }

    @Test
    void should_tell_the_end_of_a_condition_first_told_in_a_summary() {
        alerts.raise("inbox-down", "a", "refused");
        alerts.raise("inbox-down", "b", "refused");
        clock.move(Duration.ofMinutes(11));
        alerts.sendSummaries();
        alerts.recovered("inbox-down", "b");

        assertThat(sent).extracting(Alert::state, Alert::subject)
                .containsExactly(tuple("raised", "a"), tuple("raised", "b"), tuple("recovered", "b"));
    }

    @Test
    void should_mask_phone_numbers_and_hide_passwords() {
        alerts.raise("list-failed", "13800000001.csv", "see sftp://bob:hunter2@host/in?password=s3cret&x=1 and "
                + "+86 138-0000-0002");

        Alert alert = sent.get(0);
        assertThat(alert.subject()).isEqualTo("138******01.csv");
        assertThat(alert.message()).doesNotContain("13800000001", "138-0000-0002", "hunter2", "s3cret")
                .contains("sftp://bob:xxxxxx@host/in?password=xxxxxx&x=1");
    }

    @Test
    void should_send_nothing_when_off_and_survive_an_outbox_that_refuses() {
        Alerts off = new Alerts(false, Duration.ZERO, clock, "", sent::add);
        off.raise("list-failed", "a.csv", "x");
        off.sendSummaries();
        assertThat(sent).isEmpty();

        Alerts full = new Alerts(true, Duration.ZERO, clock, "", a -> {
            throw new IllegalStateException("Queue full");
        });
        full.raise("list-failed", "a.csv", "x");
        assertThat(full.holds("list-failed", "a.csv")).isFalse();
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void move(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
