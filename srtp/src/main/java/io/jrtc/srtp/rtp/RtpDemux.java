package io.jrtc.srtp.rtp;

/**
 * Demultiplexing on the single 5-tuple WebRTC uses for ICE, DTLS, SCTP-over-DTLS and (S)RTP/(S)RTCP.
 *
 * <ul>
 *   <li>RFC 7983 section 7: by the first byte: 0-3 STUN, 20-63 DTLS, 128-191 RTP or RTCP.</li>
 *   <li>RFC 5761 section 4 ({@code rtcp-mux}): RTCP if the second byte (marker bit and payload type together) is
 *       192-223, i.e. RTCP packet types 192-223 (SR 200, RR 201, SDES 202, BYE 203, APP 204, RTPFB 205, PSFB 206,
 *       XR 207); RTP otherwise. RTP payload types 64-95 are therefore not used with rtcp-mux.</li>
 * </ul>
 */
public final class RtpDemux {

    private RtpDemux() {
    }

    /** RFC 7983: whether the first byte says RTP or RTCP (128-191). */
    public static boolean isRtpOrRtcp(byte[] buf, int off, int len) {
        if (len < 1) {
            return false;
        }
        int b = buf[off] & 0xFF;
        return b >= 128 && b <= 191;
    }

    /** RFC 5761 section 4: an RTP/RTCP packet whose second byte is 192-223 is RTCP. */
    public static boolean isRtcp(byte[] buf, int off, int len) {
        if (len < 2 || !isRtpOrRtcp(buf, off, len)) {
            return false;
        }
        int b = buf[off + 1] & 0xFF;
        return b >= 192 && b <= 223;
    }

    /** An RTP/RTCP packet that is not RTCP by RFC 5761. */
    public static boolean isRtp(byte[] buf, int off, int len) {
        return len >= 2 && isRtpOrRtcp(buf, off, len) && !isRtcp(buf, off, len);
    }
}
