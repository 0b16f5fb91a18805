package io.jrtc.srtp.codec;

import static io.jrtc.common.Hex.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.Hex;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** VP8 payload descriptors and key frame detection (RFC 7741), Opus TOC bytes (RFC 6716), on crafted payloads. */
class Vp8AndOpusPayloadsAreRecognised {

    // What browsers send for the first packet of a VP8 key frame: X=1 S=1 PID=0; I=1 with a 15-bit PictureID
    // 0x0123; then the payload header (P=0, show_frame, first partition of 16 bytes), start code, 640x480.
    private static final byte[] KEY_FRAME_START = decode("90 80 81 23  10 02 00  9d 01 2a  80 02  e0 01  ff ee");
    // A later packet of the same frame: S=0.
    private static final byte[] CONTINUATION = decode("80 80 81 23  55 66 77 88");
    // The first packet of a delta frame: P=1.
    private static final byte[] DELTA_START = decode("90 80 81 24  31 05 00  12 34");

    @Test
    void keyFrameStartIsRecognisedWithItsDimensions() throws ParseException {
        Vp8PayloadDescriptor d = Vp8PayloadDescriptor.parse(KEY_FRAME_START, 0, KEY_FRAME_START.length);
        assertThat(d.extended()).isTrue();
        assertThat(d.startOfPartition()).isTrue();
        assertThat(d.partitionIndex()).isZero();
        assertThat(d.startsFrame()).isTrue();
        assertThat(d.pictureId()).isEqualTo(0x0123);
        assertThat(d.longPictureId()).isTrue();
        assertThat(d.tl0PicIdx()).isEqualTo(-1);
        assertThat(d.encodedLength()).isEqualTo(4);

        Vp8PayloadHeader h = Vp8PayloadHeader.parse(KEY_FRAME_START, 4, KEY_FRAME_START.length - 4);
        assertThat(h.keyFrame()).isTrue();
        assertThat(h.showFrame()).isTrue();
        assertThat(h.version()).isZero();
        assertThat(h.firstPartitionSize()).isEqualTo(16);
        assertThat(h.width()).isEqualTo(640);
        assertThat(h.height()).isEqualTo(480);

        assertThat(Vp8PayloadDescriptor.isKeyFrameStart(KEY_FRAME_START, 0, KEY_FRAME_START.length)).isTrue();
        assertThat(Vp8PayloadDescriptor.isKeyFrameStart(CONTINUATION, 0, CONTINUATION.length)).isFalse();
        assertThat(Vp8PayloadDescriptor.isKeyFrameStart(DELTA_START, 0, DELTA_START.length)).isFalse();
        assertThat(Vp8PayloadDescriptor.isKeyFrameStart(KEY_FRAME_START, 0, 4)).isFalse(); // no payload header
        assertThat(Vp8PayloadDescriptor.isKeyFrameStart(new byte[0], 0, 0)).isFalse();

        Vp8PayloadHeader delta = Vp8PayloadHeader.parse(DELTA_START, 4, DELTA_START.length - 4);
        assertThat(delta.keyFrame()).isFalse();
        assertThat(delta.showFrame()).isTrue();
        assertThat(delta.firstPartitionSize()).isEqualTo(1 + 8 * 5);
    }

    @Test
    void descriptorFieldsRoundTrip() throws ParseException {
        Vp8PayloadDescriptor[] cases = {
            new Vp8PayloadDescriptor(false, false, true, 0, -1, false, -1, -1, false, -1),
            new Vp8PayloadDescriptor(true, true, false, 3, 0x55, false, -1, -1, false, -1),
            new Vp8PayloadDescriptor(true, false, true, 0, 0x7FFF, true, 200, 2, true, 17),
            new Vp8PayloadDescriptor(true, false, true, 0, -1, false, 9, 1, false, -1),
            new Vp8PayloadDescriptor(true, false, true, 0, -1, false, -1, -1, false, 31),
        };
        for (Vp8PayloadDescriptor d : cases) {
            ByteBuffer b = ByteBuffer.allocate(d.encodedLength());
            d.writeTo(b);
            assertThat(Vp8PayloadDescriptor.parse(b.array(), 0, b.capacity())).isEqualTo(d);
        }
        ByteBuffer b = ByteBuffer.allocate(6);
        cases[2].writeTo(b);
        assertThat(Hex.encode(b.array())).isEqualTo("90f0ffffc8b1");

        Vp8PayloadHeader key = new Vp8PayloadHeader(true, 0, true, 2049, 1280, 720, 1, 2);
        ByteBuffer k = ByteBuffer.allocate(10);
        key.writeTo(k);
        assertThat(Vp8PayloadHeader.parse(k.array(), 0, 10)).isEqualTo(key);
    }

