package io.jrtc.peer.media;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A codec jrtc can negotiate (W3C {@code RTCRtpCodecCapability}, with the payload type it prefers in offers). jrtc
 * has no codecs of its own: payloads are opaque bytes the application produces or consumes, so a codec here is only
 * what SDP says about it (RFC 8866 section 6.6 {@code rtpmap}, 6.15 {@code fmtp}; RFC 4585 section 4.2
 * {@code rtcp-fb}).
 *
 * @param name                  the encoding name ({@code opus}, {@code VP8}, ...), matched case-insensitively
 * @param clockRate             RTP clock rate in Hz
 * @param channels              audio channels (2 for Opus, as RFC 7587 requires), 0 for video
 * @param parameters            {@code fmtp} parameters offered, in order
 * @param preferredPayloadType  the payload type used in our offers (answers use the offerer's)
 * @param feedback              {@code rtcp-fb} values offered: {@code nack}, {@code nack pli}, {@code ccm fir},
 *                              {@code goog-remb}
 */
public record MediaCodec(String name, int clockRate, int channels, Map<String, String> parameters,
        int preferredPayloadType, List<String> feedback) {

    /** {@code rtcp-fb} value: generic NACK (RFC 4585 section 6.2.1). */
    public static final String FB_NACK = "nack";
    /** {@code rtcp-fb} value: picture loss indication (RFC 4585 section 6.3.1). */
    public static final String FB_PLI = "nack pli";
    /** {@code rtcp-fb} value: full intra request (RFC 5104 section 4.3.1). */
    public static final String FB_FIR = "ccm fir";
    /** {@code rtcp-fb} value: receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb). */
    public static final String FB_REMB = "goog-remb";

    private static final List<String> VIDEO_FEEDBACK = List.of(FB_REMB, FB_FIR, FB_NACK, FB_PLI);

    /** Opus (RFC 7587): {@code opus/48000/2}, {@code minptime=10;useinbandfec=1}, payload type 111. */
    public static final MediaCodec OPUS = new MediaCodec("opus", 48_000, 2,
            params("minptime", "10", "useinbandfec", "1"), 111, List.of());
    /** VP8 (RFC 7741), payload type 96, with NACK, PLI, FIR and REMB feedback. */
    public static final MediaCodec VP8 = new MediaCodec("VP8", 90_000, 0, Map.of(), 96, VIDEO_FEEDBACK);
    /** VP9 profile 0 (RFC 9628), payload type 98. */
    public static final MediaCodec VP9 = new MediaCodec("VP9", 90_000, 0, params("profile-id", "0"), 98, VIDEO_FEEDBACK);
    /** H.264 constrained baseline 3.1, packetization mode 1 (RFC 6184), payload type 102. */
    public static final MediaCodec H264 = new MediaCodec("H264", 90_000, 0,
            params("level-asymmetry-allowed", "1", "packetization-mode", "1", "profile-level-id", "42e01f"), 102,
            VIDEO_FEEDBACK);
    /** AV1 (AOM RTP payload format), payload type 45. */
    public static final MediaCodec AV1 = new MediaCodec("AV1", 90_000, 0, Map.of(), 45, VIDEO_FEEDBACK);

    public MediaCodec {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf(' ') >= 0 || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("codec name \"" + name + "\"");
        }
        if (clockRate < 1) {
            throw new IllegalArgumentException("clock rate " + clockRate);
        }
        if (channels < 0) {
            throw new IllegalArgumentException("channels " + channels);
        }
        if (preferredPayloadType < 0 || preferredPayloadType > 127 || preferredPayloadType >= 64 && preferredPayloadType <= 95) {
            throw new IllegalArgumentException("payload type " + preferredPayloadType
                    + " (0-127, and not 64-95, which RTCP multiplexing reserves, RFC 5761 section 4)");
        }
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        feedback = List.copyOf(feedback);
    }

    /** The codecs offered for a kind when the application names none: Opus; VP8, VP9, H264, AV1 (in that order). */
    public static List<MediaCodec> defaults(MediaKind kind) {
        return kind == MediaKind.AUDIO ? List.of(OPUS) : List.of(VP8, VP9, H264, AV1);
    }

    /** Whether {@code encodingName} names this codec (case-insensitive, as RFC 8866 says). */
    public boolean matches(String encodingName) {
        return name.equalsIgnoreCase(encodingName);
    }

    /** The W3C mime type: {@code audio/opus}, {@code video/VP8}. */
    public String mimeType(MediaKind kind) {
        return kind.sdpName() + "/" + name;
    }

    /** A copy preferring another payload type in offers. */
    public MediaCodec withPayloadType(int payloadType) {
        return new MediaCodec(name, clockRate, channels, parameters, payloadType, feedback);
    }

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
