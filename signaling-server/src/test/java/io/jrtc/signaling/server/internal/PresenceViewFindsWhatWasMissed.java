package io.jrtc.signaling.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.signaling.server.internal.PresenceView.Change;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The presence view's bookkeeping: gaps, stale events around a snapshot, what a snapshot finds, no growth. */
class PresenceViewFindsWhatWasMissed {

    private static final PresenceView.Verdict APPLY = new PresenceView.Verdict(true, false);
    private static final PresenceView.Verdict GAP = new PresenceView.Verdict(true, true);

    @Test
    void consecutiveEventsApplyAndASkippedNumberIsAGap() {
        PresenceView v = new PresenceView();
        assertThat(v.reconcile(0, List.of())).isEmpty(); // a space with no event yet
        assertThat(v.event(true, "a", 1_000)).as("the first number starts from Redis's clock").isEqualTo(APPLY);
        assertThat(v.event(true, "b", 1_001)).isEqualTo(APPLY);
        assertThat(v.event(false, "a", 1_003)).as("1,002 was never received").isEqualTo(GAP);
        assertThat(v.present()).containsExactly("b");
        // a heartbeat putting b back into a Redis that restarted empty: numbered from the new counter (a gap), and
        // still announced (an agent listed while Redis was refilled may lack b)
        assertThat(v.event(true, "b", 5_000)).isEqualTo(GAP);
        assertThat(v.present()).containsExactly("b");
    }

    @Test
    void aSnapshotAnnouncesTheDifferenceOnceAndOlderEventsAreStale() {
        PresenceView v = new PresenceView();
        v.reconcile(10, List.of("a", "b"));
        assertThat(v.present()).containsExactlyInAnyOrder("a", "b");
        // missed: 11 joined c, 12 left a; received: 13 joined d (a gap)
        assertThat(v.event(true, "d", 13)).isEqualTo(GAP);
        v.reading();
        assertThat(v.reconcile(12, List.of("b", "c"))).containsExactlyInAnyOrder(new Change(true, "c"),
                new Change(false, "a"));
        assertThat(v.present()).as("d came after the snapshot and stays").containsExactlyInAnyOrder("b", "c", "d");
        assertThat(v.event(true, "c", 11)).as("in flight when the snapshot was read").isEqualTo(PresenceView.Verdict.STALE);
        assertThat(v.event(false, "a", 12)).isEqualTo(PresenceView.Verdict.STALE);
        assertThat(v.event(false, "b", 14)).isEqualTo(APPLY);
        assertThat(v.reconcile(12, List.of("a"))).as("a snapshot no newer than the last changes nothing").isEmpty();
    }

    @Test
    void aLeaveAppliedWhileASnapshotIsReadIsNotUndoneByIt() {
        PresenceView v = new PresenceView();
        v.reconcile(5, List.of("a"));
        v.reading();
        assertThat(v.event(false, "a", 7)).isEqualTo(GAP); // 6 missed
        // the snapshot was read at 6, before the leave: it still lists a, which must not come back
        assertThat(v.reconcile(6, List.of("a", "x"))).containsExactly(new Change(true, "x"));
        assertThat(v.present()).containsExactly("x");
        assertThat(v.size()).as("the tombstone of a is gone once no snapshot is being read").isEqualTo(1);
    }

    @Test
    void churnWithoutSnapshotsLeavesNothingBehind() {
        PresenceView v = new PresenceView();
        v.reconcile(1, List.of());
        long seq = 2;
        for (int i = 0; i < 10_000; i++) {
            v.event(true, "agent" + i, seq++);
            v.event(false, "agent" + i, seq++);
        }
        assertThat(v.size()).isZero();
        v.reading();
        v.event(true, "y", seq++);
        v.event(false, "y", seq++);
        assertThat(v.size()).as("a tombstone while a snapshot is read").isEqualTo(1);
        v.readFailed();
        assertThat(v.size()).isZero();
    }
}
