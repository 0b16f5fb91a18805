package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.SendResult;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The signaling server crashes (its connections cut, nothing said) under a formed mesh of four real agents, and comes
 * back on the same port a while later. Meanwhile the mesh needs no signaling: its links stay up, a broadcast reaches
 * every agent and an acknowledged unicast is acknowledged. When the server is back, every agent registers again
 * (its client reconnects on its own), and a fifth agent that starts then joins the mesh through the presence list
 * and is heard by all. No link and no neighbour went down before it came.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TheMeshCarriesOnWhileSignalingIsDown {

    @Test
    void linksCarryWhileSignalingIsDownAndAgentsRegisterAgainWhenItIsBack() throws Exception {
        SignalingServer again = null;
        try (RealMesh mesh = new RealMesh()) {
            List<MeshAgent> agents = new ArrayList<>();
            List<ConcurrentLinkedQueue<MeshEvent>> events = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                MeshAgent a = mesh.start(mesh.config(Identity.generate(), i).degree(3).build());
                ConcurrentLinkedQueue<MeshEvent> q = new ConcurrentLinkedQueue<>();
                a.onEvent(q::add);
                agents.add(a);
                events.add(q);
            }
            RealMesh.await("a full mesh of four", Duration.ofSeconds(40),
                    () -> agents.stream().allMatch(a -> a.neighbours().size() == 3));
            events.forEach(ConcurrentLinkedQueue::clear);

            int port = mesh.server.boundPort();
            mesh.server.abort();
            RealMesh.await("every agent's signaling connection is gone", Duration.ofSeconds(10),
                    () -> mesh.server.connectedAgents() == 0);

            byte[] during = "while signaling is down".getBytes(StandardCharsets.UTF_8);
            assertThat(agents.get(0).broadcast(during).status()).isEqualTo(SendResult.Status.ACCEPTED);
            RealMesh.await("the broadcast reaches every other agent", Duration.ofSeconds(10),
                    () -> mesh.delivered(1, during) && mesh.delivered(2, during) && mesh.delivered(3, during));
            Long rtt = agents.get(1).sendWithAck(agents.get(3).id(), "acknowledge me".getBytes(StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS);
            assertThat(rtt).as("acknowledged, round trip in ns").isPositive();

            again = new SignalingServer(SignalingServerConfig.builder().bindHost("127.0.0.1").port(port)
                    .rateLimit(2000, 4000).drainTimeout(Duration.ofSeconds(1)).build());
            again.start().get(20, TimeUnit.SECONDS);
            SignalingServer back = again;
            RealMesh.await("every agent registered again", Duration.ofSeconds(40), () -> back.connectedAgents() == 4
                    && java.util.stream.IntStream.range(0, 4).allMatch(i -> mesh.audit(i, "agent.registered").size() == 2));

            for (int i = 0; i < 4; i++) {
                assertThat(events.get(i)).as("agent %d lost no link and no neighbour while signaling was away", i)
                        .noneMatch(e -> e instanceof MeshEvent.LinkDown || e instanceof MeshEvent.NeighbourDown);
                assertThat(agents.get(i).neighbours()).as("agent %d", i).hasSize(3);
            }

            MeshAgent late = mesh.start(mesh.config(Identity.generate(), 4).degree(3).build());
            RealMesh.await("the late agent links", Duration.ofSeconds(40), () -> !late.neighbours().isEmpty());
            byte[] after = "from the agent that came after".getBytes(StandardCharsets.UTF_8);
            RealMesh.broadcastOnceLinked(late, after);
            RealMesh.await("the late agent's broadcast reaches all four", Duration.ofSeconds(20),
                    () -> mesh.delivered(0, after) && mesh.delivered(1, after) && mesh.delivered(2, after) && mesh.delivered(3, after));
        } finally {
            if (again != null) {
                again.abort();
            }
        }
    }
}
