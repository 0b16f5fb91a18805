package io.jrtc.perf.latency;

import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcSessionDescription;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The answerer's own part of a connection's setup, in one JVM: create a PeerConnection, hand over to its event loop,
 * then setRemoteDescription(offer) → createAnswer → setLocalDescription, as {@code jrtc echo} does for every offer.
 * No network peer: it separates the PeerConnection's cost from signaling and scheduling.
 *
 * <p>{@code java -cp perf/target/benchmarks.jar io.jrtc.perf.latency.AnswerPathTime <offer.sdp> [n]}, e.g. with
 * {@code peer/src/test/resources/sdp-corpus/pion3.1.56-offer-datachannel.sdp}. The second half of the runs is
 * reported (the first half warms the JIT).
 */
public final class AnswerPathTime {

    private AnswerPathTime() {
    }

    public static void main(String[] args) throws Exception {
        String offer = Files.readString(Path.of(args[0]));
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        Histogram create = new Histogram(3);
        Histogram hop = new Histogram(3);
        Histogram answer = new Histogram(3);
        try (PeerConnectionFactory f = new PeerConnectionFactory()) {
            RtcConfiguration cfg = RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress()).build();
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                PeerConnection pc = f.createPeerConnection(cfg);
                long t1 = System.nanoTime();
                CompletableFuture<Long> onLoop = new CompletableFuture<>();
                pc.execute(() -> onLoop.complete(System.nanoTime()));
                long t2 = onLoop.get(10, TimeUnit.SECONDS);
                pc.setRemoteDescription(RtcSessionDescription.offer(offer))
                        .thenCompose(v -> pc.createAnswer())
                        .thenCompose(a -> pc.setLocalDescription(a))
                        .get(10, TimeUnit.SECONDS);
                long t3 = System.nanoTime();
                pc.close();
                if (i >= n / 2) {
                    create.recordValue((t1 - t0) / 1000);
                    hop.recordValue((t2 - t1) / 1000);
                    answer.recordValue((t3 - t2) / 1000);
                }
            }
        }
        print("createPeerConnection", create);
        print("hand-over to the connection's loop", hop);
        print("setRemote + createAnswer + setLocal", answer);
    }

    private static void print(String what, Histogram h) {
        System.out.printf(Locale.ROOT, "%-38s n=%d p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms%n", what,
                h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3);
    }
}
