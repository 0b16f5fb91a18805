package io.jrtc.peer.media;

import io.jrtc.sdp.RtpCodec;
import io.jrtc.srtp.rtp.RtpPacket;
import java.nio.ByteBuffer;

/**
 * One received RTP packet, decrypted, handed to {@link RtpReceiver#onRtp}. The object and every view it returns are
 * reused for the next packet: they are valid only during the callback.
 */
public interface RtpPacketEvent {

    /** The mid of the transceiver the packet was routed to. */
    String mid();

    MediaKind kind();

    /** The negotiated codec of its payload type. */
    RtpCodec codec();

    int payloadType();

    /** The SSRC of the media stream (for an RTX repair, the original stream's). */
    long ssrc();

    /** The sequence number in the media stream (for an RTX repair, the original sequence number). */
    int sequenceNumber();

    /** The RTP timestamp, unsigned 32 bits. */
    long timestamp();

    boolean marker();

    /** A read-only view of the payload (padding excluded). */
    ByteBuffer payload();

    /** The decrypted RTP packet (header, extensions, payload), for zero-copy access. */
    RtpPacket packet();

    /** A copy of the payload. */
    byte[] payloadCopy();

    /** When it arrived, on the connection's monotonic clock (nanoseconds). */
    long arrivalNanos();

    /** Whether it arrived as a retransmission (RTX) after a NACK. */
    boolean retransmitted();

    /** Whether it starts a VP8 key frame (RFC 7741 section 4.3); false for other codecs. */
    boolean keyFrameStart();
}
