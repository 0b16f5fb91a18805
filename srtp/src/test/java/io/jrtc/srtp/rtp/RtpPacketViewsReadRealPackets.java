package io.jrtc.srtp.rtp;

import static io.jrtc.common.Hex.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.Hex;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RTP views over byte vectors: header, CSRCs, RFC 8285 one- and two-byte extensions, padding; writers; bad input. */
class RtpPacketViewsReadRealPackets {

    // An Opus packet as browsers send it: one-byte extensions ssrc-audio-level (id 1, 1 byte), abs-send-time (id 2,
    // 3 bytes) and transport-wide-cc (id 3, 2 bytes), in a 3-word block padded with two zeros.
    private static final byte[] OPUS = decode("90 6f 1a 2b 00 00 03 c0 12 34 56 78"
            + "be de 00 03  10 a5  22 01 02 03  31 00 07  00 00 00"
            + "78 01 02 03 04");

    @Test
    void browserOpusPacketWithOneByteExtensions() throws ParseException {
        byte[] buf = new byte[OPUS.length + 10];
        System.arraycopy(OPUS, 0, buf, 5, OPUS.length);
        RtpPacket p = RtpPacket.parse(buf, 5, OPUS.length);
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.hasPadding()).isFalse();
        assertThat(p.hasExtension()).isTrue();
        assertThat(p.marker()).isFalse();
        assertThat(p.payloadType()).isEqualTo(111);
        assertThat(p.sequenceNumber()).isEqualTo(0x1a2b);
        assertThat(p.timestamp()).isEqualTo(960);
        assertThat(p.ssrc()).isEqualTo(0x12345678L);
        assertThat(p.csrcCount()).isZero();
        assertThat(p.hasOneByteExtensions()).isTrue();
        assertThat(p.extensionDataLength()).isEqualTo(12);
        assertThat(p.headerLength()).isEqualTo(28);
        assertThat(p.payloadOffset()).isEqualTo(5 + 28);
        assertThat(p.payloadLength()).isEqualTo(5);
        assertThat(p.payloadCopy()).isEqualTo(decode("7801020304"));

