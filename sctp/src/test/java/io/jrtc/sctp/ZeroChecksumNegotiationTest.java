package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9653: zero checksums only when both ends announced Zero Checksum Acceptable, and never on INIT or COOKIE ECHO. */
class ZeroChecksumNegotiationTest {

    @ParameterizedTest(name = "A={0} B={1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void checksumsAreZeroOnlyWhenBothSidesAgree(boolean za, boolean zb) {
        SctpPair p = SctpPair.of(SctpPair.config(1).zeroChecksum(za), SctpPair.config(2).zeroChecksum(zb), NetemConfig.perfect(), 1);
        List<ByteBuffer> packets = new ArrayList<>();
        p.net.withListener((t, d, i, pkt) -> packets.add(pkt));
        p.establish();
        for (int i = 0; i < 20; i++) {
            p.a.send(p.now(), 0, 53, Messages.make(i, 2000), SendOptions.RELIABLE);
            p.b.send(p.now(), 0, 53, Messages.make(i, 200), SendOptions.RELIABLE);
        }
        assertThat(p.run(() -> SctpPair.all(p.eventsB, SctpEvent.MessageReceived.class).size() == 20
                && SctpPair.all(p.eventsA, SctpEvent.MessageReceived.class).size() == 20, Duration.ofSeconds(5))).isTrue();
        CRC32C crc = new CRC32C();
        int zero = 0;
        for (ByteBuffer pkt : packets) {
            int type = pkt.get(12) & 0xFF;
            boolean isZero = SctpPacket.checksumField(pkt) == 0;
            if (type == ChunkTypes.INIT || type == ChunkTypes.INIT_ACK || type == ChunkTypes.COOKIE_ECHO) {
                assertThat(SctpPacket.checksumMatches(pkt, crc)).as(ChunkTypes.name(type) + " always carries a real CRC32c").isTrue();
            } else if (isZero) {
                zero++;
            } else {
                assertThat(SctpPacket.checksumMatches(pkt, crc)).isTrue();
            }
        }
        boolean agreed = za && zb;
        assertThat(p.a.zeroChecksumInUse()).isEqualTo(agreed);
        assertThat(p.b.zeroChecksumInUse()).isEqualTo(agreed);
        if (agreed) {
            assertThat(zero).isGreaterThan(20);
        } else {
            assertThat(zero).isZero();
        }
        assertThat(p.a.stats().dropsChecksum() + p.b.stats().dropsChecksum()).isZero();
    }
}
