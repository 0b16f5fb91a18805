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
 * Since the catch-up on new links (OverlayConfig.catchUpIds) each case is pinned twice: with it off, the figures
 * recorded before it (so nothing else moved), and with the defaults (the links that replace the crashed agents'
 * announce the recent broadcasts: under loss a copy still on its way is then grafted too, 31 grafts instead of 22).
 * All four were recorded again when the first degree/2 escalation wins stopped backing off (2026-12-06): the overlay
 * these runs build is another one (3 grafts instead of 6 in the first case, 18 and 24 instead of 31 and 22 under
 * loss); the graft timers did not change. The first case was recorded again when refusals began to be forgotten
 * after {@code OverlayConfig.refusalMemory} (2026-12-07: a few membership requests fewer, 4,502 and 4,501 events
 * instead of 4,515 and 4,516, the same 3 grafts); the two cases under loss did not move. All four were recorded
 * again when a tree move stopped pruning the old parent at once (2026-12-07, {@link TreeMovesDoNotCutTheTree}): the
 * same 3 grafts in the first case; under loss 24 and 29 instead of 18 and 24, as the moves' loops now cost copies that
 * draw the emulator's loss and delay differently.
 */
class GraftTimesArePinned {

    /** Catch-up on new links off. */
    private static final OverlayConfig NO_CATCH_UP = OverlayConfig.builder().degree(6)
            .catchUp(0, java.time.Duration.ZERO).build();

    @Test
    void graftRepairTraceIsUnchanged() {
        assertThat(graftRepair(OverlayConfig.builder().degree(6).build()))
                .containsExactly(7552010296968475047L, 3L, 4498L, 13857L);
        assertThat(graftRepair(NO_CATCH_UP)).containsExactly(-8849676147683093015L, 3L, 4498L, 13819L);
    }

    private static long[] graftRepair(OverlayConfig overlay) {
        Emulated m = new Emulated(100, overlay, EmuConfig.defaults(31));
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
        return new long[] {m.emu.traceHash(), grafts, m.events.size(), m.emu.actionsRun()};
    }

    /** With 30% loss GRAFTs and their answers are late, so grafts are retried after graftRetry: those times too. */
    @Test
    void graftRetryTraceUnderLossIsUnchanged() {
        assertThat(graftRetry(OverlayConfig.builder().degree(6).build()))
                .containsExactly(7048292914426835427L, 24L, 4073L, 12775L);
        assertThat(graftRetry(NO_CATCH_UP)).containsExactly(3096175096243629936L, 29L, 4062L, 12760L);
    }

    private static long[] graftRetry(OverlayConfig overlay) {
        Emulated m = new Emulated(100, overlay, EmuConfig.defaults(32).withLoss(0.3));
        m.emu.broadcast(0, "warm-up".getBytes());
        m.emu.runFor(3 * Emulated.S);
        long graftsBefore = m.sum(OverlayStats::grafts);
        m.emu.fail(List.of(3, 17, 29, 44, 58, 71, 86, 93));
        m.emu.broadcast(0, "across the broken tree".getBytes());
        m.emu.runFor(4 * Emulated.S);
        long grafts = m.sum(OverlayStats::grafts) - graftsBefore;
        return new long[] {m.emu.traceHash(), grafts, m.events.size(), m.emu.actionsRun()};
    }
}
