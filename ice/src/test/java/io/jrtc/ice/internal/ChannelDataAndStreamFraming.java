package io.jrtc.ice.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.Hex;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ChannelData (RFC 8656 §12.4) encoding, padding over streams (§12.5), malformed inputs, and stream framing. */
class ChannelDataAndStreamFraming {

    @Test
    void encodesTheRfcLayout() {
        ChannelData cd = new ChannelData(0x4001, ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer udp = ByteBuffer.allocate(cd.encodedLength());
        cd.writeTo(udp);
        assertThat(Hex.encode(udp.array())).isEqualTo("40010005" + "68656c6c6f");
        ByteBuffer tcp = ByteBuffer.allocate(cd.encodedLength(true));
        cd.writeTo(tcp, true);
        assertThat(Hex.encode(tcp.array())).isEqualTo("40010005" + "68656c6c6f" + "000000");
    }

    @Test
    void roundTrips() throws ParseException {
        for (int len : new int[] {0, 1, 3, 4, 100, 1200}) {
            byte[] payload = new byte[len];
            for (int i = 0; i < len; i++) {
                payload[i] = (byte) (i * 7);
            }
            ChannelData cd = new ChannelData(0x4FFF, ByteBuffer.wrap(payload));
            ByteBuffer out = ByteBuffer.allocate(cd.encodedLength(true));
            cd.writeTo(out, true);
            out.flip();
            ChannelData back = ChannelData.parse(out);
            assertThat(back.channel()).isEqualTo(0x4FFF);
            byte[] got = new byte[back.data().remaining()];
            back.data().get(got);
            assertThat(got).isEqualTo(payload);
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("header cut", "4001 00", ParseError.INVALID_LENGTH),
                Arguments.of("payload shorter than its length", "4001 0008 01020304", ParseError.INVALID_LENGTH),
                Arguments.of("channel below 0x4000", "3fff 0000", ParseError.INVALID_VALUE),
                Arguments.of("channel above 0x4FFF", "5000 0000", ParseError.INVALID_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejects(String name, String hex, ParseError expected) {
        assertThatThrownBy(() -> ChannelData.parse(ByteBuffer.wrap(Hex.decode(hex))))
                .isInstanceOfSatisfying(ParseException.class, e -> assertThat(e.error()).isEqualTo(expected));
    }

    @Test
    void misuseThrowsAtOnce() {
        assertThatThrownBy(() -> new ChannelData(0x3000, ByteBuffer.allocate(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChannelData(0x4000, ByteBuffer.allocate(70_000))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void framerSplitsMessagesAcrossArbitraryChunks() {
        byte[] stun = Hex.decode("0101 0008 2112a442 000000000000000000000001 0025 0000 8022 0000");
        byte[] cd = Hex.decode("4000 0005 0102030405 000000");
        byte[] stream = new byte[stun.length + cd.length + stun.length];
        System.arraycopy(stun, 0, stream, 0, stun.length);
        System.arraycopy(cd, 0, stream, stun.length, cd.length);
        System.arraycopy(stun, 0, stream, stun.length + cd.length, stun.length);
        for (int chunk = 1; chunk <= stream.length; chunk++) {
            StreamFramer f = new StreamFramer(1024);
            List<Integer> sizes = new ArrayList<>();
            for (int off = 0; off < stream.length; off += chunk) {
                int n = Math.min(chunk, stream.length - off);
                assertThat(f.append(ByteBuffer.wrap(stream, off, n), frame -> sizes.add(frame.remaining()))).isTrue();
            }
            assertThat(sizes).as("chunk %d", chunk).containsExactly(stun.length, cd.length, stun.length);
            assertThat(f.buffered()).isZero();
        }
    }

    @Test
    void framerRejectsAStreamOutOfSyncOrTooLarge() {
        StreamFramer f = new StreamFramer(64);
        assertThat(f.append(ByteBuffer.wrap(Hex.decode("8000 0004 00000000")), x -> { })).isFalse();
        StreamFramer g = new StreamFramer(64);
        assertThat(g.append(ByteBuffer.wrap(new byte[100]), x -> { })).isFalse();
    }
}
