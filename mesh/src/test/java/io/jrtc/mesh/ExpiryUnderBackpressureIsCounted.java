package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmuConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every link of an agent reports back-pressure on its reliable channel: broadcasts queue up to the high-water mark,
 * the next one is refused with back-pressure, and the queued copies expire, each counted and reported. When the
 * queues are empty again the agent says it is writable.
 */
class ExpiryUnderBackpressureIsCounted {

    @Test
    void queuedCopiesExpireCountedAndTheCallerIsToldToWait() {
        OverlayConfig cfg = OverlayConfig.builder().degree(4).queue(8, 6, Duration.ofSeconds(2)).build();
        Emulated m = new Emulated(30, cfg, EmuConfig.defaults(71));
        int y = 3;
        OverlayCore core = m.core(y);
        for (long link : m.emu.node(y).linkIds().values()) {
            m.emu.with(y, c -> c.linkBackpressure(m.emu.now(), link, ChannelClass.RELIABLE, true));
        }
        int eager = core.stats().eager();
        assertThat(eager).isEqualTo(core.activeView().size()).isPositive();
        int mark = m.events.size();

        for (int i = 0; i < 6; i++) {
            assertThat(m.emu.broadcast(y, ("queued " + i).getBytes()).status()).isEqualTo(SendResult.Status.ACCEPTED);
        }
        assertThat(m.emu.broadcast(y, "one too many".getBytes()).status()).isEqualTo(SendResult.Status.BACKPRESSURE);
        m.emu.runFor(3 * Emulated.S);

        assertThat(core.stats().dropped(DropReason.EXPIRED)).isEqualTo(6L * eager);
        assertThat(m.eventsOf(OverlayEvent.Dropped.class, mark))
                .hasSize(6 * eager)
                .allSatisfy(r -> assertThat(((OverlayEvent.Dropped) r.event()).reason()).isEqualTo(DropReason.EXPIRED));
        assertThat(m.eventsOf(OverlayEvent.Delivered.class, mark)).isEmpty();
        assertThat(m.eventsOf(OverlayEvent.Writable.class, mark)).singleElement()
                .satisfies(r -> assertThat(r.node()).isEqualTo(y));
        assertThat(m.emu.broadcast(y, "accepted again".getBytes()).status()).isEqualTo(SendResult.Status.ACCEPTED);
    }
}
