package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link PacketTap#onDatagram}: a connection's tap sees its UDP datagrams both ways (STUN requests and responses, DTLS
 * records), a datagram it does not forward is lost (the peer's DTLS retransmits it), and a tap that implements only
 * {@link PacketTap#onSctp} passes every datagram (the default).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PacketTapSeesEveryDatagram {

    /** One datagram seen: its direction and its bytes. */
    record Seen(PacketTap.Direction direction, byte[] bytes) {
        int first() {
            return bytes[0] & 0xFF;
        }

        boolean stun(int type) {
            return first() < 4 && bytes.length >= 20 && (((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF)) == type;
        }

        /** A DTLS handshake record of epoch 0 carrying {@code msgType} as its first message. */
        boolean handshake(int msgType) {
            return bytes.length > 13 && first() == 22 && bytes[3] == 0 && bytes[4] == 0 && (bytes[13] & 0xFF) == msgType;
        }
    }

    private PeerConnectionFactory factory;

    @BeforeAll
    void start() {
        factory = new PeerConnectionFactory(2);
    }

    @AfterAll
    void stop() {
        factory.close();
    }

    @Test
    void theTapSeesStunAndDtlsBothWaysAndADroppedDatagramIsLost() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean droppedOne = new AtomicBoolean();
        PacketTap offererTap = new PacketTap() {
            @Override
            public void onSctp(Direction direction, ByteBuffer packet, Forward forward) {
                forward.accept(packet);
            }

            @Override
            public void onDatagram(Direction direction, ByteBuffer datagram, Forward forward) {
                byte[] b = new byte[datagram.remaining()];
                datagram.duplicate().get(b);
                Seen s = new Seen(direction, b);
                seen.add(s);
                // the answerer's first ClientHello (it answers a=setup:actpass with active) is lost
                if (direction == Direction.INBOUND && s.handshake(1) && droppedOne.compareAndSet(false, true)) {
                    return;
                }
                forward.accept(datagram);
            }
        };
        List<Integer> sctpOnly = new CopyOnWriteArrayList<>();
        PacketTap answererTap = (direction, packet, forward) -> {
            sctpOnly.add(packet.remaining());
            forward.accept(packet);
        };
        try (LoopbackPair p = new LoopbackPair(factory, b -> b.packetTap(offererTap), b -> b.packetTap(answererTap))) {
            p.answererEchoes();
            DataChannel ch = p.offerer.createDataChannel("tapped");
            CompletableFuture<String> echo = new CompletableFuture<>();
            p.offerer.execute(() -> ch.onMessage(m -> echo.complete(m.text())));
            p.negotiate();
            ChannelTraffic.opened(p.offerer, ch).get(10, TimeUnit.SECONDS);
            p.offerer.execute(() -> ch.send("through the tap"));
            assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("through the tap");
            p.assertConnected();
        }
        assertThat(droppedOne).isTrue();
        // STUN both ways: the checks each side sends and the success responses (0x0001 request, 0x0101 response)
        assertThat(seen).anyMatch(s -> s.direction() == PacketTap.Direction.OUTBOUND && s.stun(0x0001))
                .anyMatch(s -> s.direction() == PacketTap.Direction.INBOUND && s.stun(0x0001))
                .anyMatch(s -> s.direction() == PacketTap.Direction.OUTBOUND && s.stun(0x0101))
                .anyMatch(s -> s.direction() == PacketTap.Direction.INBOUND && s.stun(0x0101));
        // the dropped ClientHello came again (RFC 6347 §4.2.4), and only then did the offerer answer with a ServerHello
        List<Seen> hellos = seen.stream().filter(s -> s.direction() == PacketTap.Direction.INBOUND && s.handshake(1)).toList();
        assertThat(hellos).hasSizeGreaterThanOrEqualTo(2);
        int secondHello = seen.indexOf(hellos.get(1));
        int serverHello = -1;
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).direction() == PacketTap.Direction.OUTBOUND && seen.get(i).handshake(2)) {
                serverHello = i;
                break;
            }
        }
        assertThat(serverHello).isGreaterThan(secondHello);
        // DTLS application data (epoch 1, type 23) both ways: SCTP went through the same datagram tap
        assertThat(seen).anyMatch(s -> s.direction() == PacketTap.Direction.OUTBOUND && s.first() == 23)
                .anyMatch(s -> s.direction() == PacketTap.Direction.INBOUND && s.first() == 23);
        // the answerer's tap implements only onSctp: its datagrams passed by default, and it saw SCTP
        assertThat(sctpOnly).isNotEmpty();
    }
}
