package io.jrtc.sctp.packet;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.Hex;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A table of named malformed inputs; each must fail with its own specific {@link ParseError}. */
class MalformedInputsTest {

    @FunctionalInterface
    interface Parser {
        Object parse(ByteBuffer b) throws ParseException;
    }

    static Arguments row(String name, Parser parser, String hex, ParseError expected) {
        return Arguments.of(name, parser, hex, expected);
    }

    static Stream<Arguments> cases() {
        Parser chunk = Chunk::parse;
        Parser packet = SctpPacket::parse;
        return Stream.of(
                row("packet shorter than the common header", packet, "1388 1388 0000 0000 0000", ParseError.INVALID_LENGTH),
                row("packet with a header and no chunk", packet, "1388 1388 0000 0001 0000 0000", ParseError.INVALID_LENGTH),
                row("chunk header cut short", chunk, "00 03 00", ParseError.INVALID_LENGTH),
                row("chunk length below its header", chunk, "0b 00 00 03", ParseError.INVALID_LENGTH),
                row("chunk length past the end of the packet", chunk, "0b 00 00 10", ParseError.INVALID_LENGTH),
                row("padding cut short before the next chunk", chunk, "0a 00 00 05 01 00 00", ParseError.INVALID_PADDING),
                row("DATA shorter than its 16-byte header", chunk, "00 03 00 0c 00 00 00 01 00 05 00 07", ParseError.INVALID_LENGTH),
                row("SACK parsed as DATA", DataChunk::parse, "03 00 00 10 00 00 00 10 00 01 00 00 00 00 00 00", ParseError.INVALID_TYPE),
                row("SACK announcing a gap block it does not hold", chunk, "03 00 00 10 00 00 00 10 00 01 00 00 00 01 00 00",
                        ParseError.INVALID_LENGTH),
                row("SACK gap block starting at offset zero", chunk, "03 00 00 14 00 00 00 10 00 01 00 00 00 01 00 00 00 00 00 03",
                        ParseError.INVALID_VALUE),
                row("SACK gap block ending before it starts", chunk, "03 00 00 14 00 00 00 10 00 01 00 00 00 01 00 00 00 05 00 03",
                        ParseError.INVALID_VALUE),
                row("SACK shorter than its fixed part", chunk, "03 00 00 0c 00 00 00 10 00 01 00 00", ParseError.INVALID_LENGTH),
                row("INIT with Initiate Tag zero", chunk, "01 00 00 14 00 00 00 00 00 01 00 00 00 01 00 01 00 00 00 01",
                        ParseError.INVALID_VALUE),
                row("INIT with zero outbound streams", chunk, "01 00 00 14 00 00 00 07 00 01 00 00 00 00 00 01 00 00 00 01",
                        ParseError.INVALID_VALUE),
                row("INIT ACK with zero inbound streams", chunk, "02 00 00 14 00 00 00 07 00 01 00 00 00 01 00 00 00 00 00 01",
                        ParseError.INVALID_VALUE),
                row("INIT cut inside its fixed part", chunk, "01 00 00 10 00 00 00 07 00 01 00 00 00 01 00 01", ParseError.INVALID_LENGTH),
                row("INIT parameter running past the chunk", chunk,
                        "01 00 00 18 00 00 00 07 00 01 00 00 00 01 00 01 00 00 00 01 c0 00 00 08", ParseError.INVALID_LENGTH),
                row("Forward-TSN-Supported carrying a value", chunk,
                        "01 00 00 1c 00 00 00 07 00 01 00 00 00 01 00 01 00 00 00 01 c0 00 00 08 00 00 00 00", ParseError.INVALID_LENGTH),
                row("Zero Checksum Acceptable of the wrong length", ZeroChecksumAcceptableParameter::parse, "80 01 00 0c 00 00 00 01 00 00 00 00",
                        ParseError.INVALID_LENGTH),
                row("SHUTDOWN of length 12", chunk, "07 00 00 0c 00 00 00 01 00 00 00 00", ParseError.INVALID_LENGTH),
                row("COOKIE ACK carrying a value", chunk, "0b 00 00 08 00 00 00 00", ParseError.INVALID_LENGTH),
                row("SHUTDOWN COMPLETE carrying a value", chunk, "0e 00 00 08 00 00 00 00", ParseError.INVALID_LENGTH),
                row("HEARTBEAT whose TLV is not Heartbeat Info", chunk, "04 00 00 0c 00 02 00 08 de ad be ef", ParseError.INVALID_TYPE),
                row("HEARTBEAT without any TLV", chunk, "04 00 00 04", ParseError.INVALID_LENGTH),
                row("FORWARD TSN with a half stream entry", chunk, "c0 00 00 0a 00 00 00 64 00 01 00 00", ParseError.INVALID_LENGTH),
                row("RE-CONFIG without a parameter", chunk, "82 00 00 04", ParseError.INVALID_LENGTH),
                row("RE-CONFIG with three parameters", chunk,
                        "82 00 00 1c 00 0f 00 08 00 00 00 01 00 0f 00 08 00 00 00 02 00 0f 00 08 00 00 00 03", ParseError.INVALID_VALUE),
                row("Re-configuration Response of length 16", chunk, "82 00 00 14 00 10 00 10 00 00 00 01 00 00 00 01 00 00 00 00",
                        ParseError.INVALID_LENGTH),
                row("Outgoing SSN Reset Request with an odd stream list", chunk,
                        "82 00 00 18 00 0d 00 13 00 00 00 01 00 00 00 00 00 00 00 64 00 01 00 00", ParseError.INVALID_LENGTH),
                row("Missing Mandatory Parameter whose count disagrees", ErrorCause::parse, "00 02 00 0a 00 00 00 02 00 07 00 00",
                        ParseError.INVALID_LENGTH),
                row("Stale Cookie cause without its value", ErrorCause::parse, "00 03 00 04", ParseError.INVALID_LENGTH),
                row("Invalid Stream Identifier parsed as Stale Cookie", StaleCookieCause::parse, "00 01 00 08 00 07 00 00",
                        ParseError.INVALID_TYPE),
                row("ABORT whose cause overruns the chunk", chunk, "06 00 00 08 00 0c 00 09 62 79 65 00", ParseError.INVALID_LENGTH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithItsSpecificError(String name, Parser parser, String hex, ParseError expected) {
        ByteBuffer b = ByteBuffer.wrap(Hex.decode(hex));
        assertThatThrownBy(() -> parser.parse(b)).as(name).isInstanceOf(ParseException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((ParseException) e).error()).isEqualTo(expected));
    }
}
