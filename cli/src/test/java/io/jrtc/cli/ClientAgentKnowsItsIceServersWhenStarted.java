package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.IceServer;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When {@link ClientAgent#start()} completes, the agent already holds the TURN servers of the {@code registered}
 * reply, so a {@code connect} right after it offers with them. Before the fix the agent took them in a registered
 * listener, which the signaling client calls after completing the future: a relay-only agent that connected at once
 * sometimes offered with no TURN server, hence no candidate, and the remote failed the connection (seen in drill A).
 */
class ClientAgentKnowsItsIceServersWhenStarted {

    @Test
    void theRegisteredRepliesTurnServersAreThereAsSoonAsStartCompletes() throws Exception {
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().bindHost("127.0.0.1").port(0)
                .turnUrls(List.of("turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3479?transport=udp"))
                .turnSecret("s3cret").drainTimeout(Duration.ofSeconds(1)).build());
        server.start().get(20, TimeUnit.SECONDS);
        io.jrtc.peer.PeerConnectionFactory factory = new io.jrtc.peer.PeerConnectionFactory(1);
        try {
            for (int i = 0; i < 40; i++) {
                try (ClientAgent c = new ClientAgent(Loopback.config(server, "client-" + i).relayOnly(true).build(), factory)) {
                    c.start().get(10, TimeUnit.SECONDS);
                    List<IceServer> servers = c.serverIceServers();
                    assertThat(servers).as("attempt %d", i).hasSize(1);
                    assertThat(servers.getFirst().urls()).hasSize(2);
                    assertThat(servers.getFirst().username()).endsWith(":client-" + i);
                }
            }
        } finally {
            factory.close();
            server.abort();
        }
    }
}
