package io.jrtc.peer.media;

import io.jrtc.sdp.RtpCodec;
import io.jrtc.srtp.rtp.RtcpPacket;
import java.util.List;
import java.util.function.Consumer;

/**
 * W3C {@code RTCRtpReceiver}: decrypted RTP of one transceiver, handed to the application packet by packet with its
 * codec. Video with {@code nack} feedback gets NACKs sent automatically for gaps (and RTX repairs unwrapped back into
 * the original stream); reception reports go out on the RTCP timer.
 *
 * <p>Listeners run on the connection's event loop; {@link #requestKeyFrame()} may be called from any thread.
 */
public interface RtpReceiver {

    MediaKind kind();

    /** The codecs the remote may send us, with our payload types; empty before negotiation. */
    List<RtpCodec> codecs();

    /** The remote SSRCs this receiver has taken packets from, or had signalled ({@code a=ssrc}). */
    List<Long> ssrcs();

    /**
     * Called for every RTP packet received (after SRTP, duplicates dropped, RTX unwrapped), in arrival order. The
     * event and its payload view are valid only during the call; copy what must outlive it.
     */
    RtpReceiver onRtp(Consumer<RtpPacketEvent> listener);

    /** Called with every RTCP packet the remote sends from (or about) a source of this receiver: SR, SDES, BYE. */
    RtpReceiver onRtcp(Consumer<RtcpPacket> listener);

    /**
     * Asks the remote sender for a key frame: a PLI if {@code nack pli} was negotiated, else a FIR if {@code ccm fir}
     * was. Returns false when neither was negotiated, or nothing was received yet.
     */
    boolean requestKeyFrame();
}
