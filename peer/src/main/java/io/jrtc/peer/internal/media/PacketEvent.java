package io.jrtc.peer.internal.media;

import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpPacketEvent;
import io.jrtc.sdp.RtpCodec;
import io.jrtc.srtp.rtp.RtpPacket;
import java.nio.ByteBuffer;

/** The reused {@link RtpPacketEvent} of a {@link MediaEngine}: a view over its receive scratch buffer. */
final class PacketEvent implements RtpPacketEvent {

    private RtpPacket packet;
    private String mid;
    private MediaKind kind;
    private RtpCodec codec;
    private long arrival;
    private boolean retransmitted;
    private boolean keyFrame;

    void set(RtpPacket packet, String mid, MediaKind kind, RtpCodec codec, long arrival, boolean retransmitted,
            boolean keyFrame) {
        this.packet = packet;
        this.mid = mid;
        this.kind = kind;
        this.codec = codec;
        this.arrival = arrival;
        this.retransmitted = retransmitted;
        this.keyFrame = keyFrame;
    }

    @Override
    public String mid() {
        return mid;
    }

    @Override
    public MediaKind kind() {
        return kind;
    }

    @Override
    public RtpCodec codec() {
        return codec;
    }

    @Override
    public int payloadType() {
        return packet.payloadType();
    }

    @Override
    public long ssrc() {
        return packet.ssrc();
    }

    @Override
    public int sequenceNumber() {
        return packet.sequenceNumber();
    }

    @Override
    public long timestamp() {
        return packet.timestamp();
    }

    @Override
    public boolean marker() {
        return packet.marker();
    }

    @Override
    public ByteBuffer payload() {
        return ByteBuffer.wrap(packet.buffer(), packet.payloadOffset(), packet.payloadLength()).slice().asReadOnlyBuffer();
    }

    @Override
    public RtpPacket packet() {
        return packet;
    }

    @Override
    public byte[] payloadCopy() {
        return packet.payloadCopy();
    }

    @Override
    public long arrivalNanos() {
        return arrival;
    }

    @Override
    public boolean retransmitted() {
        return retransmitted;
    }

    @Override
    public boolean keyFrameStart() {
        return keyFrame;
    }

    @Override
    public String toString() {
        return "RtpPacketEvent[mid=" + mid + ", " + (codec == null ? "?" : codec.name()) + ", " + packet + "]";
    }
}
