package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.signaling.client.ConnectionState;
import io.jrtc.signaling.client.SignalingMessage;
import io.jrtc.signaling.server.SignalingServer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The signaling server is killed (connections cut, no notice) or drained, and a new one starts on the same port. The
 * echo agent and the client agent register again on their own; the peer connection made before keeps echoing through
 * the outage (media does not go through signaling); and a NEW peer connection set up through the new server echoes.
 */
class EchoAgentReRegistersAfterServerRestart {

    private static final Duration T = Duration.ofSeconds(20);

    @ParameterizedTest(name = "killed={0}")
    @ValueSource(booleans = {true, false})
    void afterARestartTheAgentsReRegisterAndANewConnectionEchoes(boolean kill) throws Exception {
        try (Loopback net = new Loopback()) {
            SignalingServer first = net.startServer(0);
            int port = first.boundPort();
            // listeners go on before start(), so each queue sees every registration, the first one included
            BlockingQueue<SignalingMessage.Registered> echoRegistrations = new LinkedBlockingQueue<>();
            BlockingQueue<SignalingMessage.Registered> clientRegistrations = new LinkedBlockingQueue<>();
            BlockingQueue<ConnectionState> echoStates = new LinkedBlockingQueue<>();
            EchoAgent echo = net.track(new EchoAgent(Loopback.config(first, "echo").build(), net.factory));
            echo.onRegistered(echoRegistrations::add);
            echo.onSignalingStateChange(echoStates::add);
            echo.start().get(10, TimeUnit.SECONDS);
            ClientAgent client = net.track(new ClientAgent(Loopback.config(first, "client").build(), net.factory));
            client.onRegistered(clientRegistrations::add);
            client.start().get(10, TimeUnit.SECONDS);
            assertThat(echoRegistrations.poll(5, TimeUnit.SECONDS)).as("echo's first registration").isNotNull();
            assertThat(clientRegistrations.poll(5, TimeUnit.SECONDS)).as("client's first registration").isNotNull();
            assertThat(echoStates.poll(5, TimeUnit.SECONDS)).isEqualTo(ConnectionState.REGISTERED);

            ClientAgent.Session before = client.connect("echo", T);
            assertThat(before.ping(50, 32, false, T).count()).isEqualTo(50);

            if (kill) {
                first.abort();
            } else {
                first.drain().get(10, TimeUnit.SECONDS);
            }
            assertThat(echoStates.poll(10, TimeUnit.SECONDS)).as("echo noticed the outage").isEqualTo(ConnectionState.RECONNECTING);
            // the server is gone, the connection made through it is not
            assertThat(before.ping(50, 32, true, T).count()).isEqualTo(50);
            assertThat(echo.peers()).containsExactly("client");

            SignalingServer second = net.startServer(port);
            assertThat(echoRegistrations.poll(15, TimeUnit.SECONDS)).as("echo registered again").isNotNull();
            assertThat(clientRegistrations.poll(15, TimeUnit.SECONDS)).as("client registered again").isNotNull();
            assertThat(echo.stats().registrations()).isEqualTo(2);
            assertThat(second.connectedAgents()).isEqualTo(2);
            assertThat(echo.peers()).as("existing peers are kept").containsExactly("client");

            // a new peer connection, negotiated through the new server (the old session is closed with a bye first)
            try (ClientAgent.Session after = client.connect("echo", T)) {
                assertThat(after.peerConnection()).isNotSameAs(before.peerConnection());
                assertThat(after.ping(100, 32, false, T).count()).isEqualTo(100);
                assertThat(after.ping(100, 512, true, T).count()).isEqualTo(100);
            }
            assertThat(echo.stats().peersCreated()).isEqualTo(2);
        }
    }
}
