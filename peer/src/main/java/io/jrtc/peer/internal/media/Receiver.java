package io.jrtc.peer.internal.media;

import io.jrtc.peer.media.MediaCodec;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpPacketEvent;
import io.jrtc.peer.media.RtpReceiver;
import io.jrtc.sdp.RtpCodec;
import io.jrtc.srtp.rtp.NackGenerator;
import io.jrtc.srtp.rtp.RtcpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The {@link RtpReceiver} of a {@link Transceiver}: its inbound streams and the application's listeners. */
final class Receiver implements RtpReceiver {

    private final MediaEngine engine;
    private final Transceiver transceiver;
    /** Inbound media streams (not RTX), in the order they appeared; written on the loop. */
    final List<InboundStream> streams = new CopyOnWriteArrayList<>();
    volatile Consumer<RtpPacketEvent> onRtp;
    volatile Consumer<RtcpPacket> onRtcp;
    private volatile boolean nackNegotiated;
    private volatile boolean pliNegotiated;
    private volatile boolean firNegotiated;
    long listenerFailures;

    Receiver(MediaEngine engine, Transceiver transceiver) {
        this.engine = engine;
        this.transceiver = transceiver;
    }

    void apply(Negotiated n) {
        nackNegotiated = n.kind() == MediaKind.VIDEO && n.receiveFeedback(MediaCodec.FB_NACK);
        pliNegotiated = n.receiveFeedback(MediaCodec.FB_PLI);
        firNegotiated = n.receiveFeedback(MediaCodec.FB_FIR);
        for (InboundStream s : streams) {
            configure(s);
        }
    }

    /** Gives a stream its NACK generator when NACK is negotiated. */
    void configure(InboundStream s) {
        if (nackNegotiated && s.nack == null) {
            s.nack = new NackGenerator(MediaEngine.NACK_CONFIG);
        } else if (!nackNegotiated) {
            s.nack = null;
        }
    }

    boolean pliNegotiated() {
        return pliNegotiated;
    }

    boolean firNegotiated() {
        return firNegotiated;
    }

    @Override
    public MediaKind kind() {
        return transceiver.kind;
    }

    @Override
    public List<RtpCodec> codecs() {
        Negotiated n = transceiver.negotiated;
        return n == null ? List.of() : n.receiveCodecs();
    }

    @Override
    public List<Long> ssrcs() {
        List<Long> out = new ArrayList<>();
        for (InboundStream s : streams) {
            out.add(s.ssrc);
        }
        Negotiated n = transceiver.negotiated;
        if (n != null) {
            for (long s : n.remoteSsrcs()) {
                if (!out.contains(s) && !n.remoteRtxSsrcs().containsKey(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    @Override
    public RtpReceiver onRtp(Consumer<RtpPacketEvent> listener) {
        onRtp = Objects.requireNonNull(listener, "listener");
        return this;
    }

    @Override
    public RtpReceiver onRtcp(Consumer<RtcpPacket> listener) {
        onRtcp = Objects.requireNonNull(listener, "listener");
        return this;
    }

    @Override
    public boolean requestKeyFrame() {
        if (!pliNegotiated && !firNegotiated) {
            return false;
        }
        if (!engine.inLoop()) {
            engine.onLoop(this::requestKeyFrameOnLoop);
            return !streams.isEmpty() || transceiver.negotiated != null;
        }
        return requestKeyFrameOnLoop();
    }

    private boolean requestKeyFrameOnLoop() {
        InboundStream latest = null;
        for (InboundStream s : streams) {
            if (latest == null || s.lastPacketNanos > latest.lastPacketNanos) {
                latest = s;
            }
        }
        if (latest == null) {
            Negotiated n = transceiver.negotiated;
            if (n == null) {
                return false;
            }
            for (long ssrc : n.remoteSsrcs()) {
                if (!n.remoteRtxSsrcs().containsKey(ssrc)) {
                    return engine.sendKeyFrameRequest(this, null, ssrc);
                }
            }
            return false;
        }
        return engine.sendKeyFrameRequest(this, latest, latest.ssrc);
    }

    @Override
    public String toString() {
        return "RtpReceiver[" + transceiver.mid() + ", streams=" + streams.size() + "]";
    }
}
