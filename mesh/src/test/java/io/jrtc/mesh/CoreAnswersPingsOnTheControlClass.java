package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.Hex;
import io.jrtc.mesh.quality.LinkQuality;
import io.jrtc.mesh.quality.QualityConfig;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The overlay core answers a PING with a PONG echoing it on the control class, ignores a PONG without counting a
 * drop, and the far end's {@link LinkQuality} turns that PONG into its RTT.
 */
class CoreAnswersPingsOnTheControlClass {

    private static final long MS = 1_000_000L;

    @Test
    void aPingComesBackAsAPongAndGivesTheTrackerItsRtt() {
        OverlayCore core = new OverlayCore(OverlayConfig.builder().build(), Identity.generate(), new Ed25519Verifier());
        AgentId remote = Identity.generate().agentId();
        core.linkUp(0, 5, remote, false);
        LinkQuality q = new LinkQuality(QualityConfig.defaults(), 5, core.self(), 0);
        q.handleTimeout(0);
        byte[] ping = q.pollTransmit();
        assertThat(ping).isNotNull();

        core.handleInput(30 * MS, 5, ByteBuffer.wrap(ping));
        Transmit pong = core.nextTransmit();
        assertThat(pong.linkId()).isEqualTo(5);
        assertThat(pong.channel()).isEqualTo(ChannelClass.CONTROL);
        assertThat(Hex.encode(pong.bytes())).isEqualTo("0c" + Hex.encode(ping).substring(2));
        assertThat(core.nextTransmit()).isNull();

        assertThat(q.handleInput(60 * MS, ByteBuffer.wrap(pong.bytes()))).isTrue();
        assertThat(q.snapshot().smoothedRttNanos()).isEqualTo(60 * MS);

        core.handleInput(70 * MS, 5, ByteBuffer.wrap(pong.bytes())); // a PONG reaching the core: ignored
        assertThat(core.nextTransmit()).isNull();
        assertThat(core.stats().dropped()).isEmpty();
    }
}
