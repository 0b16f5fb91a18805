package io.jrtc.signaling.client;

import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server goes away (killed: connections cut without notice; or drained: server_draining and a close
 * frame) and a new one starts on the same port: both clients go RECONNECTING, re-register on their own
 * (onRegistered fires again) and signal each other again.
 */
class ClientReconnectsAndReRegistersAfterServerRestart {

    private final TestServers t = new TestServers();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void afterAKilledServerComesBackClientsReRegister() throws Exception {
        restartScenario(true);
    }

    @Test
    void afterADrainedServerComesBackClientsReRegister() throws Exception {
        restartScenario(false);
    }

    private void restartScenario(boolean kill) throws Exception {
        SignalingServer first = t.start(SignalingServerConfig.builder().drainTimeout(Duration.ofSeconds(5)));
        int port = first.boundPort();
        SignalingClient a = t.client(TestServers.uri(first), "ra");
        SignalingClient b = t.client(TestServers.uri(first), "rb");
        Inbox<SignalingMessage.Registered> aReg = new Inbox<>();
        Inbox<SignalingMessage.Registered> bReg = new Inbox<>();
        Inbox<ConnectionState> aStates = new Inbox<>();
        Inbox<SignalingMessage> atB = new Inbox<>();
        a.onRegistered(aReg).onStateChange(aStates);
        b.onRegistered(bReg).onMessage(atB);
        a.connect().get(10, TimeUnit.SECONDS);
        b.connect().get(10, TimeUnit.SECONDS);
        aReg.next();
        bReg.next();
        assertThat(aStates.next()).isEqualTo(ConnectionState.REGISTERED);

        if (kill) {
            first.abort();
        } else {
            first.drain();
            first.terminationFuture().get(10, TimeUnit.SECONDS);
        }
        assertThat(aStates.next()).isEqualTo(ConnectionState.RECONNECTING);
        // while the server is down, the client keeps trying (CONNECTING <-> RECONNECTING)
        assertThat(aStates.next()).isEqualTo(ConnectionState.CONNECTING);
        assertThat(aStates.next()).isEqualTo(ConnectionState.RECONNECTING);

        SignalingServer second = t.start(SignalingServerConfig.builder().port(port));
        SignalingMessage.Registered again = aReg.next(Duration.ofSeconds(15));
        assertThat(again.agentId()).isEqualTo("ra");
        bReg.next(Duration.ofSeconds(15));
        assertThat(a.state()).isEqualTo(ConnectionState.REGISTERED);
        assertThat(second.connectedAgents()).isEqualTo(2);

        a.sendOffer("rb", "v=0 after restart");
        SignalingMessage.Offer o = atB.next(SignalingMessage.Offer.class, Duration.ofSeconds(10));
        assertThat(o.sdp()).isEqualTo("v=0 after restart");
        assertThat(o.from()).isEqualTo("ra");
    }
}