        RtpHeaderExtensionCursor c = p.extensions();
        assertThat(c.next()).isTrue();
        assertThat(c.id()).isEqualTo(1);
        assertThat(c.valueLength()).isEqualTo(1);
        assertThat(buf[c.valueOffset()]).isEqualTo((byte) 0xa5);
        assertThat(c.next()).isTrue();
        assertThat(c.id()).isEqualTo(2);
        assertThat(Arrays.copyOfRange(buf, c.valueOffset(), c.valueOffset() + 3)).isEqualTo(decode("010203"));
        assertThat(c.next()).isTrue();
        assertThat(c.id()).isEqualTo(3);
        assertThat(c.valueLength()).isEqualTo(2);
        assertThat(c.next()).isFalse();
        assertThat(c.malformed()).isFalse();
        assertThat(p.extensionValueOffset(3)).isEqualTo(5 + 12 + 4 + 2 + 4 + 1);
        assertThat(p.extensionValueLength(2)).isEqualTo(3);
        assertThat(p.extensionValueOffset(9)).isEqualTo(-1);
    }

    @Test
    void csrcsTwoByteExtensionsAndPadding() throws ParseException {
        // V=2 P=1 X=1 CC=2, M=1 PT=96; two-byte block (0x1000): id 1 with 0 bytes, id 17 with 2 bytes, 2 pad.
        byte[] pkt = decode("b2 e0 ff ff 01 02 03 04 0a 0b 0c 0d  11111111 22222222"
                + "10 00 00 02  01 00 11 02 ab cd 00 00"
                + "de ad be ef  00 00 00 04");
        RtpPacket p = RtpPacket.parse(ByteBuffer.wrap(pkt));
        assertThat(p.marker()).isTrue();
        assertThat(p.payloadType()).isEqualTo(96);
        assertThat(p.sequenceNumber()).isEqualTo(65535);
        assertThat(p.timestamp()).isEqualTo(0x01020304L);
        assertThat(p.csrcCount()).isEqualTo(2);
        assertThat(p.csrc(0)).isEqualTo(0x11111111L);
        assertThat(p.csrc(1)).isEqualTo(0x22222222L);
        assertThat(p.hasTwoByteExtensions()).isTrue();
        assertThat(p.extensionList()).containsExactly(new RtpHeaderExtension(1, new byte[0]),
                new RtpHeaderExtension(17, decode("abcd")));
        assertThat(p.paddingLength()).isEqualTo(4);
        assertThat(p.payloadLength()).isEqualTo(4);
        assertThat(p.payloadCopy()).isEqualTo(decode("deadbeef"));
        assertThatThrownBy(() -> p.csrc(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void oneByteFormStopsAtIdFifteenAndFlagsOverruns() throws ParseException {
        RtpPacket stop = RtpPacket.parse(decode("90 60 00 01 00000000 00000001 be de 00 01 10 aa f0 bb"), 0, 20);
        RtpHeaderExtensionCursor c = stop.extensions();
        assertThat(c.next()).isTrue();
        assertThat(c.id()).isEqualTo(1);
        assertThat(c.next()).isFalse();
        assertThat(c.malformed()).isFalse();

        RtpPacket overrun = RtpPacket.parse(decode("90 60 00 01 00000000 00000001 be de 00 01 10 aa 23 bb"), 0, 20);
        RtpHeaderExtensionCursor o = overrun.extensions();
        assertThat(o.next()).isTrue();
        assertThat(o.next()).isFalse();
        assertThat(o.malformed()).isTrue();
        // The rest of the packet is still usable.
        assertThat(overrun.payloadLength()).isZero();
        assertThat(overrun.ssrc()).isEqualTo(1);
    }

    @Test
    void builderWritesWhatTheViewReads() throws ParseException {
        byte[] payload = decode("0102030405060708090a");
        RtpPacketBuilder b = new RtpPacketBuilder().payloadType(100).marker(true).sequenceNumber(70000)
                .timestamp(0x1_0000_0005L).ssrc(0xF0F0F0F0L).csrcs(7, 8, 9).extension(5, decode("aabb"))
                .extension(14, decode("01")).padding(3).payload(payload);
        byte[] out = b.build(16);
        assertThat(out.length).isEqualTo(b.encodedLength() + 16);
        RtpPacket p = RtpPacket.parse(out, 0, b.encodedLength());
        assertThat(p.payloadType()).isEqualTo(100);
        assertThat(p.marker()).isTrue();
        assertThat(p.sequenceNumber()).isEqualTo(70000 & 0xFFFF);
        assertThat(p.timestamp()).isEqualTo(5);
        assertThat(p.ssrc()).isEqualTo(0xF0F0F0F0L);
        assertThat(new long[] {p.csrc(0), p.csrc(1), p.csrc(2)}).containsExactly(7, 8, 9);
        assertThat(p.hasOneByteExtensions()).isTrue();
        assertThat(p.extensionList()).containsExactly(new RtpHeaderExtension(5, decode("aabb")),
                new RtpHeaderExtension(14, decode("01")));
        assertThat(p.paddingLength()).isEqualTo(3);
        assertThat(p.payloadCopy()).isEqualTo(payload);
        // Header bytes exactly: 0xB3 = V2 P X CC=3; 0xE4 = M, PT 100.
        assertThat(Hex.encode(Arrays.copyOf(out, 4))).isEqualTo("b3e41170");
        assertThat(Hex.encode(Arrays.copyOfRange(out, 24, 36))).isEqualTo("bede0002" + "51aabb" + "e001" + "000000");

        // An element the one-byte form cannot carry switches the whole block to two-byte.
        b.extension(20, decode("ff"));
        RtpPacket two = RtpPacket.parse(b.build(0), 0, b.encodedLength());
        assertThat(two.hasTwoByteExtensions()).isTrue();
        assertThat(two.extensionList()).extracting(RtpHeaderExtension::id).containsExactly(5, 14, 20);
    }

    @Test
    void extensionWriterAddsReplacesAndRemovesInPlace() throws ParseException {
        byte[] payload = decode("c0c1c2c3c4c5");
        byte[] buf = new RtpPacketBuilder().payloadType(96).sequenceNumber(1).ssrc(2).payload(payload).build(64);
        int len = 12 + payload.length;

        len = RtpHeaderExtensionWriter.put(buf, 0, len, buf.length, new RtpHeaderExtension(3, decode("0102")));
        RtpPacket p = RtpPacket.parse(buf, 0, len);
        assertThat(p.extensionList()).containsExactly(new RtpHeaderExtension(3, decode("0102")));
        assertThat(p.payloadCopy()).isEqualTo(payload);

        len = RtpHeaderExtensionWriter.put(buf, 0, len, buf.length, new RtpHeaderExtension(3, decode("0a0b0c0d0e")));
        len = RtpHeaderExtensionWriter.put(buf, 0, len, buf.length, new RtpHeaderExtension(1, decode("ff")));
        p = RtpPacket.parse(buf, 0, len);
        assertThat(p.extensionList()).containsExactly(new RtpHeaderExtension(3, decode("0a0b0c0d0e")),
                new RtpHeaderExtension(1, decode("ff")));
        assertThat(p.payloadCopy()).isEqualTo(payload);

        // A zero-length value needs the two-byte form.
        len = RtpHeaderExtensionWriter.put(buf, 0, len, buf.length, new RtpHeaderExtension(2, new byte[0]));
        p = RtpPacket.parse(buf, 0, len);
        assertThat(p.hasTwoByteExtensions()).isTrue();
        assertThat(p.extensionList()).hasSize(3);
        assertThat(p.payloadCopy()).isEqualTo(payload);

        len = RtpHeaderExtensionWriter.remove(buf, 0, len, 3);
        len = RtpHeaderExtensionWriter.remove(buf, 0, len, 1);
        len = RtpHeaderExtensionWriter.remove(buf, 0, len, 2);
        p = RtpPacket.parse(buf, 0, len);
        assertThat(p.hasExtension()).isFalse();
        assertThat(len).isEqualTo(12 + payload.length);
        assertThat(p.payloadCopy()).isEqualTo(payload);

        byte[] tight = new RtpPacketBuilder().payload(payload).build(0);
        assertThatThrownBy(() -> RtpHeaderExtensionWriter.put(tight, 0, tight.length, tight.length,
                new RtpHeaderExtension(1, decode("01")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("room");
    }

    @Test
    void settersRewriteHeaderFieldsInPlace() throws ParseException {
        byte[] buf = OPUS.clone();
        RtpPacket p = RtpPacket.parse(buf, 0, buf.length);
        p.setSequenceNumber(0xBEEF);
        p.setSsrc(0xCAFEBABEL);
        p.setTimestamp(0xFFFFFFFFL);
        p.setPayloadType(63);
        p.setMarker(true);
        RtpPacket q = RtpPacket.parse(buf, 0, buf.length);
        assertThat(q.sequenceNumber()).isEqualTo(0xBEEF);
        assertThat(q.ssrc()).isEqualTo(0xCAFEBABEL);
        assertThat(q.timestamp()).isEqualTo(0xFFFFFFFFL);
        assertThat(q.payloadType()).isEqualTo(63);
        assertThat(q.marker()).isTrue();
        assertThat(q.extensionList()).hasSize(3);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", "", ParseError.INVALID_LENGTH),
                Arguments.of("eleven bytes", "80 60 00 01 00 00 00 00 00 00 00", ParseError.INVALID_LENGTH),
                Arguments.of("version 1", "40 60 00 01 00000000 00000001", ParseError.INVALID_VALUE),
                Arguments.of("version 0", "00 60 00 01 00000000 00000001", ParseError.INVALID_VALUE),
                Arguments.of("version 3", "c0 60 00 01 00000000 00000001", ParseError.INVALID_VALUE),
                Arguments.of("CSRC list beyond packet", "82 60 00 01 00000000 00000001 11111111",
                        ParseError.INVALID_LENGTH),
                Arguments.of("extension header truncated", "90 60 00 01 00000000 00000001 be de",
                        ParseError.INVALID_LENGTH),
                Arguments.of("extension longer than packet", "90 60 00 01 00000000 00000001 be de 00 02 10 aa 00 00",
                        ParseError.INVALID_LENGTH),
                Arguments.of("padding count zero", "a0 60 00 01 00000000 00000001 aa bb cc 00",
                        ParseError.INVALID_PADDING),
                Arguments.of("padding longer than payload", "a0 60 00 01 00000000 00000001 aa bb cc 05",
                        ParseError.INVALID_PADDING),
                Arguments.of("padding without payload", "a0 60 00 01 00000000 00000001",
                        ParseError.INVALID_PADDING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedPacketsFailWithTheirSpecificError(String name, String hex, ParseError expected) {
        byte[] bytes = decode(hex);
        assertThatThrownBy(() -> RtpPacket.parse(bytes, 0, bytes.length)).isInstanceOf(ParseException.class)
                .satisfies(e -> assertThat(((ParseException) e).error()).isEqualTo(expected));
        assertThat(new RtpPacket().wrap(bytes, 0, bytes.length)).isEqualTo(expected);
    }

    @Test
    void fuzzedPacketsNeverThrowAndViewsStayInBounds() {
        Random random = new Random(42);
        RtpPacket view = new RtpPacket();
        byte[] seed = OPUS;
        int ok = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] pkt;
            if (i % 2 == 0) {
                pkt = new byte[random.nextInt(80)];
                random.nextBytes(pkt);
                if (pkt.length > 0) {
                    pkt[0] = (byte) (0x80 | (pkt[0] & 0x3F));
                }
            } else {
                pkt = Arrays.copyOf(seed, Math.max(0, seed.length - random.nextInt(6)));
                for (int m = random.nextInt(4); m >= 0 && pkt.length > 0; m--) {
                    pkt[random.nextInt(pkt.length)] = (byte) random.nextInt(256);
                }
            }
            int off = random.nextInt(4);
            byte[] buf = new byte[pkt.length + off + random.nextInt(4)];
            System.arraycopy(pkt, 0, buf, off, pkt.length);
            ParseError e = view.wrap(buf, off, pkt.length);
            if (e != null) {
                continue;
            }
            ok++;
            assertThat(view.payloadOffset() + view.payloadLength() + view.paddingLength()).isEqualTo(off + pkt.length);
            assertThat(view.payloadLength()).isNotNegative();
            RtpHeaderExtensionCursor c = view.extensions();
            while (c.next()) {
                assertThat(c.valueOffset()).isGreaterThanOrEqualTo(view.extensionDataOffset());
                assertThat(c.valueOffset() + c.valueLength())
                        .isLessThanOrEqualTo(view.extensionDataOffset() + view.extensionDataLength());
            }
            List<RtpHeaderExtension> all = view.extensionList();
            assertThat(all.size()).isLessThanOrEqualTo(view.extensionDataLength());
        }
        assertThat(ok).isGreaterThan(10_000);
    }

    @Test
    void demuxSeparatesRtcpFromRtpOnOneFiveTuple() {
        assertThat(RtpDemux.isRtp(decode("80 60"), 0, 2)).isTrue();
        assertThat(RtpDemux.isRtp(decode("80 ef"), 0, 2)).isTrue(); // marker + PT 111
        for (int pt = 192; pt <= 223; pt++) {
            byte[] b = {(byte) 0x81, (byte) pt};
            assertThat(RtpDemux.isRtcp(b, 0, 2)).as("PT %d", pt).isTrue();
            assertThat(RtpDemux.isRtp(b, 0, 2)).isFalse();
        }
        assertThat(RtpDemux.isRtcp(decode("80 e0"), 0, 2)).isFalse(); // 224: RTP, marker + PT 96
        assertThat(RtpDemux.isRtcp(decode("80 bf"), 0, 2)).isFalse(); // 191: RTP, marker + PT 63
        assertThat(RtpDemux.isRtpOrRtcp(decode("00 01"), 0, 2)).isFalse(); // STUN
        assertThat(RtpDemux.isRtpOrRtcp(decode("16 fe"), 0, 2)).isFalse(); // DTLS handshake
        assertThat(RtpDemux.isRtpOrRtcp(decode("c0 00"), 0, 2)).isFalse(); // 192: not RTP by RFC 7983
        assertThat(RtpDemux.isRtp(decode("80"), 0, 1)).isFalse();
    }
}
