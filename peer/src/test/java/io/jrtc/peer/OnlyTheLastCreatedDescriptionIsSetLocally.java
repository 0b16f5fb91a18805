package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.datachannel.DataChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * W3C {@code setLocalDescription}: an offer or answer is accepted only if it is the text {@code createOffer} or
 * {@code createAnswer} returned last; the same description may be set again while it is pending. Negotiation keeps a
 * single parsed tree for "the last created" and "the local description" once they are the same text (idle heap),
 * so this checks that the comparison still refuses an older or edited description, accepts the last one twice, and
 * that the connection then works, through a re-offer as well. Two jrtc peers over UDP on 127.0.0.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlyTheLastCreatedDescriptionIsSetLocally {

    private PeerConnectionFactory factory;

    @BeforeAll
    void start() {
        factory = new PeerConnectionFactory(2);
    }

    @AfterAll
    void stop() {
        factory.close();
    }

    @Test
    void anOlderOrEditedDescriptionIsRefusedAndTheLastOneIsAcceptedAgain() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(factory)) {
            pair.answererEchoes();
            DataChannel ch = pair.offerer.createDataChannel("sld");
            RtcSessionDescription older = pair.offerer.createOffer().get(5, TimeUnit.SECONDS);
            RtcSessionDescription offer = pair.offerer.createOffer().get(5, TimeUnit.SECONDS);
            assertThat(offer.sdp()).isNotEqualTo(older.sdp()); // the o= line's session version moved on

            assertRefused(pair.offerer, older, "the local offer must be the one createOffer returned");
            assertThat(pair.offerer.signalingState()).isEqualTo(RtcSignalingState.STABLE);
            pair.offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
            assertThat(pair.offerer.signalingState()).isEqualTo(RtcSignalingState.HAVE_LOCAL_OFFER);
            pair.offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS); // the same one again: accepted
            assertThat(pair.offerer.signalingState()).isEqualTo(RtcSignalingState.HAVE_LOCAL_OFFER);
            assertRefused(pair.offerer, edited(offer), "the local offer must be the one createOffer returned");
            assertThat(pair.offerer.signalingState()).isEqualTo(RtcSignalingState.HAVE_LOCAL_OFFER);

            pair.answerer.setRemoteDescription(offer).get(5, TimeUnit.SECONDS);
            RtcSessionDescription answer = pair.answerer.createAnswer().get(5, TimeUnit.SECONDS);
            assertRefused(pair.answerer, edited(answer), "the local answer must be the one createAnswer returned");
            assertThat(pair.answerer.signalingState()).isEqualTo(RtcSignalingState.HAVE_REMOTE_OFFER);
            pair.answerer.setLocalDescription(answer).get(5, TimeUnit.SECONDS);
            pair.offerer.setRemoteDescription(answer).get(5, TimeUnit.SECONDS);
            assertThat(pair.answerer.signalingState()).isEqualTo(RtcSignalingState.STABLE);
            assertThat(pair.offerer.signalingState()).isEqualTo(RtcSignalingState.STABLE);

            ChannelTraffic.opened(pair.offerer, ch).get(10, TimeUnit.SECONDS);
            ChannelTraffic.echoBinary(pair.offerer, ch, 50, i -> 1 + i * 37, Duration.ofSeconds(10), i -> "echo " + i);

            // A re-offer: the first offer (now the current local description) is no longer the last created one.
            RtcSessionDescription reOffer = pair.offerer.createOffer().get(5, TimeUnit.SECONDS);
            assertRefused(pair.offerer, offer, "the local offer must be the one createOffer returned");
            pair.offerer.setLocalDescription(reOffer).get(5, TimeUnit.SECONDS);
            pair.answerer.setRemoteDescription(reOffer).get(5, TimeUnit.SECONDS);
            RtcSessionDescription reAnswer = pair.answerer.createAnswer().get(5, TimeUnit.SECONDS);
            pair.answerer.setLocalDescription(reAnswer).get(5, TimeUnit.SECONDS);
            pair.offerer.setRemoteDescription(reAnswer).get(5, TimeUnit.SECONDS);
            assertThat(pair.offerer.signalingState()).isEqualTo(RtcSignalingState.STABLE);
            assertThat(pair.answerer.signalingState()).isEqualTo(RtcSignalingState.STABLE);
            ChannelTraffic.echoBinary(pair.offerer, ch, 50, i -> 1200 - i * 11, Duration.ofSeconds(10), i -> "echo after re-offer " + i);
            pair.assertConnected();
        }
    }

    /** The description with one more session-level attribute line: not the text that was created. */
    private static RtcSessionDescription edited(RtcSessionDescription d) {
        String sdp = d.sdp().replaceFirst("\r\nt=0 0\r\n", "\r\nt=0 0\r\na=x-edited:1\r\n");
        assertThat(sdp).isNotEqualTo(d.sdp());
        return new RtcSessionDescription(d.type(), sdp);
    }

    private static void assertRefused(PeerConnection pc, RtcSessionDescription d, String message) {
        assertThatThrownBy(() -> pc.setLocalDescription(d).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(PeerConnectionException.InvalidModification.class)
                .hasMessageContaining(message);
    }
}
