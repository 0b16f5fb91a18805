package io.jrtc.sctp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property test for every parser: random bytes and mutations of valid packets either parse, or fail with a
 * {@link ParseException}; nothing else ever escapes. Whatever parses re-encodes to something that parses to an
 * equal value.
 */
class ParserFuzzTest {

    static final int ITERATIONS = 200_000;

    static List<byte[]> seeds() {
        List<Chunk> chunks = List.of(
                new DataChunk(7, 1, 2, 51, new byte[] {1, 2, 3, 4, 5}, false, true, true, false),
                new InitChunk(9, 100_000, 10, 10, 77, List.of(new ForwardTsnSupportedParameter(),
                        new SupportedExtensionsParameter(List.of(130, 192)), new ZeroChecksumAcceptableParameter(1),
                        new UnknownParameter(0x8077, new byte[] {1, 2, 3}))),
                new InitAckChunk(9, 100_000, 10, 10, 77, List.of(new StateCookieParameter(new byte[40]), new CookiePreservativeParameter(5))),
                new SackChunk(100, 5000, List.of(new SackChunk.GapAckBlock(2, 4), new SackChunk.GapAckBlock(7, 7)), List.of(99L)),
                new HeartbeatRequestChunk(new HeartbeatInfoParameter(new byte[16])),
                new AbortChunk(true, List.of(UserInitiatedAbortCause.of("x"), new NoUserDataCause(3))),
                new ErrorChunk(List.of(new StaleCookieCause(4), new MissingMandatoryParameterCause(List.of(7)))),
                new ForwardTsnChunk(200, List.of(new ForwardTsnChunk.SkippedStream(1, 2))),
                new ReConfigChunk(List.of(new OutgoingSsnResetRequestParameter(1, 2, 3, List.of(4, 5)),
                        ReconfigurationResponseParameter.of(1, 1))),
                new ShutdownChunk(5), new ShutdownAckChunk(), new ShutdownCompleteChunk(true), new CookieEchoChunk(new byte[80]),
                new CookieAckChunk(), new UnknownChunk(0xC3, 1, new byte[] {9}));
        return chunks.stream().map(c -> new SctpPacket(5000, 5000, 1234, List.of(c, new CookieAckChunk())).encode(false).array()).toList();
    }

    @Test
    void parsersSurviveArbitraryAndMutatedBytes() {
        SplittableRandom r = new SplittableRandom(42);
        List<byte[]> seeds = seeds();
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input;
            if (i % 4 == 0) {
                input = new byte[r.nextInt(0, 120)];
                r.nextBytes(input);
                if (input.length > 12 && r.nextBoolean()) {
                    input[12] = (byte) r.nextInt(0, 16); // a plausible chunk type
                }
            } else {
                input = mutate(seeds.get(r.nextInt(seeds.size())), r);
            }
            try {
                SctpPacket p = SctpPacket.parse(ByteBuffer.wrap(input));
                parsed++;
                SctpPacket again = SctpPacket.parse(p.encode(r.nextBoolean()));
                assertThat(again).isEqualTo(p);
            } catch (ParseException e) {
                rejected++;
                assertThat(e.error()).isNotNull();
            }
            // individual element parsers straight on the bytes after the common header
            ByteBuffer body = ByteBuffer.wrap(input, Math.min(12, input.length), Math.max(0, input.length - 12));
            tryParse(() -> Chunk.parse(body.duplicate()));
            tryParse(() -> Parameter.parse(body.duplicate()));
            tryParse(() -> ErrorCause.parse(body.duplicate()));
            tryParse(() -> Parameter.parseAll(body.duplicate()));
        }
        assertThat(parsed).isGreaterThan(1000);
        assertThat(rejected).isGreaterThan(1000);
    }

    interface Attempt {
        Object run() throws ParseException;
    }

    private static void tryParse(Attempt a) {
        try {
            a.run();
        } catch (ParseException expected) {
            // fine
        }
    }

    static byte[] mutate(byte[] seed, SplittableRandom r) {
        byte[] b = seed.clone();
        int kind = r.nextInt(5);
        switch (kind) {
            case 0 -> {
                int flips = r.nextInt(1, 4);
                for (int i = 0; i < flips; i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 2 -> {
                int at = r.nextInt(12, b.length);
                b[at] = (byte) r.nextInt(256);
            }
            case 3 -> {
                // corrupt a length field of the first chunk
                if (b.length > 16) {
                    b[14] = (byte) r.nextInt(256);
                    b[15] = (byte) r.nextInt(256);
                }
            }
            default -> {
                byte[] longer = java.util.Arrays.copyOf(b, b.length + r.nextInt(1, 9));
                for (int i = b.length; i < longer.length; i++) {
                    longer[i] = (byte) r.nextInt(256);
                }
                b = longer;
            }
        }
        return b;
    }
}
