package io.jrtc.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads the real captures under {@code src/test/resources/captures}, byte for byte. */
final class Captures {

    static final List<String> SDP_FILES = List.of(
            "chromium156-offer-datachannel.sdp",
            "chromium156-offer-datachannel-mdns.sdp",
            "chromium156-offer-datachannel-mdns-turn.sdp",
            "chromium156-offer-audio-video-datachannel.sdp",
            "chromium156-answer-datachannel.sdp",
            "chromium156-answer-audio-video-datachannel.sdp",
            "werift0.25.2-offer-datachannel-tcp.sdp",
            "werift0.25.2-offer-audio-video-datachannel.sdp",
            "werift0.25.2-answer-datachannel.sdp",
            "werift0.25.2-answer-datachannel-to-mdns.sdp",
            "werift0.25.2-answer-datachannel-turn.sdp",
            "werift0.25.2-answer-audio-video-datachannel.sdp");

    static final List<String> TRICKLE_FILES = List.of(
            "chromium156-trickled-candidates-datachannel.txt",
            "chromium156-trickled-candidates-datachannel-mdns.txt",
            "chromium156-trickled-candidates-datachannel-mdns-turn.txt",
            "chromium156-trickled-candidates-audio-video-datachannel.txt",
            "chromium156-trickled-candidates-answer-datachannel.txt",
            "chromium156-trickled-candidates-answer-audio-video-datachannel.txt");

    private Captures() {
    }

    static String text(String file) {
        try (InputStream in = Captures.class.getResourceAsStream("/captures/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing capture " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription parse(String file) {
        try {
            return SessionDescription.parse(text(file));
        } catch (SdpParseException e) {
            throw new AssertionError(file + " does not parse: " + e.getMessage(), e);
        }
    }
}
