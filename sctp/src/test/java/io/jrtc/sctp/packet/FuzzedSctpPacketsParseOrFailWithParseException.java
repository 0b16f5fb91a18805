package io.jrtc.sctp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Jazzer target for the SCTP packet parser (every chunk and parameter type). Contract: any bytes either parse or
 * fail with {@link ParseException}; the checksum helpers never throw; what parses encodes to no more bytes than it
 * came from (no length field makes the model larger than the wire), and re-parses to an equal packet. Seeds: the
 * packets Wireshark checked in {@link CapturedPacketsTest} and a handshake and transfer recorded from two
 * associations.
 */
class FuzzedSctpPacketsParseOrFailWithParseException {

    @FuzzTest(maxDuration = "30s")
    void packet(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        SctpPacket.checksumMatches(in.duplicate(), new CRC32C());
        SctpPacket p;
        try {
            p = SctpPacket.parse(in);
        } catch (ParseException e) {
            assertThat(e.error()).isNotNull();
            return;
        }
        assertThat(in.hasRemaining()).isFalse();
        assertThat(p.chunks()).isNotEmpty();
        int encodedLength = p.encodedLength();
        assertThat(encodedLength).isLessThanOrEqualTo(input.length + 3 * p.chunks().size());
        ByteBuffer out = p.encode(false);
        assertThat(out.remaining()).isEqualTo(encodedLength);
        SctpPacket again;
        try {
            again = SctpPacket.parse(out.duplicate());
        } catch (ParseException e) {
            throw new AssertionError("re-encoded packet does not parse: " + e.getMessage() + " " + p, e);
        }
        assertThat(again).isEqualTo(p);
    }
}
