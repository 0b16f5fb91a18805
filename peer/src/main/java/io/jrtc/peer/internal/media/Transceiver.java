package io.jrtc.peer.internal.media;

import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpReceiver;
import io.jrtc.peer.media.RtpSender;
import io.jrtc.peer.media.RtpTransceiver;
import io.jrtc.peer.media.TrackInit;
import io.jrtc.sdp.Direction;
import io.jrtc.sdp.RtpCodec;
import java.util.Arrays;
import java.util.Objects;

/**
 * The {@link RtpTransceiver} of a {@link MediaEngine}: its mid, directions, negotiated parameters, and the payload type
 * tables the receive path looks up per packet. Mutated on the loop only; the W3C getters read volatile fields.
 */
public final class Transceiver implements RtpTransceiver {

    final MediaEngine engine;
    final MediaKind kind;
    final TrackInit init;
    final Sender sender;
    final Receiver receiver;
    private volatile String mid;
    private volatile Direction direction;
    private volatile Direction currentDirection;
    volatile Negotiated negotiated;
    /** Whether {@code addTrack} has used this transceiver's sender (W3C: the sender has had a track). */
    boolean hasTrack;
    /** Whether {@code onTrack} fired for the remote's current sending state. */
    boolean trackFired;
    String remoteTrackId;
    java.util.List<String> remoteStreamIds = java.util.List.of();

    /** Our receive codec per payload type (null where none), and the payload type each RTX type repairs (-1). */
    final RtpCodec[] receiveByPt = new RtpCodec[128];
    final int[] rtxApt = new int[128];

    Transceiver(MediaEngine engine, MediaKind kind, TrackInit init, String mid, long ssrc, long rtxSsrc) {
        this.engine = engine;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.init = init;
        this.direction = init.direction();
        this.mid = mid;
        Arrays.fill(rtxApt, -1);
        this.sender = new Sender(engine, this, ssrc, rtxSsrc,
                init.streamId() != null ? init.streamId() : engine.randomToken(16),
                init.trackId() != null ? init.trackId() : engine.randomToken(16));
        this.receiver = new Receiver(engine, this);
    }

    @Override
    public String mid() {
        return mid;
    }

    void setMid(String mid) {
        this.mid = mid;
    }

    @Override
    public MediaKind kind() {
        return kind;
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public void setDirection(Direction d) {
        Objects.requireNonNull(d, "direction");
        engine.onLoop(() -> {
            if (direction != d) {
                direction = d;
                engine.negotiationNeeded();
            }
        });
    }

    /** Sets the direction without asking for negotiation (addTrack does its own asking). Loop only. */
    void directionInternal(Direction d) {
        direction = d;
    }

    @Override
    public Direction currentDirection() {
        return currentDirection;
    }

    @Override
    public RtpSender sender() {
        return sender;
    }

    @Override
    public RtpReceiver receiver() {
        return receiver;
    }

    /** The concrete sender, for the peer and for tests (loss seam). */
    public Sender senderImpl() {
        return sender;
    }

    /** The engine this transceiver belongs to (internal: for the peer and for tests' loss seams). */
    public MediaEngine engine() {
        return engine;
    }

    /** What the last completed offer/answer negotiated, or null (for tests and diagnostics). */
    public Negotiated negotiatedForTest() {
        return negotiated;
    }

    /** Installs the outcome of a completed offer/answer. Loop only. */
    void apply(Negotiated n, long now) {
        negotiated = n;
        currentDirection = n.direction();
        Arrays.fill(receiveByPt, null);
        Arrays.fill(rtxApt, -1);
        for (RtpCodec c : n.receiveCodecs()) {
            receiveByPt[c.payloadType()] = c;
        }
        n.receiveRtx().forEach((rtx, apt) -> rtxApt[rtx] = apt);
        remoteStreamIds = n.remoteStreamIds();
        remoteTrackId = n.remoteTrackId();
        sender.apply(n, now);
        receiver.apply(n);
    }

    /** Whether the negotiated direction lets us receive. */
    boolean receiving() {
        Negotiated n = negotiated;
        return n != null && n.direction().receives();
    }

    /** The receive clock rate: the first negotiated receive codec's, else the kind's usual one. */
    int receiveClockRate() {
        Negotiated n = negotiated;
        return n != null && !n.receiveCodecs().isEmpty() ? n.receiveCodecs().get(0).clockRate() : kind.defaultClockRate();
    }

    /** The local description of this transceiver, for building m-sections. */
    MediaSdp.Local local() {
        return new MediaSdp.Local(mid, kind, direction, init.codecsFor(kind), init.rtx(), sender.streamId(),
                sender.trackId(), sender.ssrc(), sender.rtxSsrc(), engine.cname(), negotiated);
    }

    @Override
    public String toString() {
        return "RtpTransceiver[mid=" + mid + ", " + kind + ", " + direction.sdpName() + ", current="
                + (currentDirection == null ? "none" : currentDirection.sdpName()) + "]";
    }
}
