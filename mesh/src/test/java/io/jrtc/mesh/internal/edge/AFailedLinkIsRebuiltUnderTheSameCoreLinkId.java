package io.jrtc.mesh.internal.edge;

import static io.jrtc.mesh.internal.edge.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.LinkRecovery;
import io.jrtc.mesh.MeshConfig;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.MeshMessage;
import io.jrtc.mesh.SendResult;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Repair over real PeerConnections: two edges link; the opener's connection is reported failed (injected on its agent
 * loop: nothing here can cut a loopback path). Its recovery restarts ICE (an offer with new credentials, answered on
 * the same connection at the remote), which does not bring a connection that never left CONNECTED "back", so after the
 * restart timeout and the backoff it rebuilds: a new PeerConnection under the same core link id, recognised at the
 * remote as a rebuild (same certificate, new session). Neither overlay sees its neighbour go, and a broadcast crosses
 * the rebuilt link.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AFailedLinkIsRebuiltUnderTheSameCoreLinkId {

    private record Audit(String kind, Map<String, String> fields) {
    }

    @Test
    void restartThenRebuildKeepsTheNeighbour() throws Exception {
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().bindHost("127.0.0.1").port(0)
                .drainTimeout(Duration.ofSeconds(1)).build());
        server.start().orTimeout(20, TimeUnit.SECONDS).join();
        PeerConnectionFactory factory = new PeerConnectionFactory(2);
        LinkRecovery.Config fast = new LinkRecovery.Config(LinkRecovery.Strategy.DIRECT_THEN_RELAY, 5_000_000_000L,
                10_000_000_000L, 1_000_000_000L, 200_000_000L, 30_000_000_000L, 0.25, 5, 500_000_000L, 10_000_000L);
        List<MeshEdge> edges = new ArrayList<>();
        List<ConcurrentLinkedQueue<Audit>> audits = new ArrayList<>();
        List<ConcurrentLinkedQueue<MeshEvent>> events = new ArrayList<>();
        ConcurrentLinkedQueue<MeshMessage> delivered = new ConcurrentLinkedQueue<>();
        try {
            for (int i = 0; i < 2; i++) {
                ConcurrentLinkedQueue<Audit> log = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<MeshEvent> ev = new ConcurrentLinkedQueue<>();
                MeshEdge e = new MeshEdge(MeshConfig.builder(Identity.generate(),
                                URI.create("ws://127.0.0.1:" + server.boundPort() + "/ws"))
                        .factory(factory).seed(i + 1).degree(2).recovery(fast)
                        .audit((k, f) -> log.add(new Audit(k, Map.copyOf(f))))
                        .rtcTemplate(RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress()).build())
                        .build());
                e.onEvent(ev::add);
                if (i == 1) {
                    e.onMessage(delivered::add);
                }
                edges.add(e);
                audits.add(log);
                events.add(ev);
                e.start().get(20, TimeUnit.SECONDS);
            }
            MeshEdge a = edges.get(0);
            MeshEdge b = edges.get(1);
            await("linked", () -> a.neighbours().contains(b.self()) && b.neighbours().contains(a.self()));
            // the opener repairs: inject the failure there
            MeshEdge opener = a.call(() -> a.links.byAgent(b.self()).offerer) ? a : b;
            MeshEdge other = opener == a ? b : a;
            AgentId remote = other.self();
            long linkId = opener.call(() -> opener.links.byAgent(remote).id);
            int o = edges.indexOf(opener);
            int r = edges.indexOf(other);
            events.forEach(ConcurrentLinkedQueue::clear);
            opener.call(() -> {
                opener.connectionFailed(opener.links.byAgent(remote));
                return null;
            });

            await("rebuilt and in use again", () -> audits.get(o).stream().anyMatch(x -> x.kind().equals("link.recovery")
                    && "use".equals(x.fields().get("action"))));
            List<String> actions = audits.get(o).stream().filter(x -> x.kind().equals("link.recovery"))
                    .map(x -> x.fields().get("action") + "/" + x.fields().get("attempt")).toList();
            System.out.println("recovery at the opener: " + actions);
            assertThat(actions).startsWith("restart_ice/0", "wait/0", "connect/1").endsWith("use/0");
            await("both sides report the rebuilt link up", () ->
                    audits.get(o).stream().anyMatch(x -> x.kind().equals("link.up") && "true".equals(x.fields().get("rebuilt")))
                    && audits.get(r).stream().anyMatch(x -> x.kind().equals("link.up")
                            && "true".equals(x.fields().get("rebuilt"))));
            assertThat(opener.call(() -> opener.links.byAgent(remote).id)).as("the core's link id").isEqualTo(linkId);
            assertThat(opener.call(() -> opener.links.byAgent(remote).state)).isEqualTo(EdgeLink.State.UP);
            assertThat(opener.neighbours()).containsExactly(remote);
            assertThat(other.neighbours()).containsExactly(opener.self());
            for (ConcurrentLinkedQueue<MeshEvent> ev : events) {
                assertThat(ev).noneMatch(x -> x instanceof MeshEvent.NeighbourDown);
            }
            assertThat(events.get(o)).anyMatch(x -> x instanceof MeshEvent.LinkRecovered lr
                    && lr.kind() == LinkRecovery.Kind.RESTART_ICE);

            byte[] payload = {7, 7, 7};
            SendResult sent = a.broadcast(payload, io.jrtc.mesh.Delivery.RELIABLE);
            assertThat(sent.status()).isEqualTo(SendResult.Status.ACCEPTED);
            await("the broadcast crosses the rebuilt link", () -> delivered.stream()
                    .anyMatch(m -> m.origin().equals(a.self()) && m.sequence() == sent.sequence()));
        } finally {
            edges.forEach(e -> e.close(false));
            server.abort();
            factory.close();
        }
    }
}
