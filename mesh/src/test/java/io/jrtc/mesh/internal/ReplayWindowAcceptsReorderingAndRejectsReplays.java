package io.jrtc.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmulatedSigner;
import io.jrtc.mesh.internal.wire.Envelope;
import org.junit.jupiter.api.Test;

/**
 * The gate's per-origin window: sequences may arrive out of order within 256 of the highest; a sequence seen before
 * is a duplicate while its id is in the seen cache and a replay after; anything 256 or more below the highest is a
 * replay; a jump forward clears the window.
 */
class ReplayWindowAcceptsReorderingAndRejectsReplays {

    private final EmulatedSigner origin = new EmulatedSigner(1);

    private Envelope env(long seq) {
        return Envelope.create(origin, Envelope.BROADCAST, 0, 8, seq, null, new byte[] {1});
    }

    @Test
    void windowAndSeenCacheTogether() {
        Gate gate = new Gate(new EmulatedSigner.Verifier(), 4, 16);
        assertThat(gate.check(env(1000))).isEqualTo(Gate.Verdict.FRESH);
        assertThat(gate.check(env(990))).isEqualTo(Gate.Verdict.FRESH);      // late but inside the window
        assertThat(gate.check(env(1000))).isEqualTo(Gate.Verdict.DUPLICATE); // still in the seen cache
        assertThat(gate.check(env(745))).isEqualTo(Gate.Verdict.FRESH);      // 255 below the highest: inside
        assertThat(gate.check(env(744))).isEqualTo(Gate.Verdict.REPLAY);     // 256 below: outside
        for (long s = 1001; s <= 1004; s++) {
            assertThat(gate.check(env(s))).isEqualTo(Gate.Verdict.FRESH);    // pushes 1000 out of the 4-id cache
        }
        assertThat(gate.check(env(1000))).isEqualTo(Gate.Verdict.REPLAY);    // seen, forgotten by the cache, marked
        assertThat(gate.check(env(5000))).isEqualTo(Gate.Verdict.FRESH);     // jump: the window moves on
        assertThat(gate.check(env(4999))).isEqualTo(Gate.Verdict.FRESH);     // cleared slot, never seen
        assertThat(gate.check(env(4744))).isEqualTo(Gate.Verdict.REPLAY);
    }

    @Test
    void badSignatureIsCheckedBeforeTheWindowAndLeavesNoMark() {
        Gate gate = new Gate(new EmulatedSigner.Verifier(), 16, 16);
        Envelope good = env(7);
        Envelope forged = new Envelope(good.version(), good.kind(), good.flags(), good.hopLimit(), 0, good.sequence(),
                good.originTime(),
                good.originKey(), good.origin(), null, new byte[] {2}, good.signature());
        assertThat(gate.check(forged)).isEqualTo(Gate.Verdict.BAD_SIGNATURE);
        assertThat(gate.seen(good.id())).isFalse();
        assertThat(gate.check(good)).isEqualTo(Gate.Verdict.FRESH);
    }
}
