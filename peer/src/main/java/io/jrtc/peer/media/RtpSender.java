package io.jrtc.peer.media;

import io.jrtc.sdp.RtpCodec;
import io.jrtc.srtp.rtp.RtcpPacket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * W3C {@code RTCRtpSender}, for applications that bring their own encoded media: it takes RTP payloads with their
 * timestamps, or whole RTP packets, and the stack packetizes the header, encrypts (SRTP) and sends. It keeps recent
 * packets to answer the remote's NACKs (with RTX when negotiated), answers RTCP with sender reports, and surfaces
 * the remote's key frame requests.
 *
 * <p><b>Threads.</b> The send methods are meant for the connection's event loop (for instance inside an
 * {@link RtpReceiver#onRtp} callback, when forwarding): there they encrypt and queue at once. Called from another
 * thread they copy the data and hop onto the loop, and return whether the packet was accepted for sending. Listeners
 * run on the loop.
 *
 * <p><b>Errors.</b> A payload type that was not negotiated, or a packet over {@link #MAX_PACKET_SIZE}, is API misuse
 * and throws {@link IllegalArgumentException} at once. Sending before the transport is up, or while the negotiated
 * direction does not include sending, is not an error: the packet is dropped, counted, and {@code false} returned.
 */
public interface RtpSender {

    /** The largest RTP packet (header and payload, before the SRTP tag) a sender accepts: 1,200 bytes. */
    int MAX_PACKET_SIZE = 1200;

    MediaKind kind();

    /** Our SSRC for this sender (signalled in {@code a=ssrc}). */
    long ssrc();

    /** The SSRC of our RTX stream (RFC 4588), signalled in {@code a=ssrc-group:FID}. */
    long rtxSsrc();

    /** The MediaStream id signalled in {@code a=msid}. */
    String streamId();

    /** The track id signalled in {@code a=msid}. */
    String trackId();

    /** The codecs we may send with, with the remote's payload types; empty before negotiation. */
    List<RtpCodec> codecs();

    /** Whether a packet sent now would go out: negotiated with a sending direction and SRTP keys in place. */
    boolean canSend();

    /**
     * Sends one RTP packet built from a payload: the sender picks SSRC and sequence number and adds its header
     * extensions (the mid).
     *
     * @param payloadType a negotiated payload type (see {@link #codecs()})
     * @param timestamp   RTP timestamp at the codec's clock rate
     * @param marker      the marker bit (end of a video frame; start of a talkspurt)
     * @param payload     the payload, from position to limit (not consumed)
     * @return whether it was sent (false: not negotiated yet, not sending, or no keys yet)
     * @throws IllegalArgumentException for a payload type not negotiated, or a packet over {@link #MAX_PACKET_SIZE}
     */
    boolean sendRtp(int payloadType, long timestamp, boolean marker, ByteBuffer payload);

    /** {@link #sendRtp(int, long, boolean, ByteBuffer)} with the payload type of the first negotiated codec named {@code codecName}. */
    boolean sendRtp(String codecName, long timestamp, boolean marker, ByteBuffer payload);

    /**
     * Sends a whole RTP packet, for forwarding: its payload type, marker, timestamp and payload are kept; SSRC and
     * sequence number are rewritten into this sender's stream (sequence numbers and timestamps keep their spacing, so
     * a late or repaired packet lands in its slot; a new source SSRC continues the stream after the last packet); the
     * header extensions are replaced by ours; padding is dropped.
     *
     * @param packet an RTP packet, from position to limit (not consumed)
     * @throws IllegalArgumentException if it is not an RTP packet, its payload type was not negotiated, or it is
     *                                  over {@link #MAX_PACKET_SIZE}
     */
    boolean sendRtpPacket(ByteBuffer packet);

    /** Called (on the loop) when the remote asks for a key frame: PLI or FIR about our SSRC. */
    RtpSender onKeyFrameRequest(Consumer<KeyFrameRequest> listener);

    /**
     * Called (on the loop) with every RTCP packet the remote sends about this sender's SSRC: report blocks come as
     * the SR/RR that carries them, plus NACK, PLI, FIR and REMB.
     */
    RtpSender onRtcp(Consumer<RtcpPacket> listener);
}
