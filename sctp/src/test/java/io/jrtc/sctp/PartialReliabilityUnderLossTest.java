package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Partially reliable messages (RFC 3758) under heavy loss: every message that arrives is whole and intact (never a
 * part of an abandoned one), ordered streams stay in order, and every message is either delivered or abandoned.
 * The counts are printed.
 */
class PartialReliabilityUnderLossTest {

    @ParameterizedTest(name = "{0} unordered={1} loss={2}")
    @CsvSource({
            "maxRetransmits=0, false, 0.20",
            "maxRetransmits=0, true, 0.20",
            "lifetime=150ms, false, 0.20",
            "lifetime=150ms, true, 0.20"})
    void onlyWholeMessagesArriveAndNoneIsLostUnaccounted(String mode, boolean unordered, double loss) {
        NetemConfig link = NetemConfig.perfect().withDelay(Duration.ofMillis(30)).withJitter(Duration.ofMillis(5))
                .withReorder(0.02, Duration.ofMillis(10));
        SctpPair p = SctpPair.of(SctpPair.config(21), SctpPair.config(22), link, 7);
        // establish over a clean link, then turn loss on via the filter's own random source
        SplittableRandom dropper = new SplittableRandom(3);
        boolean[] lossy = {false};
        p.net.withFilter((d, i, pkt) -> lossy[0] && dropper.nextDouble() < loss);
        p.establish();
        lossy[0] = true;
        SendOptions options = mode.startsWith("maxRetransmits")
                ? SendOptions.maxRetransmits(unordered, 0)
                : SendOptions.lifetime(unordered, Duration.ofMillis(150));
        List<Integer> received = new ArrayList<>();
        int[] corrupt = {0};
        p.onEventB(e -> {
            if (e instanceof SctpEvent.MessageReceived m) {
                int idx = Messages.check(m.data());
                if (idx < 0) {
                    corrupt[0]++;
                } else {
                    received.add(idx);
                }
            }
        });
        SplittableRandom sizes = new SplittableRandom(11);
        int total = 1500;
        boolean bulk = mode.startsWith("maxRetransmits");
        for (int i = 0; i < total; i++) {
            int size = sizes.nextInt(1, 4) == 1 ? sizes.nextInt(2000, 9000) : sizes.nextInt(8, 1000);
            p.a.send(p.now(), 3, 53, Messages.make(i, size), options);
            if (bulk && i % 20 == 19) {
                p.run(() -> false, Duration.ofMillis(20));
            } else if (!bulk) {
                // a real-time stream: one message every 10 ms, well under what the lossy path carries
                p.run(() -> false, Duration.ofMillis(10));
            }
        }
        assertThat(p.run(() -> p.a.allDataAcknowledged(), Duration.ofMinutes(10))).as("everything acknowledged or skipped").isTrue();
        p.run(() -> false, Duration.ofSeconds(1));
        SctpStats s = p.a.stats();
        long abandoned = SctpPair.all(p.eventsA, SctpEvent.MessageAbandoned.class).size();
        System.out.println("A: " + s + " state=" + p.a.state() + " B: " + p.b.stats());
        System.out.println("virtual time " + p.now() / 1e9);
        System.out.printf("PR %s unordered=%s loss=%.2f: sent=%d delivered=%d abandoned=%d corrupt=%d forwardTsn=%d rtx=%d%n", mode,
                unordered, loss, total, received.size(), abandoned, corrupt[0], s.forwardTsnsSent(), s.retransmittedChunks());
        assertThat(corrupt[0]).as("partial or damaged messages delivered").isZero();
        assertThat(received).doesNotHaveDuplicates();
        assertThat(abandoned).isPositive();
        assertThat(s.abandonedMessages()).isEqualTo(abandoned);
        assertThat(s.forwardTsnsSent()).isPositive();
        assertThat(received.size() + abandoned).as("every message delivered or abandoned").isGreaterThanOrEqualTo(total);
        assertThat(received.size()).isGreaterThan(total / 4);
        if (!unordered) {
            assertThat(received).isSorted();
        }
        assertThat(p.b.stats().forwardTsnsReceived()).isPositive();
        assertThat(p.a.state()).isEqualTo(SctpState.ESTABLISHED);
    }
}
