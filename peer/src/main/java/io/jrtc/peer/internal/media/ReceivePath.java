package io.jrtc.peer.internal.media;

import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpPacketEvent;
import io.jrtc.sdp.RtpCodec;
import io.jrtc.srtp.codec.Vp8PayloadDescriptor;
import io.jrtc.srtp.rtp.GenericNack;
import io.jrtc.srtp.rtp.NackGenerator;
import io.jrtc.srtp.rtp.RtpPacket;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTP receive path of a {@link MediaEngine}, after SRTP: BUNDLE routing ({@link BundleRouter}), RTX unwrapping
 * (RFC 4588 section 4), the duplicate filter, RFC 3550 statistics, the NACK generators (fed per packet here, polled
 * on the engine's timeout, their NACKs and PLIs sent by {@link RtcpSender}), then the receiver's listener with the
 * packet's codec. Reuses one packet view and one event. Loop-confined.
 */
final class ReceivePath {

    private static final Logger LOG = LoggerFactory.getLogger(ReceivePath.class);

    private final MediaEngine engine;
    private final BundleRouter router;
    private final String logId;
    private final RtpPacket view = new RtpPacket();
    private final PacketEvent event = new PacketEvent();

    long unroutable;
    long rtpMalformed;
    long notReceiving;
    private long listenerFailures;

    ReceivePath(MediaEngine engine, BundleRouter router, String logId) {
        this.engine = engine;
        this.router = router;
        this.logId = logId;
    }

    /** A decrypted RTP packet in {@code buf} (which may be rewritten in place). */
    void handleRtp(long now, byte[] buf, int off, int len) {
        if (view.wrap(buf, off, len) != null) {
            rtpMalformed++;
            return;
        }
        long ssrc = view.ssrc();
        int r = router.route(ssrc);
        if (r < 0) {
            r = router.resolve(ssrc, view.payloadType(), view);
            if (r < 0) {
                unroutable++;
                if (unroutable == 1 || LOG.isTraceEnabled()) {
                    LOG.debug("{}: no transceiver for RTP ssrc {} pt {} (first such packet; later ones are counted)", logId,
                            ssrc, view.payloadType());
                }
                return;
            }
        }
        InboundStream s = router.stream(r);
        boolean rtx = router.isRtx(r);
        RtpLossFilter filter = engine.lossFilter;
        if (filter != null && !rtx && filter.dropReceived(ssrc, view.sequenceNumber())) {
            return;
        }
        if (rtx) {
            int apt = s.transceiver.rtxApt[view.payloadType()];
            if (apt < 0) {
                unroutable++;
                return;
            }
            if (view.payloadLength() < 2) {
                s.paddingOnlyPackets++;
                return;
            }
            int osn = ((buf[view.payloadOffset()] & 0xFF) << 8) | (buf[view.payloadOffset() + 1] & 0xFF);
            int h = view.headerLength();
            // RFC 4588 section 4: drop the OSN, restoring the original header in front of the original payload.
            System.arraycopy(buf, off, buf, off + 2, h);
            off += 2;
            len -= 2;
            if (view.wrap(buf, off, len) != null) {
                rtpMalformed++;
                return;
            }
            view.setSequenceNumber(osn);
            view.setPayloadType(apt);
            view.setSsrc(s.ssrc);
        }
        deliver(now, s, rtx, buf);
    }

    private void deliver(long now, InboundStream s, boolean retransmitted, byte[] buf) {
        int seq = view.sequenceNumber();
        if (s.duplicate(seq)) {
            s.duplicatesDiscarded++;
            return;
        }
        int payloadLength = view.payloadLength();
        s.stats.onPacket(now, seq, view.timestamp(), payloadLength);
        s.lastPacketNanos = now;
        if (s.nack != null) {
            long before = s.nack.recovered();
            s.nack.onPacket(now, seq);
            // Without RTX a repair comes on the media SSRC: it is the packet that fills a gap being NACKed.
            retransmitted |= s.nack.recovered() != before;
        }
        if (retransmitted) {
            s.retransmittedPacketsReceived++;
            s.retransmittedBytesReceived += payloadLength;
        }
        Transceiver t = s.transceiver;
        int pt = view.payloadType();
        RtpCodec codec = t.receiveByPt[pt];
        if (codec == null) {
            s.unknownPayloadType++;
            return;
        }
        s.lastPayloadType = pt;
        if (payloadLength == 0) {
            s.paddingOnlyPackets++;
            return;
        }
        boolean key = false;
        if (t.kind == MediaKind.VIDEO) {
            if (view.marker()) {
                s.framesReceived++;
            }
            if (codec.matches("VP8") && Vp8PayloadDescriptor.isKeyFrameStart(buf, view.payloadOffset(), payloadLength)) {
                key = true;
                s.keyFramesReceived++;
            }
        }
        if (!t.receiving()) {
            notReceiving++;
            return;
        }
        Consumer<RtpPacketEvent> l = t.receiver.onRtp;
        if (l != null) {
            event.set(view, t.mid(), t.kind, codec, now, retransmitted, key);
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                listenerFailures++;
                if (listenerFailures == 1) {
                    LOG.warn("{}: onRtp listener of mid {} threw (later failures are logged at DEBUG)", logId, t.mid(), e);
                } else {
                    LOG.debug("{}: onRtp listener of mid {} threw: {}", logId, t.mid(), e.toString());
                }
            }
        }
    }

    /** Polls the NACK generators that are due: their NACKs, and a PLI for a gap given up (at most every 250 ms). */
    void handleTimeout(long now, RtcpSender rtcp, List<Transceiver> transceivers) {
        for (Transceiver t : transceivers) {
            for (InboundStream s : t.receiver.streams) {
                NackGenerator g = s.nack;
                if (g == null || g.pollTimeout() > now) {
                    continue;
                }
                List<Integer> lost = g.pollNack(now);
                if (!lost.isEmpty()) {
                    rtcp.sendFeedback(t, GenericNack.fromLost(engine.receiverSsrc(), s.ssrc, lost));
                    s.nackPacketsSent++;
                }
                if (g.keyFrameNeeded()) {
                    g.clearKeyFrameNeeded();
                    if (t.receiver.pliNegotiated()
                            && (s.pliSent == 0 || now - s.lastPliNanos >= MediaEngine.PLI_MIN_INTERVAL_NANOS)) {
                        engine.sendKeyFrameRequest(t.receiver, s, s.ssrc);
                    }
                }
            }
        }
    }

    /** The earliest of {@code t} and the deadlines of the NACK generators with missing packets. */
    static long pollTimeout(long t, List<Transceiver> transceivers) {
        for (Transceiver tr : transceivers) {
            for (InboundStream s : tr.receiver.streams) {
                if (s.nack != null && s.nack.missingCount() > 0) {
                    t = Math.min(t, s.nack.pollTimeout());
                }
            }
        }
        return t;
    }
}
