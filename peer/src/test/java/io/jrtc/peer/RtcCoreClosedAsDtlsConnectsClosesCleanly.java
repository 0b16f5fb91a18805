package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.dtls.DtlsEndpoint;
import io.jrtc.dtls.DtlsState;
import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connection closed in the instant its DTLS handshake completes: the handshake's last step has run (the endpoint is
 * connected) but the core has not yet taken the {@code Connected} event when the application closes. Closing aborts
 * SCTP first, then takes DTLS's pending events; the {@code Connected} among them must not start the aborted
 * association. It used to: {@code SctpAssociation.connect} threw "association terminated" out of {@code close}, ICE was
 * never closed, and the edge logged an ERROR for a race an application cannot avoid (seen in mesh runs, where links
 * are closed while they come up).
 */
class RtcCoreClosedAsDtlsConnectsClosesCleanly {

    @Test
    void closingBetweenTheLastFlightAndItsEventClosesEverything() {
        NetemConfig link = NetemConfig.perfect().withDelay(Duration.ofMillis(5));
        for (int side = 0; side < 2; side++) {
            RtcPair pair = new RtcPair(90 + side, link, link, null, null);
            RtcPair.Side closing = side == 0 ? pair.a : pair.b;
            List<RuntimeException> thrown = new ArrayList<>();
            boolean[] closed = {false};
            pair.afterContinuations = () -> {
                DtlsEndpoint dtls = closing.core.transport().visibleDtls();
                if (!closed[0] && dtls != null && dtls.state() == DtlsState.CONNECTED
                        && closing.core.dtlsState() != DtlsState.CONNECTED) {
                    closed[0] = true;
                    try {
                        closing.core.close(pair.now(), "closed by the test as DTLS connects");
                    } catch (RuntimeException e) {
                        thrown.add(e);
                    }
                }
            };
            pair.runUntil(() -> closed[0], Duration.ofSeconds(10));
            assertThat(closed[0]).as("%s: closed between the endpoint's Connected and the core's", closing).isTrue();
            assertThat(thrown).as("%s: close threw", closing).isEmpty();
            pair.runFor(Duration.ofSeconds(2));
            assertThat(closing.core.iceClosed()).as("%s: ICE closed", closing).isTrue();
            assertThat(closing.core.connectionState()).isEqualTo(RtcPeerConnectionState.CLOSED);
            assertThat(closing.events(RtcEvent.ConnectionStateChanged.class).stream()
                    .map(RtcEvent.ConnectionStateChanged::state)).doesNotContain(RtcPeerConnectionState.CONNECTED);
        }
    }
}
