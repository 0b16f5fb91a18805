package io.jrtc.peer.internal.media;

import io.jrtc.common.ParseException;
import io.jrtc.peer.media.KeyFrameRequest;
import io.jrtc.srtp.rtp.FullIntraRequest;
import io.jrtc.srtp.rtp.GenericNack;
import io.jrtc.srtp.rtp.Goodbye;
import io.jrtc.srtp.rtp.PictureLossIndication;
import io.jrtc.srtp.rtp.ReceiverEstimatedMaxBitrate;
import io.jrtc.srtp.rtp.ReceiverReport;
import io.jrtc.srtp.rtp.ReportBlock;
import io.jrtc.srtp.rtp.RtcpCompound;
import io.jrtc.srtp.rtp.RtcpPacket;
import io.jrtc.srtp.rtp.SenderReport;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link MediaEngine} does with received RTCP, after SRTCP: SR/RR report blocks give the round-trip time (RFC
 * 3550 section 6.4.1, which also paces the NACK generators), SRs feed the inbound stream's statistics, BYE ends a
 * stream, generic NACKs (RFC 4585 section 6.2.1) are answered by the {@link Retransmitter}, PLI/FIR go to the sender's
 * key-frame listener, REMB and the rest to the RTCP listeners. Malformed packets are counted, never thrown.
 * Loop-confined.
 */
final class RtcpReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(RtcpReceiver.class);

    private final MediaEngine engine;
    private final BundleRouter router;
    private final RtcpSender sender;
    private final Retransmitter retransmitter;
    private final String logId;
    private final RtcpCompound.Cursor cursor = new RtcpCompound.Cursor();

    long rtcpReceived;
    long rtcpMalformed;

    RtcpReceiver(MediaEngine engine, BundleRouter router, RtcpSender sender, Retransmitter retransmitter, String logId) {
        this.engine = engine;
        this.router = router;
        this.sender = sender;
        this.retransmitter = retransmitter;
        this.logId = logId;
    }

    /** A decrypted RTCP compound in {@code buf}. */
    void handleRtcp(long now, byte[] buf, int off, int len) {
        rtcpReceived++;
        sender.onReceived(len);
        long ntpNow = sender.ntp(now);
        cursor.reset(buf, off, len);
        while (cursor.next()) {
            int type = cursor.packetType();
            int fmt = cursor.count();
            try {
                switch (type) {
                    case 200 -> {
                        SenderReport sr = (SenderReport) cursor.decode();
                        InboundStream s = router.inbound(sr.ssrc());
                        if (s != null) {
                            s.stats.onSenderReport(now, sr.ntpTimestamp());
                            fireReceiver(s, sr);
                        }
                        reportBlocks(sr, sr.reportBlocks(), ntpNow);
                    }
                    case 201 -> {
                        ReceiverReport rr = (ReceiverReport) cursor.decode();
                        reportBlocks(rr, rr.reportBlocks(), ntpNow);
                    }
                    case 202, 203 -> {
                        InboundStream s = router.inbound(cursor.firstSsrc());
                        if (s != null) {
                            RtcpPacket p = cursor.decode();
                            if (p instanceof Goodbye) {
                                s.ended = true;
                            }
                            fireReceiver(s, p);
                        }
                    }
                    case 205 -> {
                        if (fmt == GenericNack.FMT) {
                            GenericNack nack = (GenericNack) cursor.decode();
                            Sender s = router.senderBySsrc(nack.mediaSsrc());
                            if (s != null) {
                                s.nacksReceived++;
                                fireSender(s, nack);
                                retransmitter.onNack(now, s, nack);
                            }
                        }
                    }
                    case 206 -> payloadFeedback(fmt);
                    default -> {
                        // XR, APP, transport-cc and others: not used.
                    }
                }
            } catch (ParseException | ClassCastException e) {
                rtcpMalformed++;
                LOG.debug("{}: malformed RTCP packet type {}: {}", logId, type, e.getMessage());
            }
        }
        if (cursor.error() != null) {
            rtcpMalformed++;
            LOG.debug("{}: malformed RTCP compound: {}", logId, cursor.errorMessage());
        }
    }

    /** Payload-specific feedback (RFC 4585 section 6.3): PLI, FIR (RFC 5104), REMB. */
    private void payloadFeedback(int fmt) throws ParseException {
        if (fmt == PictureLossIndication.FMT) {
            PictureLossIndication pli = (PictureLossIndication) cursor.decode();
            Sender s = router.senderBySsrc(pli.mediaSsrc());
            if (s != null) {
                s.plisReceived++;
                fireKeyFrame(s, new KeyFrameRequest(KeyFrameRequest.Type.PLI, pli.senderSsrc(), pli.mediaSsrc()), pli);
            }
        } else if (fmt == FullIntraRequest.FMT) {
            FullIntraRequest fir = (FullIntraRequest) cursor.decode();
            for (FullIntraRequest.Entry e : fir.entries()) {
                Sender s = router.senderBySsrc(e.ssrc());
                if (s != null) {
                    s.firsReceived++;
                    fireKeyFrame(s, new KeyFrameRequest(KeyFrameRequest.Type.FIR, fir.senderSsrc(), e.ssrc()), fir);
                }
            }
        } else if (fmt == ReceiverEstimatedMaxBitrate.FMT) {
            RtcpPacket p = cursor.decode();
            if (p instanceof ReceiverEstimatedMaxBitrate remb) {
                for (long ssrc : remb.ssrcs()) {
                    Sender s = router.senderBySsrc(ssrc);
                    if (s != null) {
                        fireSender(s, remb);
                    }
                }
            }
        }
    }

    private void reportBlocks(RtcpPacket carrier, List<ReportBlock> blocks, long ntpNow) {
        for (ReportBlock b : blocks) {
            Sender s = router.senderBySsrc(b.ssrc());
            if (s == null || s.stats == null) {
                continue;
            }
            long rtt = s.stats.onReportBlock(b, ntpNow);
            if (rtt >= 0) {
                for (Transceiver t : engine.transceiverList()) {
                    for (InboundStream in : t.receiver.streams) {
                        if (in.nack != null) {
                            in.nack.setRtt(rtt);
                        }
                    }
                }
            }
            fireSender(s, carrier);
        }
    }

    private void fireKeyFrame(Sender s, KeyFrameRequest request, RtcpPacket packet) {
        fireSender(s, packet);
        Consumer<KeyFrameRequest> l = s.onKeyFrameRequest;
        if (l != null) {
            try {
                l.accept(request);
            } catch (RuntimeException e) {
                LOG.warn("{}: onKeyFrameRequest listener threw", logId, e);
            }
        }
    }

    private void fireSender(Sender s, RtcpPacket p) {
        Consumer<RtcpPacket> l = s.onRtcp;
        if (l != null) {
            try {
                l.accept(p);
            } catch (RuntimeException e) {
                LOG.warn("{}: sender onRtcp listener threw", logId, e);
            }
        }
    }

    private void fireReceiver(InboundStream s, RtcpPacket p) {
        Consumer<RtcpPacket> l = s.transceiver.receiver.onRtcp;
        if (l != null) {
            try {
                l.accept(p);
            } catch (RuntimeException e) {
                LOG.warn("{}: receiver onRtcp listener threw", logId, e);
            }
        }
    }
}
