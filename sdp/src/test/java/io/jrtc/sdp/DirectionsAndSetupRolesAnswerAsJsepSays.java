package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Direction and setup negotiation helpers follow RFC 3264 section 6.1 and RFC 9429 section 5.3.1. */
class DirectionsAndSetupRolesAnswerAsJsepSays {

    @ParameterizedTest(name = "offer {0}, we want {1} -> answer {2}")
    @CsvSource({
        "SENDRECV, SENDRECV, SENDRECV",
        "SENDRECV, RECVONLY, RECVONLY",
        "SENDONLY, SENDRECV, RECVONLY",
        "RECVONLY, SENDRECV, SENDONLY",
        "RECVONLY, RECVONLY, INACTIVE",
        "INACTIVE, SENDRECV, INACTIVE",
        "SENDONLY, SENDONLY, INACTIVE"})
    void answerDirection(Direction offered, Direction wanted, Direction answer) {
        assertThat(wanted.answerTo(offered)).isEqualTo(answer);
    }

    @Test
    void reverseSwapsSendAndReceive() {
        assertThat(Direction.SENDONLY.reverse()).isEqualTo(Direction.RECVONLY);
        assertThat(Direction.RECVONLY.reverse()).isEqualTo(Direction.SENDONLY);
        assertThat(Direction.SENDRECV.reverse()).isEqualTo(Direction.SENDRECV);
        assertThat(Direction.INACTIVE.reverse()).isEqualTo(Direction.INACTIVE);
        for (Direction d : Direction.values()) {
            assertThat(d.reverse().reverse()).isEqualTo(d);
            assertThat(Direction.of(d.sends(), d.receives())).isEqualTo(d);
            assertThat(Direction.fromAttributeName(d.sdpName())).isEqualTo(d);
            assertThat(d.toAttribute()).isEqualTo(Attribute.flag(d.sdpName()));
        }
        assertThat(Direction.fromAttributeName("sendrecv2")).isNull();
    }

    @Test
    void setupAnswers() throws SdpParseException {
        assertThat(Setup.answerFor(Setup.ACTPASS)).isEqualTo(Setup.ACTIVE);
        assertThat(Setup.answerFor(Setup.ACTIVE)).isEqualTo(Setup.PASSIVE);
        assertThat(Setup.answerFor(Setup.PASSIVE)).isEqualTo(Setup.ACTIVE);
        assertThat(Setup.answerFor(Setup.HOLDCONN)).isEqualTo(Setup.HOLDCONN);
        assertThat(Setup.parse("ActPass")).isEqualTo(Setup.ACTPASS);
        assertThat(Setup.PASSIVE.toAttribute()).isEqualTo(Attribute.of("setup", "passive"));
    }

    @Test
    void capturedPairsAgreeWithTheHelpers() {
        // Chromium offered, werift answered; werift offered, Chromium answered: both chose as the helpers do
        SessionDescription chromiumOffer = Captures.parse("chromium156-offer-audio-video-datachannel.sdp");
        SessionDescription weriftAnswer = Captures.parse("werift0.25.2-answer-audio-video-datachannel.sdp");
        for (int i = 0; i < 3; i++) {
            MediaDescription o = chromiumOffer.media().get(i);
            MediaDescription a = weriftAnswer.media().get(i);
            assertThat(a.setup()).contains(Setup.answerFor(o.setup().orElseThrow()));
            assertThat(Direction.SENDRECV.answerTo(o.direction()).receives()).isEqualTo(a.direction().receives());
        }
        SessionDescription weriftOffer = Captures.parse("werift0.25.2-offer-audio-video-datachannel.sdp");
        SessionDescription chromiumAnswer = Captures.parse("chromium156-answer-audio-video-datachannel.sdp");
        for (int i = 0; i < 3; i++) {
            MediaDescription o = weriftOffer.media().get(i);
            MediaDescription a = chromiumAnswer.media().get(i);
            assertThat(a.setup()).contains(Setup.answerFor(o.setup().orElseThrow()));
            assertThat(a.direction()).isEqualTo(Direction.SENDRECV.answerTo(o.direction()));
        }
    }
}
