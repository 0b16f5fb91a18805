package io.jrtc.ice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import org.ice4j.attribute.Attribute;
import org.ice4j.message.Message;

/**
 * Jazzer target for what the ICE agent does with a datagram from anyone: {@link StunScan} (our framing, integrity
 * and fingerprint checks), then ice4j's decoder on what the scan accepts, and {@link ChannelData} for TURN's
 * framing. Contract: the scan never throws and returns offsets inside the message; {@link Stun#decode} returns a
 * message or null, never throws; address and error-code readers and the integrity check never throw on a decoded
 * message; ChannelData either parses with a payload inside the input or fails with {@link ParseException}.
 * Seeds: the RFC 5769 vectors, a ChannelData frame and the ICE agent's own binding request.
 */
class FuzzedStunAndChannelDataNeverEscapeTheirParsers {

    private static final byte[] KEY = Stun.shortTermKey("VOkJxbRl1RmTxUk/WvJxBt");

    @FuzzTest(maxDuration = "30s")
    void datagram(byte[] input) {
        int len = input.length;
        boolean looksLikeStun = StunScan.looksLikeStun(input, 0, len);
        StunScan scan = StunScan.scan(input, len);
        if (scan.ok()) {
            assertThat(looksLikeStun).isTrue();
            assertThat(scan.miOffset()).isLessThan(len);
            if (scan.fpOffset() >= 0) {
                assertThat(scan.fpOffset() + 8).isEqualTo(len);
            }
            if (scan.miOffset() >= 0) {
                assertThat(scan.miOffset() + 24).isLessThanOrEqualTo(len);
                Stun.verifyIntegrity(input, scan.miOffset(), KEY);
            }
            assertThat(scan.method()).isBetween(0, 0xFFF);
            assertThat(scan.messageClass()).isBetween(0, 3);
            Message m = Stun.decode(input, len);
            if (m != null) {
                Stun.xorAddress(m, Attribute.XOR_MAPPED_ADDRESS);
                Stun.xorAddress(m, Attribute.XOR_PEER_ADDRESS);
                Stun.xorAddress(m, Attribute.XOR_RELAYED_ADDRESS);
                Stun.errorCode(m);
            }
        }
        if (len > 0 && ChannelData.looksLikeChannelData(input[0] & 0xFF)) {
            try {
                ChannelData cd = ChannelData.parse(ByteBuffer.wrap(input));
                assertThat(cd.encodedLength(false)).isLessThanOrEqualTo(len);
            } catch (ParseException e) {
                assertThat(e.error()).isNotNull();
            }
        }
    }
}
