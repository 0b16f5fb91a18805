package io.jrtc.datachannel.dcep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.Hex;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 8832 §5 messages: byte vectors from the diagrams, round trips, named malformed inputs, and a fuzz run. */
class DcepCodecTest {

    @Test
    void openVectorFromTheRfcLayout() throws Exception {
        // OPEN, PARTIAL_RELIABLE_REXMIT_UNORDERED (0x81), priority 256, 3 retransmissions, label "chat", protocol "x"
        String hex = "03 81 01 00 00 00 00 03 00 04 00 01 63 68 61 74 78";
        DcepMessage m = DcepMessage.parse(ByteBuffer.wrap(Hex.decode(hex)));
        assertThat(m).isEqualTo(new DataChannelOpen(ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED, 256, 3, "chat", "x"));
        assertThat(Hex.encode(m.encode())).isEqualTo(hex.replace(" ", ""));
    }

    @Test
    void ackIsOneByte() throws Exception {
        assertThat(DcepMessage.parse(ByteBuffer.wrap(new byte[] {2}))).isEqualTo(new DataChannelAck());
        assertThat(Hex.encode(new DataChannelAck().encode())).isEqualTo("02");
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void everyChannelTypeRoundTripsWithUnicodeLabels(ChannelType type) throws Exception {
        DataChannelOpen open = new DataChannelOpen(type, 512, type.reliability() == ChannelType.Reliability.RELIABLE ? 0 : 1500,
                "ünïcødé 🚀", "proto/2");
        ByteBuffer b = open.encode();
        assertThat(b.remaining()).isEqualTo(12 + "ünïcødé 🚀".getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 7);
        assertThat(DcepMessage.parse(b)).isEqualTo(open);
        assertThat(ChannelType.of(type.code())).isEqualTo(type);
        assertThat(ChannelType.of(type.ordered(), type.reliability())).isEqualTo(type);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty message", "", ParseError.INVALID_LENGTH),
                Arguments.of("unknown message type", "07", ParseError.INVALID_TYPE),
                Arguments.of("OPEN shorter than its fixed part", "03 00 01 00 00 00 00 00 00 00 00", ParseError.INVALID_LENGTH),
                Arguments.of("OPEN with an unknown channel type", "03 05 01 00 00 00 00 00 00 00 00 00", ParseError.INVALID_VALUE),
                Arguments.of("OPEN whose label runs past the end", "03 00 01 00 00 00 00 00 00 05 00 00 61 62", ParseError.INVALID_LENGTH),
                Arguments.of("OPEN with bytes after the protocol", "03 00 01 00 00 00 00 00 00 01 00 00 61 62", ParseError.INVALID_LENGTH),
                Arguments.of("OPEN label that is not UTF-8", "03 00 01 00 00 00 00 00 00 02 00 00 c3 28", ParseError.INVALID_VALUE),
                Arguments.of("ACK with trailing bytes", "02 00", ParseError.INVALID_LENGTH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedMessagesFailWithTheirError(String name, String hex, ParseError expected) {
        assertThatThrownBy(() -> DcepMessage.parse(ByteBuffer.wrap(Hex.decode(hex)))).isInstanceOf(ParseException.class)
                .satisfies(e -> assertThat(((ParseException) e).error()).isEqualTo(expected));
    }

    @Test
    void parsingArbitraryBytesOnlyEverThrowsParseException() {
        SplittableRandom r = new SplittableRandom(8);
        byte[] seed = new DataChannelOpen(ChannelType.RELIABLE, 256, 0, "label", "protocol").encode().array();
        int ok = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = new byte[r.nextInt(0, 40)];
                r.nextBytes(b);
                if (b.length > 0) {
                    b[0] = (byte) (r.nextBoolean() ? 3 : 2);
                }
            } else {
                b = seed.clone();
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                if (r.nextInt(4) == 0) {
                    b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 4));
                }
            }
            try {
                DcepMessage m = DcepMessage.parse(ByteBuffer.wrap(b));
                assertThat(DcepMessage.parse(m.encode())).isEqualTo(m);
                ok++;
            } catch (ParseException expected) {
                assertThat(expected.error()).isNotNull();
            }
        }
        assertThat(ok).isPositive();
    }
}
