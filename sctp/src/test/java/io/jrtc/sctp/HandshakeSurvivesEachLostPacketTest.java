package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.testkit.BackToBack.Direction;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The handshake completes, exactly once per side, whichever single packet is lost: each of the first packets in
 * each direction is dropped in turn, for a simultaneous open (both sides call connect, as WebRTC does) and for a
 * one-sided open. Packets are also dropped by chunk name, as dcsctp's tests do.
 */
class HandshakeSurvivesEachLostPacketTest {

    static Stream<Arguments> drops() {
        List<Arguments> out = new ArrayList<>();
        for (boolean simultaneous : new boolean[] {true, false}) {
            for (Direction d : Direction.values()) {
                for (int i = 0; i < 5; i++) {
                    out.add(Arguments.of(simultaneous, d, i));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "simultaneous={0} drop {1} #{2}")
    @MethodSource("drops")
    void establishesWhenOnePacketIsLost(boolean simultaneous, Direction dir, int index) {
        SctpPair p = SctpPair.of(SctpPair.config(3), SctpPair.config(4), NetemConfig.perfect().withDelay(Duration.ofMillis(25)), 1);
        p.net.withFilter((d, i, pkt) -> d == dir && i == index);
        assertEstablishesAndCarriesData(p, simultaneous);
    }

    static Stream<Arguments> namedDrops() {
        List<Arguments> out = new ArrayList<>();
        for (int type : new int[] {ChunkTypes.INIT, ChunkTypes.INIT_ACK, ChunkTypes.COOKIE_ECHO, ChunkTypes.COOKIE_ACK}) {
            for (boolean simultaneous : new boolean[] {true, false}) {
                out.add(Arguments.of(ChunkTypes.name(type), type, simultaneous));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "first {0} lost, simultaneous={2}")
    @MethodSource("namedDrops")
    void establishesWhenTheFirstChunkOfAKindIsLost(String name, int type, boolean simultaneous) {
        SctpPair p = SctpPair.of(SctpPair.config(5), SctpPair.config(6), NetemConfig.perfect().withDelay(Duration.ofMillis(25)), 2);
        boolean[] dropped = {false};
        p.net.withFilter((d, i, pkt) -> {
            if (!dropped[0] && (pkt.get(12) & 0xFF) == type) {
                dropped[0] = true;
                return true;
            }
            return false;
        });
        assertEstablishesAndCarriesData(p, simultaneous);
        assertThat(dropped[0]).as(name + " was seen and dropped").isTrue();
    }

    @ParameterizedTest(name = "B connects {0} ms after A")
    @MethodSource("staggers")
    void collisionAtAnyOffsetEstablishesOnce(int offsetMs) {
        SctpPair p = SctpPair.of(SctpPair.config(8), SctpPair.config(9), NetemConfig.perfect().withDelay(Duration.ofMillis(20)), 3);
        p.a.connect(p.now());
        p.run(() -> false, Duration.ofMillis(offsetMs));
        if (p.b.state() == SctpState.CLOSED) {
            p.b.connect(p.now());
        }
        assertThat(p.run(() -> p.a.state() == SctpState.ESTABLISHED && p.b.state() == SctpState.ESTABLISHED, Duration.ofSeconds(30)))
                .isTrue();
        p.drain();
        exchange(p);
    }

    static Stream<Integer> staggers() {
        return Stream.of(0, 1, 10, 20, 21, 30, 40, 41, 50, 60, 80);
    }

    private static void assertEstablishesAndCarriesData(SctpPair p, boolean simultaneous) {
        p.a.connect(p.now());
        if (simultaneous) {
            p.b.connect(p.now());
        }
        assertThat(p.run(() -> p.a.state() == SctpState.ESTABLISHED && p.b.state() == SctpState.ESTABLISHED, Duration.ofSeconds(60)))
                .as("established").isTrue();
        p.drain();
        exchange(p);
    }

    static void exchange(SctpPair p) {
        p.a.send(p.now(), 0, 51, ByteBuffer.wrap(new byte[] {1}), SendOptions.RELIABLE);
        p.b.send(p.now(), 0, 51, ByteBuffer.wrap(new byte[] {2}), SendOptions.RELIABLE);
        assertThat(p.run(() -> SctpPair.has(p.eventsA, SctpEvent.MessageReceived.class)
                && SctpPair.has(p.eventsB, SctpEvent.MessageReceived.class), Duration.ofSeconds(30))).isTrue();
        assertThat(SctpPair.all(p.eventsA, SctpEvent.Connected.class)).hasSize(1);
        assertThat(SctpPair.all(p.eventsB, SctpEvent.Connected.class)).hasSize(1);
        assertThat(SctpPair.has(p.eventsA, SctpEvent.Aborted.class)).isFalse();
        assertThat(SctpPair.has(p.eventsB, SctpEvent.Aborted.class)).isFalse();
    }
}
