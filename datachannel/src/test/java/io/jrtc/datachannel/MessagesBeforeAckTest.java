package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.testkit.BackToBack.Direction;
import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8832 §6: messages sent before DATA_CHANNEL_ACK, and data as an implicit ACK. */
class MessagesBeforeAckTest {

    private static boolean carriesPpid(java.nio.ByteBuffer pkt, int ppid) {
        try {
            for (Chunk c : SctpPacket.parse(pkt.duplicate()).chunks()) {
                if (c instanceof DataChunk d && d.ppid() == ppid) {
                    return true;
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return false;
    }

    @Test
    void messagesSentRightAfterALostOpenStillArriveAfterIt() {
        DcPair p = new DcPair(NetemConfig.perfect().withDelay(Duration.ofMillis(10)), 2);
        boolean[] dropped = {false};
        p.net.withFilter((d, i, pkt) -> {
            if (d == Direction.A_TO_B && !dropped[0] && carriesPpid(pkt, 50)) {
                dropped[0] = true; // the packet with DATA_CHANNEL_OPEN
                return true;
            }
            return false;
        });
        List<String> got = new ArrayList<>();
        p.server.onDataChannel(c -> {
            p.serverChannels.add(c);
            c.onMessage(m -> got.add(m.text()));
        });
        p.connect();
        DataChannel ch = p.client.createDataChannel("u", DataChannelInit.builder().ordered(false).build());
        p.net.flush(); // the OPEN goes out alone and is lost
        for (int i = 0; i < 5; i++) {
            ch.send("m" + i);
        }
        assertThat(p.run(() -> got.size() == 5, Duration.ofSeconds(5))).isTrue();
        assertThat(dropped[0]).isTrue();
        assertThat(got).containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(p.server.stats().messagesDroppedNoChannel()).isZero();
    }

    @Test
    void dataFromThePeerCountsAsTheAckWhenTheAckIsLost() {
        DcPair p = new DcPair(NetemConfig.perfect().withDelay(Duration.ofMillis(10)), 3);
        List<DataChunk> clientData = new ArrayList<>();
        p.net.withListener((t, d, i, pkt) -> {
            if (d == Direction.A_TO_B) {
                try {
                    SctpPacket.parse(pkt.duplicate()).chunks().stream().filter(c -> c instanceof DataChunk).map(c -> (DataChunk) c)
                            .forEach(clientData::add);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        });
        boolean[] ackLost = {false};
        p.net.withFilter((d, i, pkt) -> {
            if (d == Direction.B_TO_A && !ackLost[0] && carriesPpid(pkt, 50)) {
                ackLost[0] = true; // the first DATA_CHANNEL_ACK is lost; SCTP retransmits it an RTO later
                return true;
            }
            return false;
        });
        p.server.onDataChannel(p.serverChannels::add);
        p.connect();
        DataChannel ch = p.client.createDataChannel("u", DataChannelInit.builder().ordered(false).build());
        List<String> got = new ArrayList<>();
        ch.onMessage(m -> got.add(m.text()));
        ch.send("ping");
        assertThat(p.run(() -> ackLost[0], Duration.ofSeconds(1))).isTrue();
        // The server's channel is unordered, so its reply can overtake the lost ACK.
        p.serverChannels.get(0).send("pong");
        assertThat(p.run(() -> got.size() == 1, Duration.ofMillis(100))).as("pong before the ACK's retransmission").isTrue();
        ch.send("after implicit ack");
        p.runFor(Duration.ofMillis(100));
        DataChunk ping = clientData.stream().filter(d -> d.ppid() == 51).findFirst().orElseThrow();
        DataChunk later = clientData.get(clientData.size() - 1);
        assertThat(ping.unordered()).as("before any ACK: ordered").isFalse();
        assertThat(later.ppid()).isEqualTo(51);
        assertThat(later.unordered()).as("after the peer's data: the channel's own unordered mode").isTrue();
    }
}
