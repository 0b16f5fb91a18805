package io.jrtc.peer.media;

/** The kind of a track or transceiver (W3C {@code MediaStreamTrack.kind}), and its SDP media type. */
public enum MediaKind {
    /** {@code m=audio}: Opus by default, 48 kHz RTP clock. */
    AUDIO("audio", 48_000),
    /** {@code m=video}: VP8, VP9, H264, AV1, 90 kHz RTP clock. */
    VIDEO("video", 90_000);

    private final String sdpName;
    private final int defaultClockRate;

    MediaKind(String sdpName, int defaultClockRate) {
        this.sdpName = sdpName;
        this.defaultClockRate = defaultClockRate;
    }

    /** The media type in {@code m=} lines and the W3C kind: {@code audio} or {@code video}. */
    public String sdpName() {
        return sdpName;
    }

    /** The RTP clock rate of this kind's usual codecs (48,000 for audio, 90,000 for video). */
    public int defaultClockRate() {
        return defaultClockRate;
    }

    /** The kind for an {@code m=} media type, or null for anything but audio and video. */
    public static MediaKind fromSdp(String media) {
        return switch (media) {
            case "audio" -> AUDIO;
            case "video" -> VIDEO;
            default -> null;
        };
    }
}
