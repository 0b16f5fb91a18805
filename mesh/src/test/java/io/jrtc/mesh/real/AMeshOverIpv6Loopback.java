package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshConfig;
import io.jrtc.mesh.MeshMessage;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The mesh on an IPv6-only network: a signaling server on {@code [::1]} and three agents whose connections are bound
 * to {@code ::1} only (no IPv4 address to fall back on). They form a full mesh, a broadcast reaches both others and an
 * acknowledged unicast is acknowledged: with nothing bound to IPv4, every link runs between IPv6 addresses.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AMeshOverIpv6Loopback {

    @Test
    void threeAgentsOnIpv6OnlyFormAMeshAndCarryMessages() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().bindHost("::1").port(0)
                .drainTimeout(Duration.ofSeconds(1)).build());
        List<MeshAgent> agents = new ArrayList<>();
        ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2)) {
            server.start().get(20, TimeUnit.SECONDS);
            URI ws = URI.create("ws://[::1]:" + server.boundPort() + "/ws");
            for (int i = 0; i < 3; i++) {
                MeshAgent a = new MeshAgent(MeshConfig.builder(Identity.generate(), ws).factory(factory).degree(2).seed(i + 1)
                        .rtcTemplate(RtcConfiguration.builder().addBindAddress(v6).build()).build());
                int at = i;
                a.onMessage((MeshMessage m) -> got.add(at + ":" + new String(m.payload(), StandardCharsets.UTF_8)));
                agents.add(a);
                a.start().get(20, TimeUnit.SECONDS);
            }
            RealMesh.await("a full mesh of three over IPv6", Duration.ofSeconds(40),
                    () -> agents.stream().allMatch(a -> a.neighbours().size() == 2));
            RealMesh.broadcastOnceLinked(agents.get(0), "over v6".getBytes(StandardCharsets.UTF_8));
            RealMesh.await("both others get it", Duration.ofSeconds(10),
                    () -> got.contains("1:over v6") && got.contains("2:over v6"));
            Long rtt = agents.get(2).sendWithAck(agents.get(1).id(), "and back".getBytes(StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS);
            assertThat(rtt).isPositive();
            assertThat(got).contains("1:and back");
        } finally {
            agents.forEach(MeshAgent::abort);
            server.abort();
        }
    }
}
