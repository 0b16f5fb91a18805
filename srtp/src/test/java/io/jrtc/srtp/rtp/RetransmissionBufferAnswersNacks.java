package io.jrtc.srtp.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Storing by sequence number, answering NACKs, eviction by capacity and age, and resend rate limiting. */
class RetransmissionBufferAnswersNacks {

    private static final long MS = 1_000_000L;

    private static byte[] packet(int seq) {
        return new RtpPacketBuilder().payloadType(96).ssrc(9).sequenceNumber(seq).payload(new byte[] {(byte) seq, 1, 2})
                .build(0);
    }

    @Test
    void answersWhatItHoldsAndCountsWhatItLost() {
        RetransmissionBuffer buf = new RetransmissionBuffer(100, 1000 * MS, 0);
        assertThat(buf.capacity()).isEqualTo(128);
        for (int seq = 0; seq < 300; seq++) {
            byte[] p = packet(seq);
            buf.store(seq * MS, p, 0, p.length);
        }
        List<Integer> resent = new ArrayList<>();
        int n = buf.respond(GenericNack.fromLost(1, 9, List.of(10, 200, 250, 299)), 300 * MS,
                (b, off, len) -> {
                    assertThat(len).isEqualTo(15);
                    resent.add(RtpPacket.u16(b, off + 2));
                    assertThat(b[off + 12]).isEqualTo((byte) RtpPacket.u16(b, off + 2));
                });
        assertThat(n).isEqualTo(3);
        assertThat(resent).containsExactly(200, 250, 299);
        assertThat(buf.missedCount()).isEqualTo(1); // 10 was overwritten by 138 and 266
        assertThat(buf.resentCount()).isEqualTo(3);
        assertThat(buf.storedCount()).isEqualTo(300);

        byte[] out = new byte[20];
        assertThat(buf.copy(299, 300 * MS, out, 2)).isEqualTo(15);
        assertThat(out[14]).isEqualTo((byte) 299);
        assertThat(buf.copy(10, 300 * MS, out, 0)).isEqualTo(-1);
    }

    @Test
    void oldPacketsAreNotResent() {
        RetransmissionBuffer buf = new RetransmissionBuffer(64, 500 * MS, 0);
        byte[] p = packet(7);
        buf.store(0, p, 0, p.length);
        assertThat(buf.contains(7, 500 * MS)).isTrue();
        assertThat(buf.contains(7, 501 * MS)).isFalse();
        assertThat(buf.respond(GenericNack.fromLost(1, 9, List.of(7)), 600 * MS, (b, o, l) -> { })).isZero();
    }

    @Test
    void duplicateNacksWithinTheIntervalResendOnce() {
        RetransmissionBuffer buf = new RetransmissionBuffer(64, 1000 * MS, 50 * MS);
        byte[] p = packet(5);
        buf.store(0, p, 0, p.length);
        GenericNack nack = GenericNack.fromLost(1, 9, List.of(5));
        int[] sent = new int[1];
        buf.respond(nack, 10 * MS, (b, o, l) -> sent[0]++);
        buf.respond(nack, 30 * MS, (b, o, l) -> sent[0]++);
        buf.respond(nack, 60 * MS, (b, o, l) -> sent[0]++);
        assertThat(sent[0]).isEqualTo(2);
    }

    @Test
    void sequenceWrapReusesSlotsCorrectly() {
        RetransmissionBuffer buf = new RetransmissionBuffer(16, 1000 * MS, 0);
        for (int i = 0; i < 20; i++) {
            int seq = (65530 + i) & 0xFFFF;
            byte[] p = packet(seq);
            buf.store(i * MS, p, 0, p.length);
        }
        assertThat(buf.contains(65535, 20 * MS)).isTrue();
        assertThat(buf.contains(13, 20 * MS)).isTrue();
        assertThat(buf.contains(65530, 20 * MS)).isFalse(); // slot reused by 10
        assertThat(buf.contains(10, 20 * MS)).isTrue();
    }
}
