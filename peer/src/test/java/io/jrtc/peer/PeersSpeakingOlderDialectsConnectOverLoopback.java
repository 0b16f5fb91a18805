package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.common.DtlsRole;
import io.jrtc.dtls.HashFunction;
import io.jrtc.ice.IceCandidateType;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceRole;
import io.jrtc.sdp.SctpSdpForm;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.sdp.Setup;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two jrtc peers over real UDP on 127.0.0.1 whose descriptions are rewritten on the way, as a signaling server or a
 * stack of another dialect would write them: the sctpmap draft form (offer and answer), an offer that picks the DTLS
 * role, no trickle at all, and several mixed-case fingerprints at session level with bare LF line ends. Each
 * connection opens a data channel and echoes messages, compared byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeersSpeakingOlderDialectsConnectOverLoopback {

    private PeerConnectionFactory factory;

    @BeforeAll
    void start() {
        factory = new PeerConnectionFactory(2);
    }

    @AfterAll
    void stop() {
        factory.close();
    }

    /** Chromium's pre-2019 data section: {@code DTLS/SCTP 5000} + sctpmap, no max-message-size. */
    static String toSctpmapForm(String sdp) {
        String out = sdp.replace("UDP/DTLS/SCTP webrtc-datachannel", "DTLS/SCTP 5000")
                .replace("a=sctp-port:5000\r\n", "a=sctpmap:5000 webrtc-datachannel 1024\r\n")
                .replaceAll("a=max-message-size:\\d+\r\n", "");
        assertThat(out).contains("m=application 9 DTLS/SCTP 5000").contains("a=sctpmap:5000 webrtc-datachannel 1024");
        return out;
    }

    @Test
    void sctpmapFormOfferIsAnsweredInKindAndBothApplyTheDefault64KiBLimit() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(factory)) {
            pair.answererEchoes();
            DataChannel ch = pair.offerer.createDataChannel("legacy");
            String[] answerSeen = new String[1];
            negotiate(pair, PeersSpeakingOlderDialectsConnectOverLoopback::toSctpmapForm, a -> {
                answerSeen[0] = a;
                return a;
            });
            SessionDescription answer = SessionDescription.parse(answerSeen[0]);
            assertThat(answer.media().get(0).sctpForm()).as("answered in the offerer's form").contains(SctpSdpForm.SCTPMAP);
            assertThat(answer.media().get(0).proto()).isEqualTo("DTLS/SCTP");
            assertThat(answer.media().get(0).maxMessageSize()).as("the offer had none").isEmpty();
            ChannelTraffic.opened(pair.offerer, ch).get(10, TimeUnit.SECONDS);
            echo(pair.offerer, ch, 200, 1000);
            echo(pair.offerer, ch, 4, 65536);
            // Neither side wrote a=max-message-size: RFC 8841 section 6.1's 65,536 bytes apply to both.
            assertThat(sendRefused(pair.offerer, ch, 65537)).isInstanceOf(io.jrtc.sctp.MessageTooLargeException.class)
                    .hasMessageContaining("65536");
            pair.assertConnected();
        }
    }

    @Test
    void sctpmapOfferWithoutBundleOrMidsIsAnsweredWithoutThemAndConnects() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(factory)) {
            pair.answererEchoes();
            DataChannel ch = pair.offerer.createDataChannel("no-mid");
            String[] answerSeen = new String[1];
            negotiate(pair, o -> toSctpmapForm(o).replace("a=group:BUNDLE 0\r\n", "").replace("a=mid:0\r\n", ""), a -> {
                answerSeen[0] = a;
                return a;
            });
            SessionDescription answer = SessionDescription.parse(answerSeen[0]);
            assertThat(answer.media().get(0).mid()).isEmpty();
            assertThat(answer.bundleGroups()).isEmpty();
            assertThat(answer.media().get(0).sctpForm()).contains(SctpSdpForm.SCTPMAP);
            ChannelTraffic.opened(pair.offerer, ch).get(10, TimeUnit.SECONDS);
            echo(pair.offerer, ch, 100, 500);
        }
    }

    /**
     * RFC 8841 section 5.1: each side names the SCTP port it listens on. An offerer on port 5001 (here in the draft
     * form, where the port is the m-line's format) is reached on 5001; the answer keeps naming 5000.
     */
    @Test
    void aRemoteSctpPortOtherThan5000IsUsed() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(factory, b -> b.sctpTuning(io.jrtc.sctp.SctpConfig.builder().localPort(5001).build()),
                b -> b)) {
            pair.answererEchoes();
            DataChannel ch = pair.offerer.createDataChannel("port");
            String[] seen = new String[2];
            negotiate(pair, o -> {
                seen[0] = o;
                return o.replace("UDP/DTLS/SCTP webrtc-datachannel", "DTLS/SCTP 5001")
                        .replace("a=sctp-port:5001\r\n", "a=sctpmap:5001 webrtc-datachannel 1024\r\n");
            }, a -> {
                seen[1] = a;
                return a;
            });
            assertThat(seen[0]).as("the offer names the offerer's own port").contains("a=sctp-port:5001\r\n");
            assertThat(seen[1]).as("the answer names the answerer's").contains("DTLS/SCTP 5000").contains("a=sctpmap:5000 ");
            ChannelTraffic.opened(pair.offerer, ch).get(10, TimeUnit.SECONDS);
            echo(pair.offerer, ch, 100, 500);
            pair.assertConnected();
        }
    }

    /** Both sides on ports other than 5000, in the RFC 8841 form: each sends to the port the other named. */
    @Test
    void bothSidesOnOtherPortsConnectInTheCurrentForm() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(factory, b -> b.sctpTuning(io.jrtc.sctp.SctpConfig.builder().localPort(5001).build()),
                b -> b.sctpTuning(io.jrtc.sctp.SctpConfig.builder().localPort(6000).build()))) {
            pair.answererEchoes();
            DataChannel ch = pair.offerer.createDataChannel("ports");
            String[] answer = new String[1];
            negotiate(pair, o -> o, a -> {
                answer[0] = a;
                return a;
            });
            assertThat(answer[0]).contains("a=sctp-port:6000\r\n");
            ChannelTraffic.opened(pair.offerer, ch).get(10, TimeUnit.SECONDS);
            echo(pair.offerer, ch, 100, 500);
            pair.assertConnected();
        }
    }

    /** Once the association runs, a re-offer that names another SCTP port is refused and changes nothing. */
    @Test
    void aReOfferThatChangesTheSctpPortIsRefusedAndTheAssociationKeepsWorking() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(factory)) {
            pair.answererEchoes();
            DataChannel ch = pair.offerer.createDataChannel("port");
            pair.negotiate();
            ChannelTraffic.opened(pair.offerer, ch).get(10, TimeUnit.SECONDS);
            RtcSessionDescription offer = pair.offerer.createOffer().get(5, TimeUnit.SECONDS);
            String other = offer.sdp().replace("a=sctp-port:5000", "a=sctp-port:5001");
            assertThat(other).contains("a=sctp-port:5001");
            assertThatThrownBy(() -> pair.answerer.setRemoteDescription(RtcSessionDescription.offer(other)).get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(PeerConnectionException.InvalidModification.class)
                    .hasMessageContaining("remote SCTP port changed to 5001");
            assertThat(pair.answerer.signalingState()).isEqualTo(RtcSignalingState.STABLE);
            echo(pair.offerer, ch, 20, 500);
        }
    }

    @Test
    void ipv6CandidatesConnect() throws Exception {
        java.net.InetAddress v6 = java.net.InetAddress.getByName("::1");
        PeerConnection offerer = factory.createPeerConnection(RtcConfiguration.builder().addBindAddress(v6).build());
        PeerConnection answerer = factory.createPeerConnection(RtcConfiguration.builder().addBindAddress(v6).build());
        try (LoopbackPair pair = new LoopbackPair(offerer, answerer)) {
            pair.answererEchoes();
            DataChannel ch = offerer.createDataChannel("v6");
            pair.negotiate();
            ChannelTraffic.opened(offerer, ch).get(10, TimeUnit.SECONDS);
            echo(offerer, ch, 100, 500);
            assertThat(offerer.selectedCandidatePair().orElseThrow().remote().address()).isIn("::1", "0:0:0:0:0:0:0:1");
        }
    }

    @ParameterizedTest(name = "offer says {0}")
    @CsvSource({"active, PASSIVE, SERVER, CLIENT", "passive, ACTIVE, CLIENT, SERVER"})
    void anOfferThatPicksTheDtlsRoleIsAnsweredWithTheOtherOne(String offered, Setup answered, DtlsRole answererRole,
            DtlsRole offererRole) throws Exception {
        try (LoopbackPair pair = new LoopbackPair(factory)) {
            pair.answererEchoes();
            DataChannel ch = pair.offerer.createDataChannel("setup-" + offered);
            String[] answerSeen = new String[1];
            negotiate(pair, o -> o.replace("a=setup:actpass", "a=setup:" + offered), a -> {
                answerSeen[0] = a;
                return a;
            });
            SessionDescription answer = SessionDescription.parse(answerSeen[0]);
            assertThat(answer.setupFor(answer.media().get(0))).contains(answered);
            ChannelTraffic.opened(pair.offerer, ch).get(10, TimeUnit.SECONDS);
            assertThat(pair.answerer.dtlsRole()).isEqualTo(answererRole);
            assertThat(pair.offerer.dtlsRole()).isEqualTo(offererRole);
            echo(pair.offerer, ch, 100, 500);
        }
    }

    @Test
    void nonTricklePeersConnectOnTheCandidatesInTheirDescriptions() throws Exception {
        PeerConnection offerer = factory.createPeerConnection(LoopbackPair.base().build());
        PeerConnection answerer = factory.createPeerConnection(LoopbackPair.base().build());
        try (LoopbackPair pair = new LoopbackPair(offerer, answerer)) {
            List<RtcIceCandidate> trickled = new CopyOnWriteArrayList<>();
            offerer.onIceCandidate(trickled::add);   // kept, never relayed: neither side trickles
            answerer.onIceCandidate(trickled::add);
            pair.answererEchoes();
            DataChannel ch = offerer.createDataChannel("non-trickle");
            CompletableFuture<Void> offererGathered = gathered(offerer);
            offerer.setLocalDescription(offerer.createOffer().get(5, TimeUnit.SECONDS)).get(5, TimeUnit.SECONDS);
            offererGathered.get(10, TimeUnit.SECONDS);
            String offer = withoutTrickle(offerer.localDescription().orElseThrow().sdp());
            assertThat(offer).contains("a=candidate:");
            CompletableFuture<Void> answererGathered = gathered(answerer);
            answerer.setRemoteDescription(RtcSessionDescription.offer(offer)).get(5, TimeUnit.SECONDS);
            assertThat(answerer.canTrickleIceCandidates()).isFalse();
            answerer.setLocalDescription(answerer.createAnswer().get(5, TimeUnit.SECONDS)).get(5, TimeUnit.SECONDS);
            answererGathered.get(10, TimeUnit.SECONDS);
            String answer = withoutTrickle(answerer.localDescription().orElseThrow().sdp());
            assertThat(answer).contains("a=candidate:");
            offerer.setRemoteDescription(RtcSessionDescription.answer(answer)).get(5, TimeUnit.SECONDS);
            assertThat(offerer.canTrickleIceCandidates()).isFalse();

            ChannelTraffic.opened(offerer, ch).get(10, TimeUnit.SECONDS);
            echo(offerer, ch, 100, 500);
            assertThat(trickled).as("candidates were gathered, and only the descriptions carried them").isNotEmpty();
            assertThat(offerer.selectedCandidatePair().orElseThrow().remote().type())
                    .as("the offerer paired with a candidate from the answer's SDP").isEqualTo(IceCandidateType.HOST);
            assertThat(offerer.iceRole()).isEqualTo(IceRole.CONTROLLING);
            pair.assertConnected();
        }
    }

    /**
     * Pion 3.1's form: no {@code a=ice-options:trickle} and no candidate in the offer, every candidate trickled after
     * it. Here they arrive only once the answerer has finished gathering, which used to fail ICE at once (an empty
     * candidate list taken as complete).
     */
    @Test
    void anOfferWithoutTrickleOptionAndWithoutCandidatesStillTakesTrickledOnes() throws Exception {
        PeerConnection offerer = factory.createPeerConnection(LoopbackPair.base().build());
        PeerConnection answerer = factory.createPeerConnection(LoopbackPair.base().build());
        try (LoopbackPair pair = new LoopbackPair(offerer, answerer)) {
            List<RtcIceCandidate> held = new CopyOnWriteArrayList<>();
            offerer.onIceCandidate(held::add);
            answerer.onIceCandidate(offerer::addIceCandidate);
            pair.answererEchoes();
            DataChannel ch = offerer.createDataChannel("pion-form");
            CompletableFuture<Void> offererGathered = gathered(offerer);
            RtcSessionDescription o = offerer.createOffer().get(5, TimeUnit.SECONDS);
            offerer.setLocalDescription(o).get(5, TimeUnit.SECONDS);
            offererGathered.get(10, TimeUnit.SECONDS);
            String offer = withoutTrickle(o.sdp());
            assertThat(offer).doesNotContain("a=candidate:").doesNotContain("a=ice-options:trickle");
            CompletableFuture<Void> answererGathered = gathered(answerer);
            answerer.setRemoteDescription(RtcSessionDescription.offer(offer)).get(5, TimeUnit.SECONDS);
            RtcSessionDescription a = answerer.createAnswer().get(5, TimeUnit.SECONDS);
            answerer.setLocalDescription(a).get(5, TimeUnit.SECONDS);
            answererGathered.get(10, TimeUnit.SECONDS);
            offerer.setRemoteDescription(a).get(5, TimeUnit.SECONDS);
            assertThat(answerer.connectionState()).isNotEqualTo(RtcPeerConnectionState.FAILED);
            assertThat(held).isNotEmpty();
            for (RtcIceCandidate c : held) {
                answerer.addIceCandidate(c).get(5, TimeUnit.SECONDS);
            }
            ChannelTraffic.opened(offerer, ch).get(10, TimeUnit.SECONDS);
            echo(offerer, ch, 50, 500);
            pair.assertConnected();
        }
    }

    @Test
    void severalMixedCaseFingerprintsAtSessionLevelWithBareLfConnect() throws Exception {
        DtlsCertificate cert = DtlsCertificate.generate();
        PeerConnection offerer = factory.createPeerConnection(LoopbackPair.base().certificate(cert).build());
        PeerConnection answerer = factory.createPeerConnection(LoopbackPair.base().build());
        try (LoopbackPair pair = new LoopbackPair(offerer, answerer)) {
            pair.answererEchoes();
            DataChannel ch = offerer.createDataChannel("fingerprints");
            String sha256 = cert.fingerprint(HashFunction.SHA_256).toSdpValue();
            String sha512 = cert.fingerprint(HashFunction.SHA_512).toSdpValue();
            String[] offerSeen = new String[1];
            negotiate(pair, o -> {
                String moved = o.replace("a=fingerprint:" + sha256 + "\r\n", "")
                        .replace("t=0 0\r\n", "t=0 0\r\na=fingerprint:sha-1 0a:1b:2c:3d:4e:5f:60:71:82:93:a4:b5:c6:d7:e8:f9:0a:1b:2c:3d\r\n"
                                + "a=fingerprint:" + sha256.toLowerCase(Locale.ROOT) + "\r\n"
                                + "a=fingerprint:" + sha512.replace("sha-512", "SHA-512") + "\r\n")
                        .replace("\r\n", "\n");
                offerSeen[0] = moved;
                return moved;
            }, a -> a.replace("\r\n", "\n"));
            SessionDescription offer = SessionDescription.parse(offerSeen[0]);
            assertThat(offer.media().get(0).fingerprints()).as("none left at media level").isEmpty();
            assertThat(offer.fingerprints()).hasSize(3);
            assertThat(offerSeen[0]).doesNotContain("\r");
            ChannelTraffic.opened(offerer, ch).get(10, TimeUnit.SECONDS);
            echo(offerer, ch, 100, 500);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void negotiate(LoopbackPair pair, UnaryOperator<String> mungeOffer, UnaryOperator<String> mungeAnswer)
            throws Exception {
        RtcSessionDescription offer = pair.offerer.createOffer().get(5, TimeUnit.SECONDS);
        pair.offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
        pair.answerer.setRemoteDescription(RtcSessionDescription.offer(mungeOffer.apply(offer.sdp()))).get(5, TimeUnit.SECONDS);
        RtcSessionDescription answer = pair.answerer.createAnswer().get(5, TimeUnit.SECONDS);
        pair.answerer.setLocalDescription(answer).get(5, TimeUnit.SECONDS);
        pair.offerer.setRemoteDescription(RtcSessionDescription.answer(mungeAnswer.apply(answer.sdp()))).get(5, TimeUnit.SECONDS);
    }

    private static String withoutTrickle(String sdp) {
        return sdp.replace("a=ice-options:trickle\r\n", "").replace("a=end-of-candidates\r\n", "");
    }

    private static CompletableFuture<Void> gathered(PeerConnection pc) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pc.onIceGatheringStateChange(s -> {
            if (s == IceGatheringState.COMPLETE) {
                f.complete(null);
            }
        });
        return f;
    }

    /** Sends {@code count} binary messages of {@code size} bytes; every echo must come back equal, in order. */
    private static void echo(PeerConnection pc, DataChannel ch, int count, int size) throws Exception {
        ChannelTraffic.echoBinary(pc, ch, count, i -> size, java.time.Duration.ofSeconds(20),
                i -> String.format("echo #%d of %d bytes", i, size));
    }

    private static Throwable sendRefused(PeerConnection pc, DataChannel ch, int size) throws Exception {
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        pc.execute(() -> {
            try {
                ch.send(ByteBuffer.wrap(new byte[size]));
                refused.complete(null);
            } catch (RuntimeException e) {
                refused.complete(e);
            }
        });
        return refused.get(5, TimeUnit.SECONDS);
    }
}
