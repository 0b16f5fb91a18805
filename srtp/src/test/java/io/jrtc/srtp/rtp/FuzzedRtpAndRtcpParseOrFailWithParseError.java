package io.jrtc.srtp.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Jazzer target for the RTP view and the RTCP compound parser. Contract: {@link RtpPacket#wrap} returns null or a
 * {@link ParseError} and never throws; on a valid view every accessor stays inside the packet (header, extensions,
 * payload, padding add up to its length). {@link RtcpCompound#parse} returns packets or throws
 * {@link ParseException}; the compound cursor agrees with it; what parses encodes to no more than the input and
 * re-parses to the same packets (equal after at most one documented normalisation, REMB saturation). Seeds: the RTP and RTCP vectors of this module's tests (Opus with one-byte
 * extensions, CSRCs and two-byte extensions, SR with a report block, SDES, NACK, PLI, REMB).
 */
class FuzzedRtpAndRtcpParseOrFailWithParseError {

    @FuzzTest(maxDuration = "30s")
    void packet(byte[] input) {
        rtp(input);
        rtcp(input);
    }

    private static void rtp(byte[] input) {
        RtpPacket p = new RtpPacket();
        ParseError error = p.wrap(input, 0, input.length);
        if (error != null) {
            assertThat(p.lastErrorMessage()).isNotNull();
            return;
        }
        assertThat(p.payloadOffset() + p.payloadLength()).isLessThanOrEqualTo(input.length);
        assertThat(p.payloadLength()).isGreaterThanOrEqualTo(0);
        assertThat(p.payloadCopy()).hasSize(p.payloadLength());
        if (p.hasExtension()) {
            assertThat(p.extensionDataOffset() + p.extensionDataLength()).isLessThanOrEqualTo(p.payloadOffset());
            for (RtpHeaderExtension e : p.extensionList()) {
                assertThat(e.id()).isBetween(0, 255);
            }
            for (int id = 1; id < 15; id++) {
                int off = p.extensionValueOffset(id);
                if (off >= 0) {
                    assertThat(off + p.extensionValueLength(id)).isLessThanOrEqualTo(p.payloadOffset());
                }
            }
        }
        p.sequenceNumber();
        p.payloadType();
        p.csrcCount();
    }

    private static void rtcp(byte[] input) {
        List<RtcpPacket> packets;
        try {
            packets = RtcpCompound.parse(input, 0, input.length);
        } catch (ParseException e) {
            assertThat(e.error()).isNotNull();
            return;
        }
        RtcpCompound.Cursor c = new RtcpCompound.Cursor().reset(input, 0, input.length);
        int n = 0;
        while (c.next()) {
            n++;
        }
        assertThat(c.error()).isNull();
        assertThat(n).isEqualTo(packets.size());
        int encodedLength = RtcpCompound.encodedLength(packets);
        assertThat(encodedLength).isLessThanOrEqualTo(input.length);
        List<RtcpPacket> again = reparse(packets);
        assertThat(again).hasSameSizeAs(packets);
        if (packets.stream().noneMatch(p -> p instanceof ReceiverEstimatedMaxBitrate r && r.bitrateBps() == Long.MAX_VALUE)) {
            assertThat(again).isEqualTo(packets);
        }
        // One normalisation is allowed (a REMB bitrate beyond 2^63 saturates on parse and loses low bits on
        // encode); after it, encoding and parsing is a fixed point.
        assertThat(reparse(again)).isEqualTo(again);
    }

    private static List<RtcpPacket> reparse(List<RtcpPacket> packets) {
        byte[] out = RtcpCompound.encode(packets, 0);
        try {
            return RtcpCompound.parse(ByteBuffer.wrap(out));
        } catch (ParseException e) {
            throw new AssertionError("re-encoded RTCP does not parse: " + packets, e);
        }
    }
}
