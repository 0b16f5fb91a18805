package io.jrtc.peer.internal.media;

import io.jrtc.common.ParseError;
import io.jrtc.peer.media.KeyFrameRequest;
import io.jrtc.peer.media.MediaCodec;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpSender;
import io.jrtc.sdp.RtpCodec;
import io.jrtc.srtp.rtp.RetransmissionBuffer;
import io.jrtc.srtp.rtp.RtcpPacket;
import io.jrtc.srtp.rtp.RtpPacket;
import io.jrtc.srtp.rtp.RtpPacketBuilder;
import io.jrtc.srtp.rtp.RtpSenderStats;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The {@link RtpSender} of a {@link Transceiver}: one outgoing media stream (SSRC, sequence numbers, the forwarding
 * rewrite state), its RTX stream, its retransmission store and its RFC 3550 send statistics. The packet work happens
 * in {@link MediaEngine}; this class validates, numbers and builds.
 */
public final class Sender implements RtpSender {

    private final MediaEngine engine;
    private final Transceiver transceiver;
    private final long ssrc;
    private final long rtxSsrc;
    private volatile String streamId;
    private volatile String trackId;

    // ---- loop-confined stream state ----
    final RtpPacketBuilder builder = new RtpPacketBuilder();
    private final RtpPacket source = new RtpPacket();
    int nextSequence;
    int rtxSequence;
    private boolean haveSource;
    private long sourceSsrc;
    private int sequenceOffset;
    private long timestampOffset;
    private long lastTimestamp;
    private boolean sentAny;
    RtpSenderStats stats;
    RetransmissionBuffer retransmissions;
    /** Whether the retransmission store holds plaintext (RTX negotiated) rather than SRTP packets. */
    boolean storesPlaintext;
    int clockRate;

    long retransmittedPackets;
    long retransmittedBytes;
    long nacksReceived;
    long plisReceived;
    long firsReceived;
    long notSent;

    volatile Consumer<KeyFrameRequest> onKeyFrameRequest;
    volatile Consumer<RtcpPacket> onRtcp;

    Sender(MediaEngine engine, Transceiver transceiver, long ssrc, long rtxSsrc, String streamId, String trackId) {
        this.engine = engine;
        this.transceiver = transceiver;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.streamId = streamId;
        this.trackId = trackId;
        this.nextSequence = engine.randomInt() & 0x7FFF;
        this.rtxSequence = engine.randomInt() & 0x7FFF;
        this.clockRate = transceiver.kind.defaultClockRate();
    }

    void apply(Negotiated n, long now) {
        if (!n.sendCodecs().isEmpty()) {
            clockRate = n.sendCodecs().get(0).clockRate();
        }
        if (stats == null) {
            stats = new RtpSenderStats(ssrc, clockRate);
        }
        builder.clearExtensions();
        if (n.midExtensionId() > 0 && n.mid() != null) {
            builder.extension(n.midExtensionId(), n.mid().getBytes(StandardCharsets.US_ASCII));
        }
        builder.ssrc(ssrc);
        boolean nack = transceiver.kind == MediaKind.VIDEO && n.sendFeedback(MediaCodec.FB_NACK);
        boolean plaintext = !n.sendRtx().isEmpty();
        if (nack && (retransmissions == null || plaintext != storesPlaintext)) {
            retransmissions = new RetransmissionBuffer(transceiver.init.retransmissionPackets(),
                    MediaEngine.RETRANSMISSION_MAX_AGE_NANOS, MediaEngine.RETRANSMISSION_MIN_INTERVAL_NANOS);
        } else if (!nack) {
            retransmissions = null;
        }
        storesPlaintext = plaintext;
    }

    @Override
    public MediaKind kind() {
        return transceiver.kind;
    }

    @Override
    public long ssrc() {
        return ssrc;
    }

    @Override
    public long rtxSsrc() {
        return rtxSsrc;
    }

    @Override
    public String streamId() {
        return streamId;
    }

    @Override
    public String trackId() {
        return trackId;
    }

    @Override
    public List<RtpCodec> codecs() {
        Negotiated n = transceiver.negotiated;
        return n == null ? List.of() : n.sendCodecs();
    }

    @Override
    public boolean canSend() {
        Negotiated n = transceiver.negotiated;
        return n != null && n.direction().sends() && engine.hasKeys();
    }

    /** The engine this sender belongs to. */
    public MediaEngine engine() {
        return engine;
    }

    @Override
    public boolean sendRtp(int payloadType, long timestamp, boolean marker, ByteBuffer payload) {
        Objects.requireNonNull(payload, "payload");
        checkPayloadType(payloadType);
        checkSize(builderHeaderLength() + payload.remaining());
        if (!engine.inLoop()) {
            byte[] copy = new byte[payload.remaining()];
            payload.duplicate().get(copy);
            boolean ok = canSend();
            engine.onLoop(() -> sendOnLoop(payloadType, timestamp, marker, copy, 0, copy.length));
            return ok;
        }
        if (payload.hasArray()) {
            return sendOnLoop(payloadType, timestamp, marker, payload.array(), payload.arrayOffset() + payload.position(),
                    payload.remaining());
        }
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        return sendOnLoop(payloadType, timestamp, marker, copy, 0, copy.length);
    }

