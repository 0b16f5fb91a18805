package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReliableTransferUnderLossTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.05, 0.20})
    void tenMegabytesArriveCompleteAndInOrder(double loss) {
        NetemConfig link = NetemConfig.perfect().withDelay(Duration.ofMillis(10)).withJitter(Duration.ofMillis(2)).withLoss(loss)
                .withReorder(0.02, Duration.ofMillis(5)).withDuplication(0.01);
        SctpPair p = SctpPair.of(SctpPair.config(11).maxMessageSize(1 << 20), SctpPair.config(12).maxMessageSize(1 << 20), link, 99);
        p.establish();
        TransferHarness t = new TransferHarness(p, 1, SendOptions.RELIABLE, 10_000_000, 1, 1 << 20, 5);
        t.feed();
        long start = p.now();
        boolean ok = p.run(t::done, Duration.ofMinutes(30));
        SctpStats s = p.a.stats();
        System.out.printf("loss=%.2f ok=%s msgs=%d/%d bytes=%d virt=%.1fs rtx=%d fast=%d t3=%d cwnd=%d%n", loss, ok, t.receivedMessages,
                t.queuedMessages, t.receivedBytes, (p.now() - start) / 1e9, s.retransmittedChunks(), s.fastRetransmits(), s.t3Expiries(), s.cwnd());
        assertThat(ok).isTrue();
        assertThat(t.receivedMessages).isEqualTo(t.queuedMessages);
        assertThat(t.receivedDigest()).isEqualTo(t.sentDigest());
    }
}
