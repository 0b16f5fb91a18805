package io.jrtc.mesh.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.Hex;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Ed25519Verifier;
import io.jrtc.mesh.Identity;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every mesh frame encodes and decodes to itself; each malformed input gives its specific parse error. */
class FramesRoundTripAndRejectMalformedInput {

    private static final Identity ID = Identity.generate();
    private static final AgentId A = AgentId.parse("00112233445566778899aabbccddeeff");
    private static final AgentId B = AgentId.parse("ffeeddccbbaa99887766554433221100");

    static Stream<Frame> frames() {
        return Stream.of(JoinFrame.INSTANCE, DisconnectFrame.INSTANCE, PruneFrame.INSTANCE,
                new ForwardJoinFrame(6, A), new NeighborFrame(true), new NeighborFrame(false),
                new NeighborReplyFrame(true), new ShuffleFrame(List.of(A, B)), new ShuffleReplyFrame(List.of()),
                new IHaveFrame(List.of(new IHaveFrame.Entry(new MessageId(A, 1), 1),
                        new IHaveFrame.Entry(new MessageId(B, -1), 255))),
                new GraftFrame(List.of(new MessageId(A, 42))), GraftFrame.TREE_ONLY,
                new PingFrame(0, 0), new PingFrame(-1, Long.MIN_VALUE), new PongFrame(7, 123_456_789L),
                Envelope.create(ID, Envelope.BROADCAST, 0, 32, 7, null, "hi".getBytes()),
                Envelope.create(ID, Envelope.UNICAST, Envelope.FLAG_ACK_REQUESTED, 16, 8, B, new byte[300]),
                Envelope.create(ID, Envelope.BROADCAST, Envelope.FLAG_UNRELIABLE, 32, 9, 1_764_930_000_123_456L, null,
                        "lossy".getBytes()),
                Envelope.create(ID, Envelope.BULK, Envelope.FLAG_ACK_REQUESTED, 32, 10, Long.MIN_VALUE, B,
                        new BulkChunk(77, 0, false, new byte[1000]).encode()));
    }

    @ParameterizedTest
    @MethodSource("frames")
    void encodeThenDecodeGivesTheSameFrame(Frame f) throws ParseException {
        byte[] bytes = f.toBytes();
        assertThat(bytes).hasSize(f.encodedLength());
        assertThat(bytes[0] & 0xff).isEqualTo(f.type());
        assertThat(Frame.parse(ByteBuffer.wrap(bytes))).isEqualTo(f);
    }

    @Test
    void forwardJoinHasTheDocumentedLayout() {
        assertThat(Hex.encode(new ForwardJoinFrame(3, A).toBytes())).isEqualTo("020300112233445566778899aabbccddeeff");
        // protocol version 5: each IHAVE entry ends with the hops its payload would have over this link
        assertThat(Hex.encode(new IHaveFrame(List.of(new IHaveFrame.Entry(new MessageId(B, 2), 4))).toBytes()))
                .isEqualTo("080001ffeeddccbbaa99887766554433221100000000000000000204");
        assertThat(Hex.encode(new GraftFrame(List.of(new MessageId(B, 2))).toBytes()))
                .isEqualTo("090001ffeeddccbbaa998877665544332211000000000000000002");
        assertThat(Hex.encode(GraftFrame.TREE_ONLY.toBytes())).isEqualTo("090000");
    }

    @Test
    void pingAndPongHaveTheDocumentedLayout() {
        PingFrame ping = new PingFrame(0x01020304, 0x1122334455667788L);
        assertThat(Hex.encode(ping.toBytes())).isEqualTo("0b010203041122334455667788");
        assertThat(Hex.encode(ping.answer().toBytes())).isEqualTo("0c010203041122334455667788");
        assertThat(ping.answer()).isEqualTo(new PongFrame(0x01020304, 0x1122334455667788L));
    }

    @Test
    void envelopeSignatureCoversEverythingButTheHopCount() throws ParseException {
        Envelope e = Envelope.create(ID, Envelope.UNICAST, 0, 32, 99, B, "payload".getBytes());
        Ed25519Verifier v = new Ed25519Verifier();
        assertThat(e.verify(v)).isTrue();
        assertThat(e.origin()).isEqualTo(ID.agentId());
        Envelope forwarded = (Envelope) Frame.parse(ByteBuffer.wrap(e.withHops(5).toBytes()));
        assertThat(forwarded.hops()).isEqualTo(5);
        assertThat(forwarded.verify(v)).isTrue();
        byte[] bytes = e.toBytes();
        // Flip one bit in each signed field after the type byte: kind, flags' reserved bit, hop limit, sequence,
        // origination time, destination, payload. Each must break the signature (flipping the key changes the origin as well).
        for (int offset : new int[] {2, 3, 4, 8, 15, 16, 23, 24 + 32, bytes.length - 64 - 1}) {
            byte[] t = bytes.clone();
            t[offset] ^= (byte) (offset == 3 ? 0x80 : 0x01);
            Envelope tampered = (Envelope) Frame.parse(ByteBuffer.wrap(t));
            assertThat(tampered.verify(v)).as("flip at %d", offset).isFalse();
        }
    }

