package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceServer;
import io.jrtc.ice.IceTransportPolicy;
import io.jrtc.testkit.Coturn;
import io.jrtc.testkit.WritesByDestination;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code iceTransportPolicy: relay} on both PeerConnections, through a real coturn started by the test: only relay
 * candidates are signalled, both selected pairs are relay/relay, every datagram and stream write goes to the TURN
 * server (counted by destination at the edge), and the data channel carries data. Over TURN-UDP, TURN-TCP and
 * TURN-TLS with long-term credentials, and with TURN REST API (ephemeral) credentials. The proof that does not rest
 * on jrtc's own counters, a packet capture, is {@link RelayOnlyTrafficOnTheWireGoesOnlyToTurn}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayOnlyPeerConnectionsThroughCoturn {

    private PeerConnectionFactory factory;
    private Coturn coturn;

    @BeforeAll
    void start() throws Exception {
        factory = new PeerConnectionFactory(2);
        coturn = Coturn.longTerm("peer-relay");
    }

    @AfterAll
    void stop() {
        if (coturn != null) {
            coturn.close();
        }
        if (factory != null) {
            factory.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void relayRelayWithLongTermCredentials(String transport) throws Exception {
        IceServer server = new IceServer(List.of(coturn.url(transport)), Coturn.USER, Coturn.PASSWORD);
        connectThroughRelayAndCheck(server, coturn);
    }

    @Test
    void relayRelayWithRestApiCredentials() throws Exception {
        String secret = "rest-secret-for-tests";
        try (Coturn rest = Coturn.restApi("peer-rest", secret)) {
            String[] cred = Coturn.restCredentials(secret, "agent-7", Instant.now().plusSeconds(600));
            IceServer server = new IceServer(List.of(rest.url("udp")), cred[0], cred[1]);
            connectThroughRelayAndCheck(server, rest);
        }
    }

    private void connectThroughRelayAndCheck(IceServer server, Coturn turn) throws Exception {
        // Every write of each PeerConnection's ICE edge, by destination (the edge's write observer, a test seam).
        WritesByDestination writesOfOfferer = new WritesByDestination();
        WritesByDestination writesOfAnswerer = new WritesByDestination();
        IceConfig.Builder trust = IceConfig.builder().turnTlsTrustedCertificates(turn.certificate());
        IceConfig offererIce = trust.writeObserver(writesOfOfferer::record).build();
        IceConfig answererIce = trust.writeObserver(writesOfAnswerer::record).build();
        List<RtcIceCandidate> signalled = new CopyOnWriteArrayList<>();
        try (LoopbackPair p = new LoopbackPair(factory,
                b -> b.iceTransportPolicy(IceTransportPolicy.RELAY).addIceServer(server).iceTuning(offererIce),
                b -> b.iceTransportPolicy(IceTransportPolicy.RELAY).addIceServer(server).iceTuning(answererIce))) {
            p.offerer.onIceCandidate(c -> {
                signalled.add(c);
                p.answerer.addIceCandidate(c);
            });
            p.answerer.onIceCandidate(c -> {
                signalled.add(c);
                p.offerer.addIceCandidate(c);
            });
            p.answererEchoes();
            DataChannel first = p.offerer.createDataChannel("first");
            p.negotiate();
            ChannelTraffic.opened(p.offerer, first).get(30, TimeUnit.SECONDS);
            JavaToJavaDataChannelScenarios.echoRoundTrip(p.offerer, "relayed", DataChannelInit.DEFAULT, 200, true, 1000);

            // Only relay candidates were ever signalled (the empty one is end-of-candidates).
            assertThat(signalled).isNotEmpty();
            assertThat(signalled.stream().filter(c -> !c.isEndOfCandidates()))
                    .allSatisfy(c -> assertThat(c.candidate()).contains(" typ relay"));
            for (PeerConnection pc : List.of(p.offerer, p.answerer)) {
                RtcStatsReport r = pc.getStats().get(5, TimeUnit.SECONDS);
                RtcStats.CandidatePair pair = r.selectedCandidatePair().orElseThrow();
                RtcStats.IceCandidate local = (RtcStats.IceCandidate) r.stats().get(pair.localCandidateId());
                RtcStats.IceCandidate remote = (RtcStats.IceCandidate) r.stats().get(pair.remoteCandidateId());
                assertThat(local.candidateType()).isEqualTo("relay");
                assertThat(remote.candidateType()).isEqualTo("relay");
                // The proof that nothing went on a non-relay path: every write's destination is the TURN server.
                Set<InetSocketAddress> destinations =
                        (pc == p.offerer ? writesOfOfferer : writesOfAnswerer).snapshot().keySet();
                assertThat(destinations).isNotEmpty().isSubsetOf(Set.of(turn.address(), turn.tlsAddress()));
            }
        }
    }
}
