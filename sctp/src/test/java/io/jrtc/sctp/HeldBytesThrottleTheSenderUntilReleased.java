package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Receive-side backpressure: messages the application polled but holds unconsumed ({@code holdReceived}) stay charged
 * against a_rwnd, so the sender stops at the window; the window stays closed for as long as they are held (ten
 * minutes here, past the point where ten backed-off T3 expiries would abort the association were zero-window probes
 * counted as errors, RFC 9260 §6.1 A); releasing them sends a window update at once (RFC 9260 §6.2), so the
 * transfer resumes without waiting for the sender's backed-off probe timer.
 */
class HeldBytesThrottleTheSenderUntilReleased {

    private static final int WINDOW = 256 * 1024;
    private static final int SIZE = 16 * 1024;
    private static final int COUNT = 60;

    @Test
    void heldBytesCloseTheWindowForTenMinutesAndReleasingThemReopensItAtOnce() {
        SctpPair p = SctpPair.of(SctpPair.config(21), SctpPair.config(22).receiveWindow(WINDOW),
                NetemConfig.perfect().withDelay(Duration.ofMillis(10)), 5);
        long[] held = {0};
        p.onEventB(e -> {
            if (e instanceof SctpEvent.MessageReceived m) {
                p.b.holdReceived(m.data().remaining());
                held[0] += m.data().remaining();
            }
        });
        p.establish();
        for (int i = 0; i < COUNT; i++) {
            p.a.send(p.now(), 1, 53, Messages.make(i, SIZE), SendOptions.RELIABLE);
        }
        p.run(() -> false, Duration.ofMinutes(10));

        SctpStats b = p.b.stats();
        assertThat(b.localRwnd()).as("B's window is closed by what it holds").isLessThan(SIZE);
        assertThat(held[0]).as("B holds at most a window plus one chunk").isLessThanOrEqualTo(WINDOW + 1200)
                .isGreaterThan(WINDOW - 2L * SIZE);
        assertThat(p.b.heldReceivedBytes()).isEqualTo(held[0]);
        assertThat(p.a.bufferedAmount()).as("the rest waits at the sender").isPositive();
        assertThat(p.a.state()).as("zero-window probes answered by SACKs do not abort").isEqualTo(SctpState.ESTABLISHED);
        assertThat(p.a.stats().t3Expiries()).as("A probed the closed window").isGreaterThanOrEqualTo(10);
        assertThat(b.dropsReceiveWindow()).as("only probes went beyond the window").isLessThanOrEqualTo(p.a.stats().t3Expiries() + 1);
        long sacksBefore = p.b.stats().sacksSent();

        // the application consumes everything it held, and from then on whatever arrives
        p.onEventB(e -> { });
        p.b.releaseReceived(held[0]);
        long releasedAt = p.now();
        boolean all = p.run(() -> SctpPair.all(p.eventsB, SctpEvent.MessageReceived.class).size() == COUNT, Duration.ofSeconds(5));
        assertThat(all).as("every message arrived within 5 s of the release (the probe timer was backed off to %d ms)",
                p.a.stats().rtoNanos() / 1_000_000).isTrue();
        assertThat(p.b.stats().sacksSent()).as("a window update went out").isGreaterThan(sacksBefore);
        assertThat(p.now() - releasedAt).isLessThan(Duration.ofSeconds(5).toNanos());
        List<SctpEvent.MessageReceived> got = SctpPair.all(p.eventsB, SctpEvent.MessageReceived.class);
        for (int i = 0; i < COUNT; i++) {
            assertThat(Messages.check(got.get(i).data())).isEqualTo(i);
        }
        assertThat(p.b.heldReceivedBytes()).isZero();
        assertThat(p.b.stats().localRwnd()).isEqualTo(WINDOW);
    }

    @Test
    void releasingMoreThanIsHeldIsRefused() {
        SctpAssociation a = new SctpAssociation(SctpPair.config(1).build());
        a.holdReceived(10);
        assertThatThrownBy(() -> a.releaseReceived(11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.holdReceived(-1)).isInstanceOf(IllegalArgumentException.class);
        a.releaseReceived(10);
        assertThat(a.heldReceivedBytes()).isZero();
    }
}
