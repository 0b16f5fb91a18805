package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.dcep.DcepMessage;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * At most {@link DataChannelEndpoint#MAX_OPENS_AWAITING_ACK} in-band channels have a DATA_CHANNEL_OPEN in flight
 * without its ACK; the others wait in CONNECTING and open, in creation order, as ACKs (or the peer's first message on
 * a stream) come back. A peer that handles only a bounded number of new streams at a time (pion/sctp 1.8.x: 16) then
 * never sees more.
 */
class OpensAwaitingAckAreBoundedTest {

    private static final int MAX = DataChannelEndpoint.MAX_OPENS_AWAITING_ACK;

    @Test
    void fortyChannelsOpenedAtOnceKeepAtMostSixteenOpensInFlight() {
        DcPair p = new DcPair(NetemConfig.perfect().withDelay(Duration.ofMillis(20)), 3);
        p.connect();
        List<DataChannel> mine = new ArrayList<>();
        List<String> openOrder = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            DataChannel ch = p.client.createDataChannel("c" + i, DataChannelInit.DEFAULT);
            ch.onOpen(() -> openOrder.add(ch.label()));
            mine.add(ch);
        }
        // Synchronously, on an established association: the first 16 opened, the rest wait.
        assertThat(mine.stream().filter(c -> c.readyState() == DataChannelState.OPEN)).hasSize(MAX);
        assertThat(mine.subList(MAX, 40)).allMatch(c -> c.readyState() == DataChannelState.CONNECTING);
        // At every later millisecond, at most MAX of our OPENs await their ACK.
        int maxOutstanding = 0;
        for (int step = 0; step < 400 && openOrder.size() < 40; step++) {
            p.runFor(Duration.ofMillis(1));
            maxOutstanding = (int) Math.max(maxOutstanding, mine.stream().filter(c -> c.awaitingAck).count());
        }
        assertThat(openOrder).hasSize(40);
        assertThat(maxOutstanding).isLessThanOrEqualTo(MAX);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add("c" + i);
        }
        assertThat(openOrder).as("opened in creation order").isEqualTo(expected);
        assertThat(p.run(() -> p.serverChannels.size() == 40, Duration.ofSeconds(5))).isTrue();
        assertThat(p.serverChannels.stream().map(DataChannel::label).toList()).isEqualTo(expected);
        assertThat(p.run(() -> mine.stream().noneMatch(c -> c.awaitingAck), Duration.ofSeconds(5))).as("every OPEN acknowledged").isTrue();
    }

    @Test
    void withheldAcksHoldTheSeventeenthChannelAndAClosedHeldOneNeverSendsItsOpen() {
        DcPair p = new DcPair(NetemConfig.perfect().withDelay(Duration.ofMillis(5)), 5);
        p.connect();
        // Drop every packet with a DCEP ACK from the server until told otherwise: no slot is freed meanwhile.
        boolean[] dropAcks = {true};
        p.net.withFilter((d, i, pkt) -> dropAcks[0] && d == BackToBack.Direction.B_TO_A && carriesDcepAck(pkt));
        List<DataChannel> mine = new ArrayList<>();
        for (int i = 0; i < MAX + 2; i++) {
            mine.add(p.client.createDataChannel("c" + i, DataChannelInit.DEFAULT));
        }
        DataChannel held = mine.get(MAX);
        DataChannel closedWhileHeld = mine.get(MAX + 1);
        closedWhileHeld.close();
        assertThat(closedWhileHeld.readyState()).isEqualTo(DataChannelState.CLOSED);
        p.runFor(Duration.ofSeconds(2));
        assertThat(p.serverChannels).hasSize(MAX);
        assertThat(held.readyState()).isEqualTo(DataChannelState.CONNECTING);
        // ACKs get through again (SCTP retransmits them): the held channel opens and reaches the peer.
        dropAcks[0] = false;
        assertThat(p.run(() -> held.readyState() == DataChannelState.OPEN, Duration.ofSeconds(10))).isTrue();
        assertThat(p.run(() -> p.serverChannels.size() == MAX + 1, Duration.ofSeconds(5))).isTrue();
        assertThat(p.serverChannels.get(MAX).label()).isEqualTo(held.label());
        p.runFor(Duration.ofSeconds(1));
        assertThat(p.serverChannels).hasSize(MAX + 1);
        assertThat(p.serverChannels.stream().map(DataChannel::label)).doesNotContain(closedWhileHeld.label());
        assertThat(mine).noneMatch(c -> c.awaitingAck);
    }

    /** Whether an SCTP packet carries a DATA chunk with the DCEP PPID whose payload is DATA_CHANNEL_ACK (0x02). */
    private static boolean carriesDcepAck(ByteBuffer pkt) {
        int at = 12;
        while (at + 4 <= pkt.limit()) {
            int type = pkt.get(at) & 0xFF;
            int len = Short.toUnsignedInt(pkt.getShort(at + 2));
            if (len < 4) {
                return false;
            }
            if (type == 0 && len >= 17 && pkt.getInt(at + 12) == DcepMessage.PPID && pkt.get(at + 16) == 0x02) {
                return true;
            }
            at += (len + 3) & ~3;
        }
        return false;
    }
}
