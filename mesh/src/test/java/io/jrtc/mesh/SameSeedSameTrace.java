package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.MeshEmu;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The emulator is deterministic: the same seed and calls give the same event trace; another seed does not. */
class SameSeedSameTrace {

    private static long[] run(long seed) {
        Emulated m = Emulated.build(150, 6, seed);
        m.emu.broadcast(1, "a".getBytes());
        m.emu.runFor(2 * Emulated.S);
        m.emu.failFraction(0.2);
        m.emu.runFor(3 * Emulated.S);
        m.emu.broadcast(m.emu.liveIndices().get(0), "b".getBytes());
        m.emu.runFor(2 * Emulated.S);
        return new long[] {m.emu.traceHash(), m.events.size(), m.sum(OverlayStats::delivered),
            m.sum(OverlayStats::duplicates), m.emu.actionsRun()};
    }

    @Test
    void sameSeedGivesTheSameTraceHash() {
        long[] a = run(7);
        long[] b = run(7);
        long[] c = run(8);
        assertThat(b).containsExactly(a);
        assertThat(c[0]).isNotEqualTo(a[0]);
    }

    @Test
    void meshEmuPrintsTheSameFiguresForTheSameSeed() {
        MeshEmu.Options o = new MeshEmu.Options(300, 8, 5, 0.5, 20, 0, "steady", false, 0);
        List<String> first = MeshEmu.run(o, line -> { });
        List<String> second = MeshEmu.run(o, line -> { });
        // Lines other than the build line (which carries wall time) are identical.
        assertThat(second.subList(2, second.size())).isEqualTo(first.subList(2, first.size()));
        assertThat(first).anyMatch(l -> l.startsWith("steady, broadcast 2: delivered 299/299 (100.000%)"));
    }
}