    @Override
    public boolean sendRtp(String codecName, long timestamp, boolean marker, ByteBuffer payload) {
        Objects.requireNonNull(codecName, "codecName");
        Negotiated n = transceiver.negotiated;
        if (n != null) {
            for (RtpCodec c : n.sendCodecs()) {
                if (c.matches(codecName)) {
                    return sendRtp(c.payloadType(), timestamp, marker, payload);
                }
            }
            throw new IllegalArgumentException("codec " + codecName + " was not negotiated for mid " + n.mid()
                    + " (negotiated: " + n.sendCodecs().stream().map(RtpCodec::name).toList() + ")");
        }
        notSent++;
        return false;
    }

    private boolean sendOnLoop(int payloadType, long timestamp, boolean marker, byte[] p, int off, int len) {
        if (!canSend()) {
            notSent++;
            return false;
        }
        int seq = nextSequence;
        nextSequence = (seq + 1) & 0xFFFF;
        lastTimestamp = timestamp & 0xFFFF_FFFFL;
        sentAny = true;
        builder.payloadType(payloadType).marker(marker).sequenceNumber(seq).timestamp(timestamp).payload(p, off, len);
        return engine.sendBuilt(this, builder, len, timestamp);
    }

    @Override
    public boolean sendRtpPacket(ByteBuffer packet) {
        Objects.requireNonNull(packet, "packet");
        byte[] bytes;
        int off;
        int len = packet.remaining();
        if (packet.hasArray() && engine.inLoop()) {
            bytes = packet.array();
            off = packet.arrayOffset() + packet.position();
        } else {
            bytes = new byte[len];
            packet.duplicate().get(bytes);
            off = 0;
        }
        if (!engine.inLoop()) {
            RtpPacket check = new RtpPacket();
            validate(check, bytes, off, len);
            boolean ok = canSend();
            engine.onLoop(() -> sendPacketOnLoop(bytes, off, len));
            return ok;
        }
        validate(source, bytes, off, len);
        return sendPacketOnLoop(bytes, off, len);
    }

    private void validate(RtpPacket view, byte[] bytes, int off, int len) {
        ParseError e = view.wrap(bytes, off, len);
        if (e != null) {
            throw new IllegalArgumentException("not an RTP packet (" + e + "): " + view.lastErrorMessage());
        }
        checkPayloadType(view.payloadType());
        checkSize(builderHeaderLength() + view.payloadLength());
    }

    private boolean sendPacketOnLoop(byte[] bytes, int off, int len) {
        if (source.wrap(bytes, off, len) != null) {
            return false;
        }
        if (!canSend()) {
            notSent++;
            return false;
        }
        long srcSsrc = source.ssrc();
        int srcSeq = source.sequenceNumber();
        long srcTs = source.timestamp();
        if (!haveSource || srcSsrc != sourceSsrc) {
            // A new source: continue our stream right after the last packet we sent.
            sequenceOffset = (nextSequence - srcSeq) & 0xFFFF;
            long nextTs = sentAny ? lastTimestamp + Math.max(1, clockRate / 30) : (engine.randomInt() & 0xFFFF_FFFFL);
            timestampOffset = (nextTs - srcTs) & 0xFFFF_FFFFL;
            sourceSsrc = srcSsrc;
            haveSource = true;
        }
        int seq = (srcSeq + sequenceOffset) & 0xFFFF;
        long ts = (srcTs + timestampOffset) & 0xFFFF_FFFFL;
        if ((short) (seq - nextSequence) >= 0) {
            nextSequence = (seq + 1) & 0xFFFF;
            lastTimestamp = ts;
        }
        sentAny = true;
        builder.payloadType(source.payloadType()).marker(source.marker()).sequenceNumber(seq).timestamp(ts)
                .payload(bytes, source.payloadOffset(), source.payloadLength());
        return engine.sendBuilt(this, builder, source.payloadLength(), ts);
    }

    private int builderHeaderLength() {
        return builder.headerLength();
    }

    private void checkPayloadType(int payloadType) {
        Negotiated n = transceiver.negotiated;
        if (n != null && n.sendCodec(payloadType) == null) {
            throw new IllegalArgumentException("payload type " + payloadType + " was not negotiated for mid " + n.mid()
                    + " (negotiated: " + n.sendCodecs().stream().map(c -> c.payloadType() + " " + c.name()).toList() + ")");
        }
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
    }

    private static void checkSize(int packetLength) {
        if (packetLength > MAX_PACKET_SIZE) {
            throw new IllegalArgumentException("an RTP packet of " + packetLength + " bytes exceeds the maximum of "
                    + MAX_PACKET_SIZE);
        }
    }

    @Override
    public RtpSender onKeyFrameRequest(Consumer<KeyFrameRequest> listener) {
        onKeyFrameRequest = Objects.requireNonNull(listener, "listener");
        return this;
    }

    @Override
    public RtpSender onRtcp(Consumer<RtcpPacket> listener) {
        onRtcp = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** A track joins this sender (addTrack reusing the transceiver): it takes the init's ids when it names them. */
    void useTrack(io.jrtc.peer.media.TrackInit init) {
        if (init.streamId() != null) {
            streamId = init.streamId();
        }
        if (init.trackId() != null) {
            trackId = init.trackId();
        }
    }

    /** Whether this sender has sent any packet (W3C: "has been used to send"). */
    boolean everSent() {
        return sentAny;
    }

    Transceiver transceiver() {
        return transceiver;
    }

    @Override
    public String toString() {
        return "RtpSender[" + transceiver.mid() + ", ssrc=" + ssrc + "]";
    }
}
