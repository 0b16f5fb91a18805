package io.jrtc.srtp.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.Hex;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A BYE reason is UTF-8 (RFC 3550 section 6.6). One that is not is a ParseException; before, each bad byte became
 * U+FFFD (3 bytes) and a 100-byte reason broke the 255-byte limit of the record, escaping the parser as
 * IllegalArgumentException (found by FuzzedRtpAndRtcpParseOrFailWithParseError).
 */
class ByeReasonsThatAreNotUtf8AreParseErrors {

    private static byte[] bye(byte[] reason) {
        int body = 4 + 1 + reason.length;
        int padded = (body + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(4 + padded);
        b.put((byte) 0x81).put((byte) 203).putShort((short) (padded / 4)).putInt(0x11223344).put((byte) reason.length).put(reason);
        return b.array();
    }

    @Test
    void hundredBytesOf0xFfAreRejectedWithInvalidValue() {
        byte[] reason = new byte[100];
        Arrays.fill(reason, (byte) 0xFF);
        assertThatThrownBy(() -> RtcpCompound.parse(bye(reason), 0, bye(reason).length))
                .isInstanceOfSatisfying(ParseException.class, e -> assertThat(e.error()).isEqualTo(ParseError.INVALID_VALUE));
    }

    @Test
    void validUtf8ReasonStillParsesAndRoundTrips() throws Exception {
        byte[] packet = bye("au revoir \u00e9\u00e8".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<RtcpPacket> parsed = RtcpCompound.parse(packet, 0, packet.length);
        assertThat(parsed).containsExactly(new Goodbye(List.of(0x11223344L), "au revoir \u00e9\u00e8"));
        assertThat(Hex.encode(RtcpCompound.encode(parsed, 0))).isEqualTo(Hex.encode(packet));
    }
}
