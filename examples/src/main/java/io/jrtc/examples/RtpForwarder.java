package io.jrtc.examples;

import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcPeerConnectionState;
import io.jrtc.peer.RtcStats;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpPacketEvent;
import io.jrtc.peer.media.RtpSender;
import io.jrtc.srtp.rtp.RtpPacket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTP forwarder, the core of an SFU: it receives a video stream on one PeerConnection ({@link #upstream()}) and
 * sends every packet on to another ({@link #downstream()}). jrtc has no codecs: media is opaque RTP, decrypted from
 * SRTP on the way in and encrypted again on the way out.
 *
 * <pre>
 * java -cp jrtc-examples.jar io.jrtc.examples.RtpForwarder [packets]
 * </pre>
 * runs {@link #run}: a source connection sends synthetic packets to the forwarder, which forwards them to a sink
 * connection; all four connections are in this process, over UDP on 127.0.0.1.
 *
 * <p>What it shows: {@code addTrack} on the sending side, {@code onTrack} and {@code RtpReceiver.onRtp} on the
 * receiving side, and {@link RtpSender#sendRtpPacket}, which takes a whole received packet and rewrites its SSRC and
 * sequence number into the forwarder's own outgoing stream (payload type, marker, timestamp and payload are kept;
 * gaps keep their spacing). A key frame request from downstream (PLI/FIR) is passed upstream with
 * {@code RtpReceiver.requestKeyFrame()}. {@code sendRtpPacket} keeps the payload type, so it must be negotiated
 * downstream with the same number: true here, where every connection offers jrtc's default codecs.
 *
 * <p>Threads: {@code onRtp} runs on the upstream connection's event loop; {@code sendRtpPacket} may be called from
 * any thread (from another loop it copies the packet and hops to the downstream connection's loop).
 */
public final class RtpForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(RtpForwarder.class);

    private final PeerConnection upstream;
    private final PeerConnection downstream;
    private final RtpSender out;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong notForwarded = new AtomicLong();

    /**
     * Forwards the video that arrives on {@code upstream} to {@code downstream}. Create it before negotiating either:
     * it adds the outgoing video track to {@code downstream} and listens for the incoming one on {@code upstream}.
     */
    public RtpForwarder(PeerConnection upstream, PeerConnection downstream) {
        this.upstream = upstream;
        this.downstream = downstream;
        this.out = downstream.addTrack(MediaKind.VIDEO);
        upstream.onTrack(track -> {
            LOG.info("forwarder: upstream track {} (mid {})", track.trackId(), track.transceiver().mid());
            out.onKeyFrameRequest(request -> track.receiver().requestKeyFrame());
            track.receiver().onRtp(this::forward);
        });
    }

    /** Called on the upstream loop for every packet; the event is valid during the call only. */
    private void forward(RtpPacketEvent event) {
        RtpPacket packet = event.packet();
        if (out.sendRtpPacket(ByteBuffer.wrap(packet.buffer(), packet.offset(), packet.length()))) {
            forwarded.incrementAndGet();
        } else {
            notForwarded.incrementAndGet();    // downstream not negotiated or not connected yet
        }
    }

    public PeerConnection upstream() {
        return upstream;
    }

    public PeerConnection downstream() {
        return downstream;
    }

    /** Packets handed to the downstream sender. */
    public long forwarded() {
        return forwarded.get();
    }

    /** Packets the downstream sender refused (before it could send). */
    public long notForwarded() {
        return notForwarded.get();
    }

    // ------------------------------------------------------------------ a runnable demonstration

    /** One packet as the sink received it. */
    public record Received(int sequenceNumber, long timestamp, int payloadType, byte[] payload, boolean retransmitted) {
    }

    /**
     * What {@link #run} saw.
     *
     * @param sent         packets the source's sender accepted
     * @param forwarded    packets the forwarder handed downstream
     * @param notForwarded packets the forwarder's downstream sender refused
     * @param received     what the sink got, in arrival order
     * @param sinkStats     the sink's {@code inbound-rtp} statistics (W3C {@code getStats}) at the end
     */
    public record Report(int sent, long forwarded, long notForwarded, List<Received> received,
            RtcStats.InboundRtp sinkStats) {
    }

    /** The synthetic payload of packet {@code i}: its index, then bytes derived from it. */
    public static byte[] payload(int i) {
        byte[] b = new byte[4 + 200 + i % 100];
        ByteBuffer.wrap(b).putInt(i);
        for (int j = 4; j < b.length; j++) {
            b[j] = (byte) (i * 31 + j);
        }
        return b;
    }

    /** RTP timestamp step between the source's packets: 1 ms at VP8's 90 kHz clock. */
    public static final int TIMESTAMP_STEP = 90;

    /**
     * Source → forwarder → sink, all on 127.0.0.1: sends {@code packets} packets of {@link #payload} from the source,
     * one per millisecond, and returns when the sink has them all, or when {@code timeout} is over.
     */
    public static Report run(int packets, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        RtcConfiguration config = RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress()).build();
        try (PeerConnectionFactory factory = new PeerConnectionFactory()) {
            PeerConnection source = factory.createPeerConnection(config);
            PeerConnection sink = factory.createPeerConnection(config);
            RtpForwarder forwarder = new RtpForwarder(factory.createPeerConnection(config),
                    factory.createPeerConnection(config));
            try {
                ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
                CompletableFuture<Void> all = new CompletableFuture<>();
                sink.onTrack(track -> track.receiver().onRtp(p -> {
                    received.add(new Received(p.sequenceNumber(), p.timestamp(), p.payloadType(), p.payloadCopy(),
                            p.retransmitted()));
                    if (received.size() == packets) {
                        all.complete(null);
                    }
                }));
                RtpSender video = source.addTrack(MediaKind.VIDEO);

                // Downstream first, so that nothing the forwarder gets finds its outgoing stream unready.
                CompletableFuture<Void> downstreamUp = connected(forwarder.downstream());
                InProcess.negotiate(forwarder.downstream(), sink, deadline);
                downstreamUp.get(InProcess.remaining(deadline), TimeUnit.NANOSECONDS);
                CompletableFuture<Void> sourceUp = connected(source);
                InProcess.negotiate(source, forwarder.upstream(), deadline);
                sourceUp.get(InProcess.remaining(deadline), TimeUnit.NANOSECONDS);

                // The source: one packet per millisecond, sent on its own loop (no thread hop per packet).
                AtomicInteger next = new AtomicInteger();
                AtomicInteger sent = new AtomicInteger();
                AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
                task.set(source.eventLoop().scheduleAtFixedRate(() -> {
                    int i = next.getAndIncrement();
                    if (i >= packets) {
                        ScheduledFuture<?> self = task.get();
                        if (self != null) {
                            self.cancel(false);
                        }
                        return;
                    }
                    if (video.sendRtp("VP8", (long) i * TIMESTAMP_STEP, true, ByteBuffer.wrap(payload(i)))) {
                        sent.incrementAndGet();
                    }
                }, 0, 1, TimeUnit.MILLISECONDS));
                try {
                    all.get(InProcess.remaining(deadline), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    LOG.warn("sink got {} of {} packets within the timeout", received.size(), packets);
                } finally {
                    task.get().cancel(false);
                }
                RtcStats.InboundRtp stats = sink.getStats().get(InProcess.remaining(deadline), TimeUnit.NANOSECONDS)
                        .first(RtcStats.InboundRtp.class).orElse(null);
                return new Report(sent.get(), forwarder.forwarded(), forwarder.notForwarded(),
                        new ArrayList<>(received), stats);
            } finally {
                source.close();
                forwarder.upstream().close();
                forwarder.downstream().close();
                sink.close();
            }
        }
    }

    private static CompletableFuture<Void> connected(PeerConnection pc) {
        CompletableFuture<Void> up = new CompletableFuture<>();
        pc.onConnectionStateChange(s -> {
            if (s == RtcPeerConnectionState.CONNECTED) {
                up.complete(null);      // SRTP keys are in place from here on: senders can send
            } else if (s == RtcPeerConnectionState.FAILED) {
                up.completeExceptionally(new IllegalStateException("connection failed"));
            }
        });
        return up;
    }

    /** {@code [packets]} (default 1000): runs the demonstration and prints what arrived. */
    public static void main(String[] args) throws Exception {
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Report r = run(packets, Duration.ofSeconds(60));
        long repaired = r.received().stream().filter(Received::retransmitted).count();
        System.out.printf("sent %d, forwarded %d, received %d (%d repaired by retransmission); sink's stats: %s%n",
                r.sent(), r.forwarded(), r.received().size(), repaired, r.sinkStats());
    }
}
