package io.jrtc.perf.media;

import io.jrtc.dtls.DtlsConfig;
import io.jrtc.common.SrtpProfile;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcStats;
import io.jrtc.peer.RtcStatsReport;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpSender;
import io.jrtc.peer.media.TrackInit;
import io.jrtc.srtp.rtp.RtpPacket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End to end over real UDP on 127.0.0.1: a PeerConnection B receives RTP from A, decrypts it, and forwards every packet
 * back to A on its own sender (new SSRC, rewritten sequence numbers and timestamps, re-encrypted), as a forwarding
 * server does. A sends VP8-shaped packets at a fixed offered rate, paced every millisecond on its event loop; A counts
 * what comes back. For each offered rate the harness prints what B received and forwarded per second and the loss.
 * A and B run on separate event loops of one factory (2 threads), in one JVM: on a 2-core machine the sender, the
 * forwarder and the kernel's loopback share the cores.
 *
 * <pre>java -cp perf/target/benchmarks.jar io.jrtc.perf.media.MediaForwardHarness [seconds=5] [payload=1100] [profile=AEAD_AES_128_GCM] [rates=20000,50000,100000,150000]</pre>
 */
public final class MediaForwardHarness {

    private MediaForwardHarness() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int payload = args.length > 1 ? Integer.parseInt(args[1]) : 1100;
        SrtpProfile profile = args.length > 2 ? SrtpProfile.valueOf(args[2]) : SrtpProfile.AEAD_AES_128_GCM;
        String[] rates = (args.length > 3 ? args[3] : "20000,50000,100000,150000").split(",");
        System.out.printf("payload %d B, %s, %d s per rate%n", payload, profile, seconds);
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2)) {
            // JIT warm-up on a connection of its own, not reported.
            run(factory, 20_000, payload, profile, 3, false);
            for (String r : rates) {
                run(factory, Integer.parseInt(r.trim()), payload, profile, seconds, true);
            }
        }
    }

    private static void run(PeerConnectionFactory factory, int rate, int payload, SrtpProfile profile, int seconds, boolean report)
            throws Exception {
        RtcConfiguration cfg = RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress())
                .dtlsTuning(DtlsConfig.builder().srtpProfiles(profile).build()).build();
        PeerConnection a = factory.createPeerConnection(cfg);
        PeerConnection b = factory.createPeerConnection(cfg);
        a.onIceCandidate(b::addIceCandidate);
        b.onIceCandidate(a::addIceCandidate);
        AtomicLong back = new AtomicLong();
        AtomicLong received = new AtomicLong();
        AtomicLong forwarded = new AtomicLong();
        RtpSender[] loopSender = new RtpSender[1];
        try {
            RtpSender send = a.addTrack(MediaKind.VIDEO, TrackInit.builder().rtx(false).build());
            b.onTrack(e -> {
                RtpSender loop = b.addTrack(MediaKind.VIDEO, TrackInit.builder().rtx(false).build());
                loopSender[0] = loop;
                e.receiver().onRtp(ev -> {
                    received.incrementAndGet();
                    RtpPacket p = ev.packet();
                    if (loop.sendRtpPacket(ByteBuffer.wrap(p.buffer(), p.offset(), p.length()))) {
                        forwarded.incrementAndGet();
                    }
                });
            });
            a.onTrack(e -> e.receiver().onRtp(ev -> back.incrementAndGet()));
            a.createOffer().thenCompose(o -> a.setLocalDescription(o).thenApply(v -> o))
                    .thenCompose(b::setRemoteDescription).thenCompose(v -> b.createAnswer())
                    .thenCompose(ans -> b.setLocalDescription(ans).thenApply(v -> ans))
                    .thenCompose(a::setRemoteDescription).get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(send.canSend() && loopSender[0] != null && loopSender[0].canSend()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            byte[] pl = new byte[payload];
            pl[0] = 0x10;
            pl[1] = 0x51;
            ByteBuffer frame = ByteBuffer.wrap(pl);
            long[] sent = {0};
            long[] ts = {0};
            long start = System.nanoTime();
            ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
            // Paced: every millisecond, catch up to rate * elapsed.
            CompletableFuture<Void> scheduled = new CompletableFuture<>();
            a.execute(() -> {
                task[0] = a.eventLoop().scheduleAtFixedRate(() -> {
                    long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                    while (sent[0] < due) {
                        ts[0] += 90;
                        send.sendRtp(96, ts[0], true, frame);
                        sent[0]++;
                    }
                }, 0, 1, TimeUnit.MILLISECONDS);
                scheduled.complete(null);
            });
            scheduled.get(5, TimeUnit.SECONDS);
            Thread.sleep(1000);
            long in0 = received.get();
            long back0 = back.get();
            long fwd0 = forwarded.get();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long t1 = System.nanoTime();
            long back1 = back.get();
            long fwd1 = forwarded.get();
            long in1 = received.get();
            RtcStatsReport b1 = b.getStats().get(5, TimeUnit.SECONDS);
            a.eventLoop().submit(() -> task[0].cancel(false)).get(5, TimeUnit.SECONDS);
            double secs = (t1 - t0) / 1e9;
            RtcStats.InboundRtp bin = inbound(b1);
            double receivedRate = (in1 - in0) / secs;
            double forwardRate = (fwd1 - fwd0) / secs;
            double backRate = (back1 - back0) / secs;
            if (report) {
                System.out.printf("offered %,7d pps: B received %,9.0f pps, forwarded %,9.0f pps, A got back %,9.0f pps (%.2f%% of"
                        + " offered; B's RFC 3550 cumulative loss since the start %d; connection %s/%s)%n", rate, receivedRate,
                        forwardRate, backRate, 100.0 * backRate / rate, bin.packetsLost(), a.connectionState(), b.connectionState());
            }
        } finally {
            a.close();
            b.close();
        }
    }

    private static RtcStats.InboundRtp inbound(RtcStatsReport r) {
        return r.all(RtcStats.InboundRtp.class).stream().findFirst()
                .orElse(new RtcStats.InboundRtp("", 0, "video", null, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }
}
