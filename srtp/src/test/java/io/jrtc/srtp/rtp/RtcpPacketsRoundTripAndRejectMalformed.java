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

/** RTCP records against hand-assembled byte vectors, compound iteration, named malformed inputs, and fuzzing. */
class RtcpPacketsRoundTripAndRejectMalformed {

    private static final String SR_HEX = "81c8000c 11223344 e1b2c3d4 80000000 0000a000 00000064 00003e80"
            + "55667788 190003e8 00010010 0000000c c3d48000 00010000";
    private static final String SDES_HEX = "81ca0004 11223344 0109 7573657240686f7374 00";

    private static final SenderReport SR = new SenderReport(0x11223344L, 0xE1B2C3D480000000L, 0xA000, 100, 16000,
            List.of(new ReportBlock(0x55667788L, 25, 1000, 0x10010, 12, 0xC3D48000L, 0x10000)));
    private static final SourceDescription SDES = SourceDescription.cname(0x11223344L, "user@host");

    private static String hex(RtcpPacket p) {
        ByteBuffer b = ByteBuffer.allocate(p.encodedLength());
        p.writeTo(b);
        assertThat(b.hasRemaining()).isFalse();
        return Hex.encode(b.array());
    }

    private static RtcpPacket one(String hex) throws ParseException {
        ByteBuffer b = ByteBuffer.wrap(decode(hex));
        RtcpPacket p = RtcpPacket.parse(b);
        assertThat(b.hasRemaining()).as("parse consumed the packet").isFalse();
        return p;
    }

    @Test
    void senderReportWithSdesCompoundMatchesBytesBothWays() throws ParseException {
        byte[] compound = RtcpCompound.encode(List.of(SR, SDES), 0);
        assertThat(Hex.encode(compound)).isEqualTo(Hex.encode(decode(SR_HEX + SDES_HEX)));
        List<RtcpPacket> back = RtcpCompound.parse(compound, 0, compound.length);
        assertThat(back).containsExactly(SR, SDES);
        assertThat(((SourceDescription) back.get(1)).firstCname()).contains("user@host");
        assertThat(((SenderReport) back.get(0)).reportBlocks().get(0).cumulativeLost()).isEqualTo(1000);
    }

    @Test
    void cursorWalksTheCompoundWithoutDecoding() throws ParseException {
        byte[] compound = decode("00 00" + SR_HEX + SDES_HEX + "81cd0003 00000001 00000002 00640005");
        RtcpCompound.Cursor c = new RtcpCompound.Cursor().reset(compound, 2, compound.length - 2);
        assertThat(c.next()).isTrue();
        assertThat(c.packetType()).isEqualTo(RtcpPacket.PT_SR);
        assertThat(c.count()).isEqualTo(1);
        assertThat(c.offset()).isEqualTo(2);
        assertThat(c.length()).isEqualTo(52);
        assertThat(c.firstSsrc()).isEqualTo(0x11223344L);
        assertThat(c.next()).isTrue();
        assertThat(c.packetType()).isEqualTo(RtcpPacket.PT_SDES);
        assertThat(c.offset()).isEqualTo(54);
        assertThat(c.next()).isTrue();
        assertThat(c.packetType()).isEqualTo(RtcpPacket.PT_RTPFB);
        assertThat(c.count()).isEqualTo(GenericNack.FMT);
        assertThat(c.decode()).isEqualTo(GenericNack.fromLost(1, 2, List.of(100, 101, 103)));
        assertThat(c.next()).isFalse();
        assertThat(c.error()).isNull();
    }

    @Test
    void receiverReportWithNegativeCumulativeLoss() throws ParseException {
        ReceiverReport rr = new ReceiverReport(1, List.of(new ReportBlock(2, 0, -5, 70000, 3, 0, 0),
                new ReportBlock(3, 255, ReportBlock.MAX_CUMULATIVE_LOST + 10, 1, 0, 0xFFFFFFFFL, 1)));
        String h = hex(rr);
        assertThat(h).startsWith("82c9000d00000001" + "0000000200fffffb");
        RtcpPacket back = one(h);
        assertThat(back).isEqualTo(rr);
        assertThat(((ReceiverReport) back).reportBlocks().get(1).cumulativeLost()).isEqualTo(0x7FFFFF);
        assertThat(hex(new ReceiverReport(9, List.of()))).isEqualTo("80c9000100000009");
    }

