package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link SctpAssociation#pathChanged}: after the path died long enough for T3-rtx to back off, a new path (an ICE
 * restart onto another TURN server, say) gets the outstanding data at once, not when the backed-off timer fires, and
 * the RTO starts again from RTO.Initial.
 */
class PathChangeRetransmitsAtOnce {

    /** The old path dies for 5.5 s with one message outstanding; returns when B received it, measured from the repair. */
    private static long deliveryAfterRepair(boolean signalPathChange) {
        SctpPair p = SctpPair.of(SctpPair.config(11), SctpPair.config(12),
                NetemConfig.perfect().withDelay(Duration.ofMillis(10)), 4);
        p.establish();
        p.net.withFilter((d, i, pkt) -> true);
        p.a.send(p.now(), 1, 53, ByteBuffer.wrap(new byte[100]), SendOptions.RELIABLE);
        long diedAt = p.now();
        p.run(() -> p.now() - diedAt >= Duration.ofMillis(5500).toNanos(), Duration.ofSeconds(6));
        assertThat(p.a.stats().t3Expiries()).as("T3 backed off while the path was dead").isGreaterThanOrEqualTo(3);
        assertThat(p.a.stats().rtoNanos()).isGreaterThanOrEqualTo(Duration.ofSeconds(2).toNanos());
        p.net.withFilter((d, i, pkt) -> false);
        long repairedAt = p.now();
        if (signalPathChange) {
            p.a.pathChanged(p.now());
            assertThat(p.a.stats().rtoNanos()).isEqualTo(SctpPair.config(11).build().rtoInitial().toNanos());
        }
        assertThat(p.run(() -> SctpPair.has(p.eventsB, SctpEvent.MessageReceived.class), Duration.ofSeconds(30))).isTrue();
        return p.now() - repairedAt;
    }

    @Test
    void outstandingDataIsRetransmittedAsSoonAsThePathChanges() {
        long withSignal = deliveryAfterRepair(true);
        long without = deliveryAfterRepair(false);
        assertThat(withSignal).as("delivery after pathChanged (ns)").isLessThan(Duration.ofMillis(50).toNanos());
        // Without it, the message waits for the backed-off T3 timer.
        assertThat(without).as("delivery without pathChanged (ns)").isGreaterThan(Duration.ofSeconds(1).toNanos());
    }
}
