package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmuConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the emulator's trace of a run where messages lost on a broken tree branch arrive by GRAFT: the trace hash
 * covers every event's time, so it changes if any graft timer (first IHAVE + ihaveTimeout, then every graftRetry)
 * fires at another time or in another order. {@link SameSeedSameTrace} compares two runs of the same code; this
 * compares against figures recorded before the graft deadline became a {@code Timer}.
 */
class GraftTimesArePinned {

    @Test
    void graftRepairTraceIsUnchanged() {
        Emulated m = Emulated.build(100, 6, 31);
        m.emu.broadcast(0, "warm-up 1".getBytes());
        m.emu.runFor(2 * Emulated.S);
        m.emu.broadcast(0, "warm-up 2".getBytes());
        m.emu.runFor(2 * Emulated.S);
        long graftsBefore = m.sum(OverlayStats::grafts);
        m.emu.fail(List.of(3, 17, 29, 44, 58, 71, 86, 93));
        m.emu.broadcast(0, "across the broken tree".getBytes());
        m.emu.runFor(3 * Emulated.S);
        long grafts = m.sum(OverlayStats::grafts) - graftsBefore;
        assertThat(grafts).isPositive();
        assertThat(new long[] {m.emu.traceHash(), grafts, m.events.size(), m.emu.actionsRun()})
                .containsExactly(2314218872408893449L, 6L, 4356L, 13650L);
    }

    /** With 30% loss GRAFTs and their answers are late, so grafts are retried after graftRetry: those times too. */
    @Test
    void graftRetryTraceUnderLossIsUnchanged() {
        Emulated m = new Emulated(100, OverlayConfig.builder().degree(6).build(), EmuConfig.defaults(32).withLoss(0.3));
        m.emu.broadcast(0, "warm-up".getBytes());
        m.emu.runFor(3 * Emulated.S);
        long graftsBefore = m.sum(OverlayStats::grafts);
        m.emu.fail(List.of(3, 17, 29, 44, 58, 71, 86, 93));
        m.emu.broadcast(0, "across the broken tree".getBytes());
        m.emu.runFor(4 * Emulated.S);
        long grafts = m.sum(OverlayStats::grafts) - graftsBefore;
        assertThat(new long[] {m.emu.traceHash(), grafts, m.events.size(), m.emu.actionsRun()})
                .containsExactly(6124921771031263570L, 27L, 3862L, 12408L);
    }
}
