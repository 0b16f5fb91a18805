package io.jrtc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetemBehaviourTest {

    private static final long MS = 1_000_000L;

    private static List<Integer> sendAll(NetemLink link, int count, int length, long spacing) {
        List<Integer> delivered = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] p = new byte[length];
            java.nio.ByteBuffer.wrap(p).putInt(i);
            link.send(i * spacing, p);
        }
        for (byte[] p = link.poll(Long.MAX_VALUE - 1); p != null; p = link.poll(Long.MAX_VALUE - 1)) {
            delivered.add(java.nio.ByteBuffer.wrap(p).getInt());
        }
        return delivered;
    }

    @Test
    void randomLossMatchesConfiguredRate() {
        NetemLink link = new NetemLink(NetemConfig.perfect().withLoss(0.2), 42);
        List<Integer> got = sendAll(link, 20_000, 100, MS);
        assertThat(link.stats().lost()).isBetween(3_700L, 4_300L);
        assertThat(got).hasSize(20_000 - (int) link.stats().lost());
        assertThat(got).isSorted();
    }

    @Test
    void gilbertElliottLossComesInBursts() {
        GilbertElliott ge = GilbertElliott.ofMeanLoss(0.05, 4);
        assertThat(ge.meanLoss()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        NetemLink link = new NetemLink(NetemConfig.perfect().withBurstLoss(ge), 7);
        List<Integer> got = sendAll(link, 50_000, 100, MS);
        // Measure runs of consecutive lost packet numbers.
        int runs = 0;
        int lostTotal = 0;
        int expected = 0;
        for (int n : got) {
            if (n > expected) {
                runs++;
                lostTotal += n - expected;
            }
            expected = n + 1;
        }
        double meanBurst = (double) lostTotal / runs;
        assertThat(lostTotal / 50_000.0).isBetween(0.04, 0.06);
        assertThat(meanBurst).isBetween(3.3, 4.7);
    }

    @Test
    void bottleneckSerialisesAtTheConfiguredRate() {
        // 1000 packets of 1250 bytes = 10 Mbit, through 10 Mbit/s: the last arrives after one second plus the delay.
        NetemLink link = new NetemLink(NetemConfig.perfect().withDelay(Duration.ofMillis(20)).withRate(10_000_000, 2_000_000), 1);
        for (int i = 0; i < 1000; i++) {
            link.send(0, new byte[1250]);
        }
        long last = 0;
        int n = 0;
        while (link.nextDelivery() != Long.MAX_VALUE) {
            last = link.nextDelivery();
            assertThat(link.poll(last)).isNotNull();
            n++;
        }
        assertThat(n).isEqualTo(1000);
        assertThat(last).isEqualTo(1000 * MS + 20 * MS);
    }

    @Test
    void fullQueueTailDrops() {
        // 10 Mbit/s, 12,500-byte queue: a burst of 20 packets of 1250 B keeps at most 10 queued (+1 in service).
        NetemLink link = new NetemLink(NetemConfig.perfect().withRate(10_000_000, 12_500), 1);
        for (int i = 0; i < 20; i++) {
            link.send(0, new byte[1250]);
        }
        assertThat(link.stats().queueDrops()).isEqualTo(10);
        assertThat(link.inFlightCount()).isEqualTo(10);
    }

    @Test
    void mtuDropsOversizedPackets() {
        NetemLink link = new NetemLink(NetemConfig.perfect().withMtu(1200), 1);
        link.send(0, new byte[1200]);
        link.send(0, new byte[1201]);
        assertThat(link.stats().mtuDrops()).isEqualTo(1);
        assertThat(link.poll(0)).hasSize(1200);
        assertThat(link.poll(0)).isNull();
    }

    @Test
    void duplicationAndReorderingHappenAtTheirRates() {
        NetemLink link = new NetemLink(NetemConfig.perfect().withDelay(Duration.ofMillis(10))
                .withDuplication(0.1).withReorder(0.1, Duration.ofMillis(5)), 3);
        List<Integer> got = sendAll(link, 10_000, 64, MS);
        assertThat(link.stats().duplicated()).isBetween(850L, 1150L);
        assertThat(link.stats().reordered()).isBetween(850L, 1150L);
        assertThat(got).hasSize(10_000 + (int) link.stats().duplicated());
        long outOfOrder = 0;
        for (int i = 1; i < got.size(); i++) {
            if (got.get(i) < got.get(i - 1)) {
                outOfOrder++;
            }
        }
        assertThat(outOfOrder).isGreaterThan(500);
    }

    @Test
    void jitterNeverReordersByItself() {
        NetemLink link = new NetemLink(NetemConfig.perfect().withDelay(Duration.ofMillis(30)).withJitter(Duration.ofMillis(20)), 9);
        assertThat(sendAll(link, 5_000, 64, MS / 10)).hasSize(5_000).isSorted();
    }

    @Test
    void invalidConfigIsRefused() {
        assertThatThrownBy(() -> NetemConfig.perfect().withLoss(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NetemConfig.perfect().withDelay(Duration.ofMillis(1)).withJitter(Duration.ofMillis(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
    }
}
