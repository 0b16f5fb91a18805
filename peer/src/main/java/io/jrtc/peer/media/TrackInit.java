package io.jrtc.peer.media;

import io.jrtc.sdp.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a sending track (and its transceiver) is set up: W3C {@code RTCRtpTransceiverInit} plus what a server needs to
 * fix: codec preferences, the SSRC and CNAME, MediaStream and track ids, retransmission support.
 *
 * @param direction         the transceiver's initial direction ({@code sendrecv} by default)
 * @param codecs            codec preferences in order; empty means {@link MediaCodec#defaults(MediaKind)}. Answers
 *                          accept the offered codecs whose names appear here, in the offer's order and with the
 *                          offer's payload types.
 * @param streamId          the MediaStream id signalled in {@code a=msid}; null draws a random one
 * @param trackId           the track id signalled in {@code a=msid}; null draws a random one
 * @param ssrc              the SSRC we send with; 0 draws a random one
 * @param rtx               whether video offers RTX (RFC 4588) and retransmits with it when negotiated
 * @param retransmissionPackets packets kept per video sender to answer NACKs (rounded up to a power of two)
 */
public record TrackInit(Direction direction, List<MediaCodec> codecs, String streamId, String trackId, long ssrc,
        boolean rtx, int retransmissionPackets) {

    /** Packets kept for NACKs by default: 512, about one second of 5 Mbit/s video. */
    public static final int DEFAULT_RETRANSMISSION_PACKETS = 512;

    /** sendrecv, default codecs, random ids and SSRC, RTX on, 512 packets kept. */
    public static final TrackInit DEFAULT = builder().build();

    public TrackInit {
        Objects.requireNonNull(direction, "direction");
        codecs = List.copyOf(codecs);
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ssrc " + ssrc + " is not a 32-bit unsigned value");
        }
        if (retransmissionPackets < 1 || retransmissionPackets > 1 << 15) {
            throw new IllegalArgumentException("retransmissionPackets must be 1-32768, was " + retransmissionPackets);
        }
        if (streamId != null && (streamId.isEmpty() || !token(streamId))) {
            throw new IllegalArgumentException("streamId must be an SDP token: \"" + streamId + "\"");
        }
        if (trackId != null && (trackId.isEmpty() || !token(trackId))) {
            throw new IllegalArgumentException("trackId must be an SDP token: \"" + trackId + "\"");
        }
    }

    private static boolean token(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The codecs to offer or accept for {@code kind}. */
    public List<MediaCodec> codecsFor(MediaKind kind) {
        return codecs.isEmpty() ? MediaCodec.defaults(kind) : codecs;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.direction = direction;
        b.codecs.addAll(codecs);
        b.streamId = streamId;
        b.trackId = trackId;
        b.ssrc = ssrc;
        b.rtx = rtx;
        b.retransmissionPackets = retransmissionPackets;
        return b;
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private Direction direction = Direction.SENDRECV;
        private final List<MediaCodec> codecs = new ArrayList<>();
        private String streamId;
        private String trackId;
        private long ssrc;
        private boolean rtx = true;
        private int retransmissionPackets = DEFAULT_RETRANSMISSION_PACKETS;

        public Builder direction(Direction v) {
            direction = v;
            return this;
        }

        /** Codec preferences in order (replaces any set before). */
        public Builder codecs(MediaCodec... v) {
            codecs.clear();
            codecs.addAll(List.of(v));
            return this;
        }

        public Builder codecs(List<MediaCodec> v) {
            codecs.clear();
            codecs.addAll(v);
            return this;
        }

        public Builder streamId(String v) {
            streamId = v;
            return this;
        }

        public Builder trackId(String v) {
            trackId = v;
            return this;
        }

        public Builder ssrc(long v) {
            ssrc = v;
            return this;
        }

        public Builder rtx(boolean v) {
            rtx = v;
            return this;
        }

        public Builder retransmissionPackets(int v) {
            retransmissionPackets = v;
            return this;
        }

        public TrackInit build() {
            return new TrackInit(direction, codecs, streamId, trackId, ssrc, rtx, retransmissionPackets);
        }
    }
}
