package io.jrtc.peer.internal.media;

import io.jrtc.sdp.Direction;
import io.jrtc.srtp.rtp.FullIntraRequest;
import io.jrtc.srtp.rtp.Goodbye;
import io.jrtc.srtp.rtp.NtpTime;
import io.jrtc.srtp.rtp.PictureLossIndication;
import io.jrtc.srtp.rtp.ReceiverReport;
import io.jrtc.srtp.rtp.ReportBlock;
import io.jrtc.srtp.rtp.RtcpCompound;
import io.jrtc.srtp.rtp.RtcpIntervalScheduler;
import io.jrtc.srtp.rtp.RtcpPacket;
import io.jrtc.srtp.rtp.SourceDescription;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link MediaEngine} sends in RTCP. Reports on RFC 3550's randomised interval ({@link RtcpIntervalScheduler},
 * WebRTC's 1 s minimum): an SR per sending SSRC (section 6.4.1), else an RR (6.4.2), carrying report blocks for every
 * remote source, plus SDES CNAME (6.5). Feedback (generic NACK, RFC 4585 section 6.2.1; PLI, 6.3.1; FIR, RFC 5104
 * section 4.3.1) alone with {@code rtcp-rsize} (RFC 5506), otherwise after an empty RR. BYE (6.6) at close. Every
 * compound is protected by the {@link SrtpLayer} and queued there. Loop-confined.
 */
final class RtcpSender {

    private static final Logger LOG = LoggerFactory.getLogger(RtcpSender.class);

    private final MediaEngine engine;
    private final SrtpLayer srtp;
    private final String logId;
    private final long seed;
    private final long unixOffsetNanos;
    private RtcpIntervalScheduler scheduler;

    long rtcpSent;

    RtcpSender(MediaEngine engine, SrtpLayer srtp, String logId, long seed, long unixOffsetNanos) {
        this.engine = engine;
        this.srtp = srtp;
        this.logId = logId;
        this.seed = seed;
        this.unixOffsetNanos = unixOffsetNanos;
    }

    /** Starts the report interval (when the SRTP session is made). */
    void start(long now) {
        scheduler = new RtcpIntervalScheduler(RtcpIntervalScheduler.Config.webrtc(MediaEngine.SESSION_BANDWIDTH_BPS), seed,
                now);
    }

    /** A compound of {@code length} bytes was received (it counts in the interval's average size). */
    void onReceived(int length) {
        if (scheduler != null) {
            scheduler.onRtcpReceived(length);
        }
    }

    /** Reports are due only while some transceiver negotiated a direction other than inactive. */
    boolean active() {
        for (Transceiver t : engine.transceiverList()) {
            Negotiated n = t.negotiated;
            if (n != null && n.direction() != Direction.INACTIVE) {
                return true;
            }
        }
        return false;
    }

    /** The earliest of {@code t} and the next report. Session required. */
    long pollTimeout(long t) {
        return active() ? Math.min(t, scheduler.pollTimeout()) : t;
    }

    /** Sends the reports when they are due. Session required. */
    void handleTimeout(long now) {
        if (active() && scheduler.pollTimeout() <= now && scheduler.handleTimeout(now)) {
            sendReports(now);
        }
    }

    long ntp(long now) {
        return NtpTime.fromUnixNanos(now + unixOffsetNanos);
    }

    private void sendReports(long now) {
        List<ReportBlock> blocks = new ArrayList<>();
        List<Sender> sending = new ArrayList<>();
        for (Transceiver t : engine.transceiverList()) {
            for (InboundStream s : t.receiver.streams) {
                if (s.stats.packetsReceived() > 0 && !s.ended) {
                    blocks.add(s.stats.reportBlock(now));
                }
            }
            if (t.sender.stats != null && t.sender.stats.hasSent()) {
                sending.add(t.sender);
            }
        }
        long ntp = ntp(now);
        long receiverSsrc = engine.receiverSsrc();
        String cname = engine.cname();
        List<RtcpPacket> packets = new ArrayList<>();
        int bi = 0;
        for (Sender s : sending) {
            int k = Math.min(31, blocks.size() - bi);
            packets.add(s.stats.senderReport(now, ntp, blocks.subList(bi, bi + k)));
            bi += k;
        }
        while (packets.isEmpty() || bi < blocks.size()) {
            int k = Math.min(31, blocks.size() - bi);
            packets.add(new ReceiverReport(receiverSsrc, blocks.subList(bi, bi + k)));
            bi += k;
        }
        List<SourceDescription.Chunk> chunks = new ArrayList<>();
        if (sending.isEmpty()) {
            chunks.add(new SourceDescription.Chunk(receiverSsrc, List.of(SourceDescription.Item.of(SourceDescription.CNAME, cname))));
        }
        for (Sender s : sending) {
            chunks.add(new SourceDescription.Chunk(s.ssrc(), List.of(SourceDescription.Item.of(SourceDescription.CNAME, cname))));
        }
        packets.add(new SourceDescription(chunks));
        int len = send(packets);
        scheduler.setWeSent(!sending.isEmpty());
        scheduler.onRtcpSent(now, Math.max(len, 0));
    }

    /** Sends feedback: alone with reduced-size RTCP, else after an empty RR (RFC 3550 section 6.1). */
    void sendFeedback(Transceiver t, RtcpPacket fb) {
        Negotiated n = t.negotiated;
        if (n != null && n.rtcpRsize()) {
            send(List.of(fb));
        } else {
            send(List.of(new ReceiverReport(engine.receiverSsrc(), List.of()), fb));
        }
    }

    /** PLI (or FIR, whichever was negotiated) to the remote sender of {@code mediaSsrc}; false when neither was. */
    boolean sendKeyFrameRequest(Transceiver t, InboundStream s, long mediaSsrc, long now) {
        Receiver r = t.receiver;
        long receiverSsrc = engine.receiverSsrc();
        if (r.pliNegotiated()) {
            sendFeedback(t, new PictureLossIndication(receiverSsrc, mediaSsrc));
            if (s != null) {
                s.pliSent++;
                s.lastPliNanos = now;
            }
        } else if (r.firNegotiated()) {
            int seq = s == null ? 0 : s.firSequence++;
            sendFeedback(t, new FullIntraRequest(receiverSsrc, List.of(new FullIntraRequest.Entry(mediaSsrc, seq))));
            if (s != null) {
                s.firSent++;
            }
        } else {
            return false;
        }
        return true;
    }

    /** RTCP BYE for {@code ssrcs} (RFC 3550 section 6.6), after an empty RR from the first. */
    void sendBye(List<Long> ssrcs) {
        try {
            send(List.of(new ReceiverReport(ssrcs.get(0), List.of()), new Goodbye(ssrcs, null)));
        } catch (RuntimeException e) {
            LOG.debug("{}: BYE not sent: {}", logId, e.toString());
        }
    }

    /** Encodes, protects and queues one compound; its length before SRTCP, or -1 when it was not sent. */
    private int send(List<RtcpPacket> packets) {
        if (!srtp.hasSession() || engine.isClosed()) {
            return -1;
        }
        int trailer = srtp.rtcpTrailerLength();
        byte[] out = RtcpCompound.encode(packets, trailer);
        int len = out.length - trailer;
        int n = srtp.protectRtcp(out, 0, len);
        if (n < 0) {
            LOG.debug("{}: SRTCP protect failed ({})", logId, n);
            return -1;
        }
        rtcpSent++;
        srtp.enqueue(out, n);
        return len;
    }
}
