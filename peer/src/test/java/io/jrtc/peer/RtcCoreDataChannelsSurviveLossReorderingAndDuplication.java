package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.dtls.DtlsConfig;
import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two {@link RtcCore}s on the virtual clock, through links that lose 5% or 20% of the datagrams both ways (the
 * handshakes' included), reorder 5% by 15 ms and duplicate 2%: every message of an ordered and of an unordered
 * channel arrives byte for byte, the ordered ones in order, none twice.
 */
class RtcCoreDataChannelsSurviveLossReorderingAndDuplication {

    static NetemConfig lossy(double loss) {
        return NetemConfig.perfect().withDelay(Duration.ofMillis(20)).withJitter(Duration.ofMillis(5)).withLoss(loss)
                .withReorder(0.05, Duration.ofMillis(15)).withDuplication(0.02);
    }

    @ParameterizedTest(name = "loss {0}")
    @ValueSource(doubles = {0.05, 0.20})
    void everyMessageArrivesOnceByteExactOrderedInOrder(double loss) {
        RtcPair pair = new RtcPair(12, lossy(loss), lossy(loss), null,
                DtlsConfig.builder().initialRetransmit(Duration.ofMillis(50)).build());
        assertThat(pair.runUntil(pair::bothConnected, Duration.ofSeconds(60))).isTrue();
        Traffic t = new Traffic(pair, 5);
        DataChannel ordered = t.open("ordered", DataChannelInit.DEFAULT);
        DataChannel unordered = t.open("unordered", DataChannelInit.builder().ordered(false).build());
        t.send(ordered, 150);
        t.send(unordered, 150);
        assertThat(pair.runUntil(t::allArrived, Duration.ofSeconds(300))).isTrue();
        pair.runFor(Duration.ofSeconds(2)); // duplicates or retransmissions still in flight must not deliver twice

        List<byte[]> sentOrdered = t.sent.get("ordered");
        List<byte[]> gotOrdered = t.received.get("ordered");
        assertThat(gotOrdered).hasSameSizeAs(sentOrdered);
        for (int i = 0; i < sentOrdered.size(); i++) {
            assertThat(gotOrdered.get(i)).as("ordered message %d", i).isEqualTo(sentOrdered.get(i));
        }
        Comparator<byte[]> bytes = Arrays::compare;
        List<byte[]> sentUnordered = t.sent.get("unordered").stream().sorted(bytes).toList();
        List<byte[]> gotUnordered = t.received.get("unordered").stream().sorted(bytes).toList();
        assertThat(gotUnordered).hasSameSizeAs(sentUnordered);
        for (int i = 0; i < sentUnordered.size(); i++) {
            assertThat(gotUnordered.get(i)).isEqualTo(sentUnordered.get(i));
        }
        // the links did what they were asked to
        long lost = pair.stats(RtcPair.Dir.A_TO_B).lost();
        assertThat(lost).isPositive();
        assertThat(pair.stats(RtcPair.Dir.A_TO_B).duplicated()).isPositive();
        assertThat(pair.stats(RtcPair.Dir.A_TO_B).reordered()).isPositive();
        assertThat((double) lost / pair.stats(RtcPair.Dir.A_TO_B).sent()).isBetween(loss * 0.6, loss * 1.4);
    }
}
