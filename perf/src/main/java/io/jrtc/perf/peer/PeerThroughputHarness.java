package io.jrtc.perf.peer;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcStats;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full-stack throughput on one data channel, Java to Java over loopback UDP: ICE, DTLS (AES-128-GCM) and SCTP, reliable
 * and ordered. The sender keeps up to 4 MiB queued (refilled on {@code onBufferedAmountLow}); the receiver counts
 * payload bytes. Reports goodput for 64 KiB messages and messages per second for 1 KiB messages, each over a fixed
 * period after a warm-up period.
 *
 * <pre>java -cp perf/target/benchmarks.jar io.jrtc.perf.peer.PeerThroughputHarness [seconds=10] [warmupSeconds=5] [loops=2]</pre>
 */
public final class PeerThroughputHarness {

    private static final Logger LOG = LoggerFactory.getLogger(PeerThroughputHarness.class);

    private PeerThroughputHarness() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int loops = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        try (PeerConnectionFactory factory = new PeerConnectionFactory(loops)) {
            for (int size : new int[] {64 * 1024, 1024}) {
                run(factory, size, warmup, seconds);
            }
        }
    }

    private static void run(PeerConnectionFactory factory, int size, int warmup, int seconds) throws Exception {
        try (LoopbackPeers p = new LoopbackPeers(factory)) {
            AtomicLong bytes = new AtomicLong();
            AtomicLong messages = new AtomicLong();
            LoopbackPeers.Channel c = p.connect("bulk", 10);
            DataChannel ch = c.near();
            p.answerer.execute(() -> c.far().onMessage(m -> {
                bytes.addAndGet(m.size());
                messages.incrementAndGet();
            }));
            byte[] payload = new byte[size];
            CompletableFuture<Void> stop = new CompletableFuture<>();
            Runnable pump = () -> {
                while (!stop.isDone() && ch.bufferedAmount() < 4 * 1024 * 1024) {
                    ch.send(ByteBuffer.wrap(payload));
                }
            };
            p.offerer.execute(() -> {
                ch.setBufferedAmountLowThreshold(2 * 1024 * 1024);
                ch.onBufferedAmountLow(pump);
                pump.run();
            });
            Thread.sleep(warmup * 1000L);
            long b0 = bytes.get();
            long m0 = messages.get();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long b1 = bytes.get();
            long m1 = messages.get();
            long t1 = System.nanoTime();
            stop.complete(null);
            double secs = (t1 - t0) / 1e9;
            double mbps = (b1 - b0) / secs / 1e6;
            double mps = (m1 - m0) / secs;
            RtcStats.SctpTransport sctp = p.offerer.getStats().get(5, TimeUnit.SECONDS).first(RtcStats.SctpTransport.class).orElseThrow();
            String line = String.format("jrtc-throughput message=%d B: %.1f MB/s goodput, %.0f messages/s over %.1f s "
                    + "(sender SCTP: cwnd %d, srtt %.2f ms, retransmitted chunks %d)", size, mbps, mps, secs,
                    sctp.congestionWindow(), sctp.smoothedRoundTripTime() * 1e3, sctp.retransmittedChunks());
            LOG.info(line);
            System.out.println(line);
        }
    }
}
