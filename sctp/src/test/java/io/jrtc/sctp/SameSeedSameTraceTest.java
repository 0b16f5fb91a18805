package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.GilbertElliott;
import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A whole lossy run is a function of its seeds: same seeds, same packets at the same virtual times. */
class SameSeedSameTraceTest {

    private static String run(long seed) {
        NetemConfig link = NetemConfig.perfect().withDelay(Duration.ofMillis(15)).withJitter(Duration.ofMillis(3))
                .withBurstLoss(GilbertElliott.ofMeanLoss(0.05, 3)).withReorder(0.01, Duration.ofMillis(4)).withDuplication(0.01)
                .withRate(20_000_000, 100_000);
        SctpPair p = SctpPair.of(SctpPair.config(seed), SctpPair.config(seed + 1), link, seed);
        p.establish();
        TransferHarness t = new TransferHarness(p, 1, SendOptions.RELIABLE, 1_000_000, 1, 64 * 1024, seed);
        t.feed();
        assertThat(p.run(t::done, Duration.ofMinutes(5))).isTrue();
        assertThat(t.receivedDigest()).isEqualTo(t.sentDigest());
        return p.net.traceDigest();
    }

    @Test
    void theSameSeedGivesTheSameTrace() {
        String first = run(17);
        assertThat(run(17)).isEqualTo(first);
        assertThat(run(18)).isNotEqualTo(first);
    }
}
