package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Two PeerConnections in one JVM over real UDP on 127.0.0.1, with signaling done by direct calls: every local
 * candidate of one is added to the other as it is gathered (trickle).
 */
final class LoopbackPair implements AutoCloseable {

    final PeerConnection offerer;
    final PeerConnection answerer;

    LoopbackPair(PeerConnectionFactory factory) {
        this(factory, b -> b);
    }

    LoopbackPair(PeerConnectionFactory factory, UnaryOperator<RtcConfiguration.Builder> tune) {
        this(factory, tune, tune);
    }

    LoopbackPair(PeerConnectionFactory factory, UnaryOperator<RtcConfiguration.Builder> tuneOfferer,
            UnaryOperator<RtcConfiguration.Builder> tuneAnswerer) {
        this(factory.createPeerConnection(tuneOfferer.apply(base()).build()),
                factory.createPeerConnection(tuneAnswerer.apply(base()).build()));
    }

    /** Two existing connections (e.g. from different factories), wired for trickle. */
    LoopbackPair(PeerConnection offerer, PeerConnection answerer) {
        this.offerer = offerer;
        this.answerer = answerer;
        offerer.onIceCandidate(c -> answerer.addIceCandidate(c));
        answerer.onIceCandidate(c -> offerer.addIceCandidate(c));
    }

    static RtcConfiguration.Builder base() {
        return RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress());
    }

    /** Offer/answer; completes when both descriptions are applied on both sides. */
    void negotiate() throws Exception {
        RtcSessionDescription offer = offerer.createOffer().get(5, TimeUnit.SECONDS);
        offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
        answerer.setRemoteDescription(offer).get(5, TimeUnit.SECONDS);
        RtcSessionDescription answer = answerer.createAnswer().get(5, TimeUnit.SECONDS);
        answerer.setLocalDescription(answer).get(5, TimeUnit.SECONDS);
        offerer.setRemoteDescription(answer).get(5, TimeUnit.SECONDS);
    }

    /** The answerer echoes every message on every channel the offerer opens. */
    void answererEchoes() {
        answerer.onDataChannel(ch -> ch.onMessage(m -> {
            if (m.isBinary()) {
                ch.send(m.data().duplicate());
            } else {
                ch.send(m.text());
            }
        }));
    }

    void assertConnected() {
        assertThat(offerer.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
        assertThat(answerer.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
    }

    @Override
    public void close() {
        offerer.close();
        answerer.close();
    }
}