    @Test
    void byeWithAndWithoutReason() throws ParseException {
        Goodbye bye = new Goodbye(List.of(0x11223344L), "bye");
        assertThat(hex(bye)).isEqualTo("81cb000211223344" + "03627965");
        assertThat(one(hex(bye))).isEqualTo(bye);
        Goodbye two = new Goodbye(List.of(1L, 2L), null);
        assertThat(hex(two)).isEqualTo("82cb00020000000100000002");
        assertThat(one(hex(two))).isEqualTo(two);
        Goodbye longer = new Goodbye(List.of(1L), "leaving");
        assertThat(hex(longer)).isEqualTo("81cb000300000001" + "076c656176696e67");
        assertThat(one(hex(longer))).isEqualTo(longer);
    }

    @Test
    void genericNackPacksLostSequenceNumbersAcrossTheWrap() throws ParseException {
        GenericNack nack = GenericNack.fromLost(1, 2, List.of(200, 117, 103, 101, 100, 118));
        assertThat(hex(nack)).isEqualTo("81cd0005" + "00000001" + "00000002" + "00640005" + "00750001" + "00c80000");
        assertThat(nack.lostSequenceNumbers()).containsExactly(100, 101, 103, 117, 118, 200);
        assertThat(one(hex(nack))).isEqualTo(nack);

        GenericNack wrap = GenericNack.fromLost(1, 2, List.of(1, 65534, 0, 65535));
        assertThat(wrap.items()).containsExactly(new GenericNack.Item(65534, 0x0007));
        assertThat(wrap.lostSequenceNumbers()).containsExactly(65534, 65535, 0, 1);
    }

    @Test
    void pictureLossFullIntraAndRemb() throws ParseException {
        PictureLossIndication pli = new PictureLossIndication(1, 2);
        assertThat(hex(pli)).isEqualTo("81ce0002" + "00000001" + "00000002");
        assertThat(one(hex(pli))).isEqualTo(pli);

        FullIntraRequest fir = new FullIntraRequest(1, List.of(new FullIntraRequest.Entry(2, 5)));
        assertThat(hex(fir)).isEqualTo("84ce0004" + "00000001" + "00000000" + "00000002" + "05000000");
        assertThat(one(hex(fir))).isEqualTo(fir);

        ReceiverEstimatedMaxBitrate remb = new ReceiverEstimatedMaxBitrate(1, 1_000_000, List.of(0x12345678L));
        assertThat(hex(remb)).isEqualTo("8fce0005" + "00000001" + "00000000" + "52454d42" + "010bd090" + "12345678");
        assertThat(one(hex(remb))).isEqualTo(remb);
        // Below 2^18 bps the mantissa holds the value exactly with exponent 0.
        ReceiverEstimatedMaxBitrate small = new ReceiverEstimatedMaxBitrate(1, 30_000, List.of(1L, 2L));
        assertThat(one(hex(small))).isEqualTo(small);
        // Application feedback that is not REMB stays unknown.
        assertThat(one("8fce0004 00000001 00000000 4e4f5045 00000000")).isInstanceOf(UnknownRtcpPacket.class);
    }

    @Test
    void unknownPacketsRoundTripUnchanged() throws ParseException {
        for (String h : List.of("8fcd0003 00000001 00000002 aabbccdd", // transport-wide CC feedback
                "80cc0003 00000001 6e616d65 01020304", // APP
                "80cf0002 00000001 00000000", // XR
                "83ce0002 00000001 00000002")) { // PSFB FMT 3
            RtcpPacket p = one(h);
            assertThat(p).isInstanceOf(UnknownRtcpPacket.class);
            assertThat(hex(p)).isEqualTo(Hex.encode(decode(h)));
        }
    }