    @Test
    void envelopeVersion2HasTheDocumentedLayout() {
        Envelope e = Envelope.create(ID, Envelope.UNICAST, Envelope.FLAG_UNRELIABLE, 32, 0x0102030405060708L,
                0x1112131415161718L, B, new byte[] {(byte) 0xab});
        byte[] b = e.toBytes();
        assertThat(Hex.encode(Arrays.copyOf(b, 24))).isEqualTo("1002020520000001" + "0102030405060708" + "1112131415161718");
        assertThat(Arrays.copyOfRange(b, 24, 56)).isEqualTo(ID.publicKey());
        assertThat(Hex.encode(Arrays.copyOfRange(b, 56, 73))).isEqualTo("ffeeddccbbaa99887766554433221100ab");
        assertThat(b).hasSize(73 + 64);
        assertThat(e.channel()).isEqualTo(io.jrtc.mesh.ChannelClass.UNRELIABLE);
    }

    @Test
    void bulkChunksHaveTheDocumentedLayoutAndRejectBadFlags() throws ParseException {
        BulkChunk c = new BulkChunk(0x0102030405060708L, 9, true, new byte[] {1, 2});
        assertThat(Hex.encode(c.encode())).isEqualTo("0102030405060708" + "00000009" + "01" + "0102");
        assertThat(BulkChunk.parse(c.encode())).isEqualTo(c);
        assertThat(BulkChunk.parse(Hex.decode("0000000000000001" + "00000000" + "00"))).isEqualTo(
                new BulkChunk(1, 0, false, new byte[0]));
        for (String bad : new String[] {"", "00000000000000010000000002", "00000000000000018000000000",
                "000000000000000100000000"}) {
            assertThatThrownBy(() -> BulkChunk.parse(Hex.decode(bad))).as(bad).isInstanceOf(ParseException.class);
        }
    }

    static Stream<Arguments> malformed() {
        byte[] env = Envelope.create(ID, Envelope.BROADCAST, 0, 32, 7, null, "hi".getBytes()).toBytes();
        byte[] badVersion = env.clone();
        badVersion[1] = 1; // version 1 (protocol 3, no origination time): refused, not guessed at
        byte[] hopsOverLimit = env.clone();
        hopsOverLimit[5] = 33;
        byte[] zeroLimit = env.clone();
        zeroLimit[4] = 0;
        zeroLimit[5] = 0;
        byte[] longPayloadField = env.clone();
        longPayloadField[7] = 3;
        return Stream.of(
                Arguments.of("empty", new byte[0], ParseError.INVALID_LENGTH),
                Arguments.of("unknown frame type", new byte[] {0x7f}, ParseError.INVALID_TYPE),
                Arguments.of("JOIN with a stray byte", new byte[] {0x01, 0x00}, ParseError.INVALID_LENGTH),
                Arguments.of("NEIGHBOR flag 2", new byte[] {0x03, 0x02}, ParseError.INVALID_VALUE),
                Arguments.of("NEIGHBOR truncated", new byte[] {0x03}, ParseError.INVALID_LENGTH),
                Arguments.of("FORWARD_JOIN ttl 200", Hex.decode("02c800112233445566778899aabbccddeeff"), ParseError.INVALID_VALUE),
                Arguments.of("SHUFFLE count beyond the bytes", Hex.decode("0602" + "00".repeat(16)), ParseError.INVALID_LENGTH),
                Arguments.of("IHAVE with no ids", Hex.decode("080000"), ParseError.INVALID_VALUE),
                Arguments.of("IHAVE of protocol version 4 (no hops)",
                        Hex.decode("080001ffeeddccbbaa998877665544332211000000000000000002"), ParseError.INVALID_LENGTH),
                Arguments.of("IHAVE announcing 0 hops",
                        Hex.decode("080001ffeeddccbbaa99887766554433221100000000000000000200"), ParseError.INVALID_VALUE),
                Arguments.of("GRAFT count beyond the bytes", Hex.decode("090001"), ParseError.INVALID_LENGTH),
                Arguments.of("PING truncated", Hex.decode("0b01020304112233"), ParseError.INVALID_LENGTH),
                Arguments.of("PONG with a stray byte", Hex.decode("0c01020304112233445566778800"), ParseError.INVALID_LENGTH),
                Arguments.of("ENVELOPE version 1", badVersion, ParseError.INVALID_VALUE),
                Arguments.of("ENVELOPE hops above its limit", hopsOverLimit, ParseError.INVALID_VALUE),
                Arguments.of("ENVELOPE hop limit 0", zeroLimit, ParseError.INVALID_VALUE),
                Arguments.of("ENVELOPE payload length past the end", longPayloadField, ParseError.INVALID_LENGTH),
                Arguments.of("ENVELOPE truncated signature", Arrays.copyOf(env, env.length - 1), ParseError.INVALID_LENGTH),
                Arguments.of("ENVELOPE header only", Arrays.copyOf(env, 10), ParseError.INVALID_LENGTH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputGivesItsParseError(String name, byte[] bytes, ParseError expected) {
        assertThatThrownBy(() -> Frame.parse(ByteBuffer.wrap(bytes)))
                .isInstanceOfSatisfying(ParseException.class, e -> assertThat(e.error()).isEqualTo(expected));
    }
}
