package io.jrtc.mesh.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.common.ParseException;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Identity;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Jazzer target for the mesh frame parser. Contract, for any bytes: {@link Frame#parse} either throws its
 * {@link ParseException} (nothing else), or returns a frame whose encoding is exactly those bytes (one encoding per
 * frame, so nothing a forwarder re-encodes can differ from what was signed or sent).
 */
class FuzzedBytesParseToCanonicalFramesOrFail {

    private static final Identity ID = Identity.generate();
    private static final AgentId A = AgentId.parse("00112233445566778899aabbccddeeff");

    static boolean check(byte[] input) {
        Frame f;
        try {
            f = Frame.parse(ByteBuffer.wrap(input));
        } catch (ParseException e) {
            return false;
        }
        assertThat(f.encodedLength()).isEqualTo(input.length);
        assertThat(f.toBytes()).as("re-encoding of %s", f).isEqualTo(input);
        return true;
    }

    @FuzzTest(maxDuration = "30s")
    void frame(byte[] input) {
        check(input);
    }

    static boolean checkChunk(byte[] input) {
        BulkChunk c;
        try {
            c = BulkChunk.parse(input);
        } catch (ParseException e) {
            return false;
        }
        assertThat(c.index()).isNotNegative();
        assertThat(c.encode()).as("re-encoding of %s", c).isEqualTo(input);
        return true;
    }

    /** Regression mode without Jazzer's mutator: valid frames with seeded random mutations. */
    @Test
    void mutatedFramesParseCanonicallyOrFail() {
        List<byte[]> valid = List.of(JoinFrame.INSTANCE.toBytes(), new ForwardJoinFrame(6, A).toBytes(),
                new NeighborFrame(true).toBytes(), new ShuffleFrame(List.of(A, A)).toBytes(),
                new IHaveFrame(List.of(new IHaveFrame.Entry(new MessageId(A, 3), 2))).toBytes(),
                new GraftFrame(List.of(new MessageId(A, 3))).toBytes(), GraftFrame.TREE_ONLY.toBytes(),
                new PingFrame(5, 99).toBytes(),
                new PongFrame(5, 99).toBytes(),
                Envelope.create(ID, Envelope.UNICAST, Envelope.FLAG_ACK_REQUESTED, 16, 8, A, new byte[40]).toBytes(),
                Envelope.create(ID, Envelope.BULK, Envelope.FLAG_ACK_REQUESTED, 16, 9, 1_764_930_000_000_000L, A,
                        new BulkChunk(5, 2, true, new byte[20]).encode()).toBytes(),
                Envelope.create(ID, Envelope.BROADCAST, Envelope.FLAG_UNRELIABLE, 16, 10, -1L, null, new byte[3])
                        .toBytes());
        SplittableRandom random = new SplittableRandom(0x3E5);
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = valid.get(random.nextInt(valid.size())).clone();
            switch (random.nextInt(4)) {
                case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                case 2 -> b = Arrays.copyOf(b, b.length + 1 + random.nextInt(4));
                default -> {
                    b = new byte[random.nextInt(1, 64)];
                    random.nextBytes(b);
                }
            }
            parsed += check(b) ? 1 : 0;
            if (b.length > Envelope.HEADER + 32 + 16 + 64) { // past a unicast envelope's header: a chunk or not
                checkChunk(Arrays.copyOfRange(b, Envelope.HEADER + 32 + 16, b.length - 64));
            }
        }
        assertThat(parsed).isGreaterThan(2_000); // bit flips in payloads and ids still parse
    }
}
