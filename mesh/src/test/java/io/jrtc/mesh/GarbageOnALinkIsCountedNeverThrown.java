package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.jrtc.mesh.emu.EmuConfig;
import io.jrtc.mesh.internal.wire.Envelope;
import io.jrtc.mesh.internal.wire.ForwardJoinFrame;
import io.jrtc.mesh.internal.wire.IHaveFrame;
import io.jrtc.mesh.internal.wire.MessageId;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random bytes and randomly mutated valid frames arrive on a live link: the core never throws, counts what does not
 * parse as MALFORMED, and the overlay keeps working.
 */
class GarbageOnALinkIsCountedNeverThrown {

    @Test
    void tenThousandMutatedFramesAreAbsorbed() {
        Emulated m = new Emulated(20, OverlayConfig.builder().degree(4).build(), EmuConfig.defaults(81));
        int y = 2;
        AgentId x = m.core(y).activeView().get(0);
        long link = m.emu.node(y).linkIds().get(x);
        AgentId other = m.core(5).self();
        List<byte[]> seeds = List.of(
                Envelope.create(m.emu.byAgent(x).signer(), Envelope.BROADCAST, 0, 32, 5_000_000, null, new byte[40]).toBytes(),
                Envelope.create(m.emu.byAgent(x).signer(), Envelope.UNICAST, 2, 32, 5_000_001, other, new byte[3]).toBytes(),
                new ForwardJoinFrame(2, other).toBytes(),
                new IHaveFrame(List.of(new IHaveFrame.Entry(new MessageId(other, 9), 3))).toBytes());
        SplittableRandom rnd = new SplittableRandom(99);
        long malformedBefore = m.core(y).stats().dropped(DropReason.MALFORMED);
        int expectedMalformedAtLeast = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = new byte[rnd.nextInt(0, 200)];
                rnd.nextBytes(b);
                if (b.length > 0 && (b[0] & 0xff) > 0x10) {
                    expectedMalformedAtLeast++;
                }
            } else {
                b = seeds.get(rnd.nextInt(seeds.size())).clone();
                int flips = rnd.nextInt(1, 4);
                for (int f = 0; f < flips; f++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                if (rnd.nextBoolean()) {
                    b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1));
                }
            }
            byte[] bytes = b;
            assertThatCode(() -> m.emu.with(y, c -> c.handleInput(m.emu.now(), link, ByteBuffer.wrap(bytes))))
                    .doesNotThrowAnyException();
            if (i % 100 == 0) {
                m.emu.runFor(10 * Emulated.MS);
            }
        }
        m.emu.runFor(5 * Emulated.S);
        assertThat(m.core(y).stats().dropped(DropReason.MALFORMED) - malformedBefore)
                .isGreaterThanOrEqualTo(expectedMalformedAtLeast);
        int mark = m.events.size();
        SendResult r = m.emu.broadcast(y, "still alive".getBytes());
        m.emu.runFor(3 * Emulated.S);
        assertThat(m.deliveries(m.core(y).self(), r.sequence(), mark)).hasSize(19);
    }
}