    @Test
    void paddedLastPacketIsAccepted() throws ParseException {
        byte[] b = decode("80c90001 00000001 a1cb0002 00000002 00000004");
        List<RtcpPacket> list = RtcpCompound.parse(b, 0, b.length);
        assertThat(list).containsExactly(new ReceiverReport(1, List.of()), new Goodbye(List.of(2L), null));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", "", ParseError.INVALID_LENGTH),
                Arguments.of("truncated header", "81c800", ParseError.INVALID_LENGTH),
                Arguments.of("version 1", "41c90001 00000001", ParseError.INVALID_VALUE),
                Arguments.of("length beyond datagram", "80c90002 00000001", ParseError.INVALID_LENGTH),
                Arguments.of("trailing partial packet", "80c90001 00000001 80", ParseError.INVALID_LENGTH),
                Arguments.of("padding on a packet that is not last", "a1cb0002 00000002 00000004 80c90001 00000001",
                        ParseError.INVALID_PADDING),
                Arguments.of("padding count zero", "a0c90001 00000000", ParseError.INVALID_PADDING),
                Arguments.of("padding count beyond packet", "a0c90001 00000009", ParseError.INVALID_PADDING),
                Arguments.of("SR shorter than its report blocks", "81c80006 00000001 0000000000000000 00000000"
                        + "00000000 00000000", ParseError.INVALID_LENGTH),
                Arguments.of("SR shorter than sender info", "80c80001 00000001", ParseError.INVALID_LENGTH),
                Arguments.of("RR missing its block", "81c90001 00000001", ParseError.INVALID_LENGTH),
                Arguments.of("SDES chunk without END", "81ca0002 00000001 01026162", ParseError.INVALID_LENGTH),
                Arguments.of("SDES item overruns", "81ca0002 00000001 01096162", ParseError.INVALID_LENGTH),
                Arguments.of("SDES chunk not null-padded", "81ca0003 00000001 01026162 00ff0000",
                        ParseError.INVALID_PADDING),
                Arguments.of("SDES chunk count beyond body", "82ca0002 00000001 01000000", ParseError.INVALID_LENGTH),
                Arguments.of("BYE SSRC count beyond body", "82cb0001 00000001", ParseError.INVALID_LENGTH),
                Arguments.of("BYE reason overruns", "81cb0002 00000001 05616263", ParseError.INVALID_LENGTH),
                Arguments.of("feedback without SSRCs", "81ce0001 00000001", ParseError.INVALID_LENGTH),
                Arguments.of("NACK without FCI", "81cd0002 00000001 00000002", ParseError.INVALID_LENGTH),
                Arguments.of("FIR entry truncated", "84ce0003 00000001 00000000 00000002", ParseError.INVALID_LENGTH),
                Arguments.of("REMB lists absent SSRCs", "8fce0004 00000001 00000000 52454d42 020bd090",
                        ParseError.INVALID_LENGTH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedCompoundsFailWithTheirSpecificError(String name, String hex, ParseError expected) {
        byte[] b = decode(hex);
        assertThatThrownBy(() -> RtcpCompound.parse(b, 0, b.length)).isInstanceOf(ParseException.class)
                .satisfies(e -> assertThat(((ParseException) e).error()).isEqualTo(expected));
    }

    @Test
    void recordParsersRefuseOtherPacketTypes() {
        assertThatThrownBy(() -> SenderReport.parse(ByteBuffer.wrap(decode("80c90001 00000001"))))
                .isInstanceOf(ParseException.class)
                .satisfies(e -> assertThat(((ParseException) e).error()).isEqualTo(ParseError.INVALID_TYPE));
        assertThatThrownBy(() -> PictureLossIndication.parse(ByteBuffer.wrap(decode("84ce0002 00000001 00000002"))))
                .isInstanceOf(ParseException.class)
                .satisfies(e -> assertThat(((ParseException) e).error()).isEqualTo(ParseError.INVALID_TYPE));
    }

    @Test
    void fuzzedCompoundsOnlyEverFailWithParseException() {
        Random random = new Random(9);
        byte[] seed = RtcpCompound.encode(List.of(SR, SDES, GenericNack.fromLost(1, 2, List.of(5, 9)),
                new PictureLossIndication(1, 2), new ReceiverEstimatedMaxBitrate(1, 500_000, List.of(3L)),
                new Goodbye(List.of(1L), "x")), 0);
        RtcpCompound.Cursor cursor = new RtcpCompound.Cursor();
        int parsed = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] b;
            if (i % 3 == 0) {
                b = new byte[random.nextInt(64)];
                random.nextBytes(b);
                if (b.length > 0) {
                    b[0] = (byte) (0x80 | (b[0] & 0x3F));
                }
            } else {
                b = Arrays.copyOf(seed, random.nextInt(seed.length + 1));
                for (int m = random.nextInt(3); m >= 0 && b.length > 0; m--) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                List<RtcpPacket> packets = RtcpCompound.parse(b, 0, b.length);
                parsed++;
                for (RtcpPacket p : packets) {
                    ByteBuffer out = ByteBuffer.allocate(p.encodedLength());
                    p.writeTo(out);
                }
            } catch (ParseException expected) {
                assertThat(expected.error()).isNotNull();
            }
            cursor.reset(b, 0, b.length);
            int n = 0;
            while (cursor.next()) {
                assertThat(cursor.offset() + cursor.length()).isLessThanOrEqualTo(b.length);
                n++;
            }
            assertThat(n).isLessThanOrEqualTo(b.length / 4);
        }
        assertThat(parsed).isGreaterThan(300);
    }
}
