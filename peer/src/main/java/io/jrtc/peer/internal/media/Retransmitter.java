package io.jrtc.peer.internal.media;

import io.jrtc.srtp.rtp.GenericNack;
import io.jrtc.srtp.rtp.RtpPacket;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a received generic NACK from the sender's retransmission store: the stored SRTP packet again when no RTX was
 * negotiated, else an RTX packet (RFC 4588 section 4: the RTX payload type, SSRC and sequence number, the original
 * sequence number in front of the original payload), protected and queued by the {@link SrtpLayer}. Loop-confined.
 */
final class Retransmitter {

    private static final Logger LOG = LoggerFactory.getLogger(Retransmitter.class);

    private final SrtpLayer srtp;
    private final String logId;
    private final RtpPacket view = new RtpPacket();

    Retransmitter(SrtpLayer srtp, String logId) {
        this.srtp = srtp;
        this.logId = logId;
    }

    void onNack(long now, Sender s, GenericNack nack) {
        if (s.retransmissions == null || !srtp.hasSession()) {
            return;
        }
        s.retransmissions.respond(nack, now, (b, o, l) -> retransmit(now, s, b, o, l));
    }

    private void retransmit(long now, Sender s, byte[] buf, int off, int len) {
        if (!s.storesPlaintext) {
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            int header = rtpHeaderLength(copy, len);
            int payload = Math.max(0, len - header - srtp.rtpTrailerLength());
            s.retransmittedPackets++;
            s.retransmittedBytes += payload;
            if (s.stats != null) {
                long ts = ((copy[4] & 0xFFL) << 24) | ((copy[5] & 0xFF) << 16) | ((copy[6] & 0xFF) << 8) | (copy[7] & 0xFF);
                s.stats.onPacketSent(now, ts, payload);
            }
            srtp.enqueue(copy, len);
            return;
        }
        if (view.wrap(buf, off, len) != null) {
            return;
        }
        Negotiated n = s.transceiver().negotiated;
        Integer rtxPt = n == null ? null : n.sendRtx().get(view.payloadType());
        if (rtxPt == null) {
            return;
        }
        int h = view.headerLength();
        int pl = view.payloadLength();
        int rlen = h + 2 + pl;
        byte[] out = new byte[rlen + srtp.rtpTrailerLength()];
        System.arraycopy(buf, off, out, 0, h);
        out[0] &= (byte) ~0x20;
        out[1] = (byte) ((out[1] & 0x80) | rtxPt);
        int rseq = s.rtxSequence;
        s.rtxSequence = (rseq + 1) & 0xFFFF;
        out[2] = (byte) (rseq >>> 8);
        out[3] = (byte) rseq;
        long rtxSsrc = s.rtxSsrc();
        out[8] = (byte) (rtxSsrc >>> 24);
        out[9] = (byte) (rtxSsrc >>> 16);
        out[10] = (byte) (rtxSsrc >>> 8);
        out[11] = (byte) rtxSsrc;
        out[h] = buf[off + 2];
        out[h + 1] = buf[off + 3];
        System.arraycopy(buf, view.payloadOffset(), out, h + 2, pl);
        int p = srtp.protectRtp(out, 0, rlen);
        if (p < 0) {
            LOG.debug("{}: RTX protect failed ({})", logId, p);
            return;
        }
        s.retransmittedPackets++;
        s.retransmittedBytes += pl;
        srtp.enqueue(out, p);
    }

    private static int rtpHeaderLength(byte[] b, int len) {
        int h = 12 + 4 * (b[0] & 0x0F);
        if ((b[0] & 0x10) != 0 && h + 4 <= len) {
            h += 4 + 4 * (((b[h + 2] & 0xFF) << 8) | (b[h + 3] & 0xFF));
        }
        return Math.min(h, len);
    }
}
