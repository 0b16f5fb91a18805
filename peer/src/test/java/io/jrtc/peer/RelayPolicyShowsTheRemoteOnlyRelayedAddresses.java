package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceServer;
import io.jrtc.ice.IceTransportPolicy;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.testkit.Coturn;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With {@code iceTransportPolicy: relay}, nothing a PeerConnection hands to the application for the remote side
 * names a host or server-reflexive address: every local description (offer, answer, the gathered descriptions, an ICE
 * restart's offer and answer: {@code c=}, {@code o=}, {@code a=candidate}, {@code a=rtcp}, any dotted quad at all),
 * every {@code onIceCandidate} event, and every local-candidate entry of {@code getStats}. The agents bind only
 * 127.0.0.2; coturn listens and relays on 127.0.0.1, and also serves as their STUN server; so every IP found must be
 * coturn's relayed address (ports in its relay range) or the placeholder 0.0.0.0. Data, audio and video sections are
 * negotiated, so the descriptions carry every kind of m-section. The control: the same collection under policy
 * {@code all} finds the host address 127.0.0.2, so the collector does see what relay-only must hide.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayPolicyShowsTheRemoteOnlyRelayedAddresses {

    private static final String HOST = "127.0.0.2";
    private static final Pattern IPV4 = Pattern.compile("(?<![\\d.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?![\\d.])");

    private PeerConnectionFactory factory;
    private Coturn coturn;

    @BeforeAll
    void start() throws Exception {
        factory = new PeerConnectionFactory(2);
        coturn = Coturn.longTerm("peer-privacy");
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

    /** Everything of one connection pair that an application would send to the remote, as text. */
    private static final class Exposed {
        final List<String> descriptions = new CopyOnWriteArrayList<>();
        final List<String> candidates = new CopyOnWriteArrayList<>();
        final List<RtcStats.IceCandidate> statsCandidates = new ArrayList<>();
    }

    @ParameterizedTest(name = "TURN over {0}")
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void everyAddressSentToTheRemoteIsTheRelayedOne(String transport) throws Exception {
        Exposed e = connectAndCollect(transport, IceTransportPolicy.RELAY);
        String relayed = coturn.address().getAddress().getHostAddress();

        assertThat(e.candidates).as("onIceCandidate events").isNotEmpty();
        for (String c : e.candidates) {
            String[] f = c.split(" ");
            assertThat(f[7]).as("type in %s", c).isEqualTo("relay");
            assertThat(f[4]).as("address in %s", c).isEqualTo(relayed);
            assertThat(Integer.parseInt(f[5])).as("port in %s", c).isBetween(coturn.minRelayPort(), coturn.maxRelayPort());
            assertThat(c).as("related address in %s", c).contains(" raddr 0.0.0.0 rport 0");
        }
        assertThat(e.descriptions).as("local descriptions").hasSizeGreaterThanOrEqualTo(8);
        for (String sdp : e.descriptions) {
            assertThat(sdp).doesNotContain(HOST);
            assertThat(addressesInSdp(sdp)).as("addresses in\n%s", sdp).isSubsetOf(relayed, "0.0.0.0");
            for (String line : sdp.split("\r\n")) {
                if (line.startsWith("a=candidate:")) {
                    assertThat(line).contains(" typ relay ");
                }
                if (line.startsWith("c=")) {
                    assertThat(line).isEqualTo("c=IN IP4 0.0.0.0");
                }
            }
        }
        assertThat(e.descriptions).as("gathered descriptions carry the relay candidates")
                .anyMatch(sdp -> sdp.contains(" typ relay "));
        assertThat(e.statsCandidates).as("local-candidate stats").isNotEmpty().allSatisfy(s -> {
            assertThat(s.candidateType()).isEqualTo("relay");
            assertThat(s.address()).isEqualTo(relayed);
            assertThat(s.relatedAddress()).isIn(null, "0.0.0.0");
        });
    }

    @Test
    void underPolicyAllTheSameCollectionShowsTheHostAddress() throws Exception {
        Exposed e = connectAndCollect("udp", IceTransportPolicy.ALL);
        assertThat(e.candidates).anyMatch(c -> c.contains(" " + HOST + " ") && c.contains(" typ host"));
        assertThat(e.descriptions).anyMatch(sdp -> addressesInSdp(sdp).contains(HOST));
        assertThat(e.statsCandidates).anyMatch(s -> s.address().equals(HOST));
    }

    /**
     * Offer/answer with a data channel, audio and video between two PeerConnections bound to {@link #HOST}, then an
     * ICE restart; collects every description, candidate and local-candidate stats entry of both sides.
     */
    private Exposed connectAndCollect(String transport, IceTransportPolicy policy) throws Exception {
        Exposed e = new Exposed();
        IceConfig trust = IceConfig.builder().turnTlsTrustedCertificates(coturn.certificate()).build();
        RtcConfiguration config = RtcConfiguration.builder().addBindAddress(InetAddress.getByName(HOST))
                .iceTransportPolicy(policy)
                .addIceServer(new IceServer(List.of(coturn.url(transport)), Coturn.USER, Coturn.PASSWORD))
                .addIceServer(new IceServer(List.of("stun:" + coturn.address().getAddress().getHostAddress() + ":" + coturn.port()), null, null))
                .iceTuning(trust).build();
        PeerConnection offerer = factory.createPeerConnection(config);
        PeerConnection answerer = factory.createPeerConnection(config);
        try {
            offerer.onIceCandidate(c -> {
                record(e, c);
                answerer.addIceCandidate(c);
            });
            answerer.onIceCandidate(c -> {
                record(e, c);
                offerer.addIceCandidate(c);
            });
            DataChannel first = offerer.createDataChannel("first");
            offerer.addTrack(MediaKind.AUDIO);
            offerer.addTrack(MediaKind.VIDEO);
            answerer.addTrack(MediaKind.AUDIO);
            negotiate(offerer, answerer, e);
            ChannelTraffic.opened(offerer, first).get(30, TimeUnit.SECONDS);

            offerer.restartIce();
            negotiate(offerer, answerer, e);
            for (PeerConnection pc : List.of(offerer, answerer)) {
                RtcStatsReport r = pc.getStats().get(5, TimeUnit.SECONDS);
                for (RtcStats.IceCandidate c : r.all(RtcStats.IceCandidate.class)) {
                    if (c.local()) {
                        e.statsCandidates.add(c);
                    }
                }
                assertThat(r.selectedCandidatePair()).as("a selected pair").isPresent();
            }
        } finally {
            offerer.close();
            answerer.close();
        }
        return e;
    }

    private static void record(Exposed e, RtcIceCandidate c) {
        if (!c.isEndOfCandidates()) {
            e.candidates.add(c.candidate().startsWith("candidate:") ? c.candidate() : "candidate:" + c.candidate());
        }
    }

    /** Offer/answer; each side's created and (once gathering completed) gathered description is collected. */
    private static void negotiate(PeerConnection offerer, PeerConnection answerer, Exposed e) throws Exception {
        CompletableFuture<Void> offererGathered = gathered(offerer);
        CompletableFuture<Void> answererGathered = gathered(answerer);
        RtcSessionDescription offer = offerer.createOffer().get(5, TimeUnit.SECONDS);
        e.descriptions.add(offer.sdp());
        offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
        answerer.setRemoteDescription(offer).get(5, TimeUnit.SECONDS);
        RtcSessionDescription answer = answerer.createAnswer().get(5, TimeUnit.SECONDS);
        e.descriptions.add(answer.sdp());
        answerer.setLocalDescription(answer).get(5, TimeUnit.SECONDS);
        offerer.setRemoteDescription(answer).get(5, TimeUnit.SECONDS);
        offererGathered.get(20, TimeUnit.SECONDS);
        answererGathered.get(20, TimeUnit.SECONDS);
        e.descriptions.add(offerer.localDescription().orElseThrow().sdp());
        e.descriptions.add(answerer.localDescription().orElseThrow().sdp());
    }

    /** Completes when {@code pc}'s gathering state next becomes (or, after the first gathering, is) complete. */
    private static CompletableFuture<Void> gathered(PeerConnection pc) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pc.onIceGatheringStateChange(s -> {
            if (s == IceGatheringState.COMPLETE) {
                f.complete(null);
            }
        });
        return f;
    }

    /**
     * Every IP in an SDP: each dotted quad anywhere, and the address fields of {@code c=}, {@code o=},
     * {@code a=rtcp:} and {@code a=candidate:} lines (IPv6 too).
     */
    static Set<String> addressesInSdp(String sdp) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = IPV4.matcher(sdp);
        while (m.find()) {
            out.add(m.group(1));
        }
        for (String line : sdp.split("\r\n")) {
            String[] f = line.split(" ");
            if (line.startsWith("c=") || line.startsWith("o=") || line.startsWith("a=rtcp:")) {
                out.add(f[f.length - 1]);
            } else if (line.startsWith("a=candidate:") && f.length > 5) {
                out.add(f[4]);
                for (int i = 0; i + 1 < f.length; i++) {
                    if (f[i].equals("raddr")) {
                        out.add(f[i + 1]);
                    }
                }
            }
        }
        return out;
    }
}