    static Stream<Arguments> malformedVp8() {
        return Stream.of(
                Arguments.of("empty descriptor", "", ParseError.INVALID_LENGTH),
                Arguments.of("X without extension octet", "90", ParseError.INVALID_LENGTH),
                Arguments.of("I without PictureID", "90 80", ParseError.INVALID_LENGTH),
                Arguments.of("M without second PictureID byte", "90 80 81", ParseError.INVALID_LENGTH),
                Arguments.of("L without TL0PICIDX", "90 40", ParseError.INVALID_LENGTH),
                Arguments.of("T without TID byte", "90 20", ParseError.INVALID_LENGTH),
                Arguments.of("K without KEYIDX byte", "90 10", ParseError.INVALID_LENGTH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedVp8")
    void malformedDescriptorsFailWithTheirError(String name, String hex, ParseError expected) {
        byte[] b = decode(hex);
        assertThatThrownBy(() -> Vp8PayloadDescriptor.parse(b, 0, b.length)).isInstanceOf(ParseException.class)
                .satisfies(e -> assertThat(((ParseException) e).error()).isEqualTo(expected));
        assertThat(Vp8PayloadDescriptor.isKeyFrameStart(b, 0, b.length)).isFalse();
    }

    @Test
    void malformedPayloadHeaders() {
        assertThatThrownBy(() -> Vp8PayloadHeader.parse(decode("10 02"), 0, 2))
                .satisfies(e -> assertThat(((ParseException) e).error()).isEqualTo(ParseError.INVALID_LENGTH));
        assertThatThrownBy(() -> Vp8PayloadHeader.parse(decode("10 02 00 9d 01"), 0, 5))
                .satisfies(e -> assertThat(((ParseException) e).error()).isEqualTo(ParseError.INVALID_LENGTH));
        assertThatThrownBy(() -> Vp8PayloadHeader.parse(decode("10 02 00 9d 01 2b 80 02 e0 01"), 0, 10))
                .satisfies(e -> assertThat(((ParseException) e).error()).isEqualTo(ParseError.INVALID_VALUE));
    }

    @Test
    void opusTocOfBrowserPackets() throws ParseException {
        // 0x78: config 15 = hybrid fullband 20 ms, mono, one frame (libopus VoIP at 48 kHz).
        OpusToc voip = OpusToc.parse(decode("78 0b e4 c1"), 0, 4);
        assertThat(voip.config()).isEqualTo(15);
        assertThat(voip.mode()).isEqualTo(OpusToc.Mode.HYBRID);
        assertThat(voip.bandwidth()).isEqualTo(OpusToc.Bandwidth.FULLBAND);
        assertThat(voip.stereo()).isFalse();
        assertThat(voip.frameCount()).isEqualTo(1);
        assertThat(voip.packetDurationMicros()).isEqualTo(20_000);

        // 0xfc: config 31 = CELT fullband 20 ms, stereo.
        OpusToc music = OpusToc.parse(decode("fc ff fe"), 0, 3);
        assertThat(music.mode()).isEqualTo(OpusToc.Mode.CELT);
        assertThat(music.bandwidth()).isEqualTo(OpusToc.Bandwidth.FULLBAND);
        assertThat(music.stereo()).isTrue();
        assertThat(music.frameDurationMicros()).isEqualTo(20_000);

        // 0x0b: config 1 = SILK narrowband 20 ms, code 3 with M = 3 (VBR): 60 ms.
        OpusToc silk = OpusToc.parse(decode("0b 83 01 02 03"), 0, 5);
        assertThat(silk.mode()).isEqualTo(OpusToc.Mode.SILK);
        assertThat(silk.bandwidth()).isEqualTo(OpusToc.Bandwidth.NARROWBAND);
        assertThat(silk.frameCountCode()).isEqualTo(3);
        assertThat(silk.frameCount()).isEqualTo(3);
        assertThat(silk.vbr()).isTrue();
        assertThat(silk.packetDurationMicros()).isEqualTo(60_000);

        // Code 1 (two equal frames) of CELT wideband 2.5 ms.
        OpusToc twoFrames = OpusToc.parse(decode("a1 01 02"), 0, 3);
        assertThat(twoFrames.bandwidth()).isEqualTo(OpusToc.Bandwidth.WIDEBAND);
        assertThat(twoFrames.packetDurationMicros()).isEqualTo(5_000);

        ByteBuffer out = ByteBuffer.allocate(2);
        silk.writeTo(out);
        assertThat(Hex.encode(out.array())).isEqualTo("0b83");
        assertThat(OpusToc.parse(ByteBuffer.wrap(decode("0b 83 01 02 03")))).isEqualTo(silk);
    }

    static Stream<Arguments> malformedOpus() {
        return Stream.of(
                Arguments.of("empty packet", "", ParseError.INVALID_LENGTH),
                Arguments.of("code 1 with an odd payload", "79 01 02 03", ParseError.INVALID_LENGTH),
                Arguments.of("code 2 without frame length", "7a", ParseError.INVALID_LENGTH),
                Arguments.of("code 3 without frame count byte", "7b", ParseError.INVALID_LENGTH),
                Arguments.of("code 3 with zero frames", "7b 00", ParseError.INVALID_VALUE),
                Arguments.of("code 3 lasting 180 ms", "1b 03", ParseError.INVALID_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedOpus")
    void malformedOpusPacketsFailWithTheirError(String name, String hex, ParseError expected) {
        byte[] b = decode(hex);
        assertThatThrownBy(() -> OpusToc.parse(b, 0, b.length)).isInstanceOf(ParseException.class)
                .satisfies(e -> assertThat(((ParseException) e).error()).isEqualTo(expected));
    }

    @Test
    void fuzzedPayloadsOnlyFailWithParseException() {
        Random random = new Random(21);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(14)];
            random.nextBytes(b);
            try {
                Vp8PayloadDescriptor d = Vp8PayloadDescriptor.parse(b, 0, b.length);
                assertThat(d.encodedLength()).isLessThanOrEqualTo(b.length);
                Vp8PayloadHeader.parse(b, d.encodedLength(), b.length - d.encodedLength());
            } catch (ParseException expected) {
                assertThat(expected.error()).isNotNull();
            }
            Vp8PayloadDescriptor.isKeyFrameStart(b, 0, b.length);
            try {
                OpusToc t = OpusToc.parse(b, 0, b.length);
                assertThat(t.packetDurationMicros()).isBetween(2_500, OpusToc.MAX_PACKET_DURATION_MICROS);
            } catch (ParseException expected) {
                assertThat(expected.error()).isNotNull();
            }
        }
    }
}
