package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmuConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the emulator's trace of a run where messages lost on a broken tree branch arrive by GRAFT: the trace hash
 * covers every event's time, so it changes if any graft timer (first IHAVE + ihaveTimeout, then every graftRetry)
 * fires at another time or in another order. {@link SameSeedSameTrace} compares two runs of the same code; this
 * compares against recorded figures: recorded before the graft deadline became a {@code Timer}, and recorded again
 * when a drain began to hand out queued payloads before IHAVE batches (2026-12-06: same graft count in the first
 * case, 22 instead of 27 grafts under loss, as the order of transmissions draws the emulator's loss and delay).
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
                .containsExactly(-2340832397937161326L, 6L, 4356L, 13645L);
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
                .containsExactly(-8531314825199470250L, 22L, 3860L, 12376L);
    }
}
