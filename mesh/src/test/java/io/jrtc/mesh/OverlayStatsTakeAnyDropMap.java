package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link OverlayStats} can be built from any map of drops, an empty {@code Map.of()} included (a regression). */
class OverlayStatsTakeAnyDropMap {

    @Test
    void anEmptyPlainMapMeansNoDrops() {
        OverlayStats s = new OverlayStats(1, 2, 3, 4, Map.of(), 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(s.dropped()).isEmpty();
        assertThat(s.dropped(DropReason.EXPIRED)).isZero();
        OverlayStats t = new OverlayStats(1, 2, 3, 4, Map.of(DropReason.REPLAY, 2L), 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(t.dropped(DropReason.REPLAY)).isEqualTo(2);
    }
}
