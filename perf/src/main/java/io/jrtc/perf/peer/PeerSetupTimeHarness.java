package io.jrtc.perf.peer;

import com.fasterxml.jackson.databind.JsonNode;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection setup time, Java to Java over loopback UDP in a warm JVM: from {@code createOffer} until the data
 * channel is open on the offerer, over N sequential connections after a warm-up. Beside it, in the same run, the same
 * figure for Chromium to Chromium (two RTCPeerConnections in one headless Chromium inside a private network namespace),
 * when root and Chromium are available.
 *
 * <pre>java -cp perf/target/benchmarks.jar io.jrtc.perf.peer.PeerSetupTimeHarness [n=200] [warmup=50]</pre>
 */
public final class PeerSetupTimeHarness {

    private static final Logger LOG = LoggerFactory.getLogger(PeerSetupTimeHarness.class);

    private PeerSetupTimeHarness() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2)) {
            for (int i = 0; i < warmup; i++) {
                once(factory);
            }
            long[] samples = new long[n];
            for (int i = 0; i < n; i++) {
                samples[i] = once(factory);
            }
            Percentiles p = Percentiles.ofNanos(samples);
            LOG.info("jrtc Java-to-Java setup (createOffer -> channel open), loopback UDP, {} warm-up: {}", warmup, p);
            System.out.println("jrtc-setup " + p);
        }
        String why = RemotePeer.unavailableReason(RemotePeer.Kind.CHROMIUM);
        if (why != null) {
            System.out.println("chromium-setup skipped: " + why);
            return;
        }
        try (PrivateNetwork net = PrivateNetwork.create();
             HarnessServer harness = new HarnessServer(net.hostAddress());
             RemotePeer chromium = RemotePeer.chromium(net, harness.baseUrl() + "/page.html?mode=c2c-setup&n=" + (n + warmup),
                     false, List.of())) {
            JsonNode r = harness.awaitResult("c2c-setup", Duration.ofMinutes(5));
            if (r == null) {
                System.out.println("chromium-setup: no result (Chromium alive: " + chromium.isAlive() + ")");
                return;
            }
            // The page measures warm-up and measured connections together; its percentiles cover all of them.
            System.out.printf("chromium-setup n=%d p50=%.2f ms p95=%.2f ms p99=%.2f ms min=%.2f ms max=%.2f ms%n",
                    r.path("n").asInt(), r.path("p50").asDouble(), r.path("p95").asDouble(), r.path("p99").asDouble(),
                    r.path("min").asDouble(), r.path("max").asDouble());
        }
    }

    private static long once(PeerConnectionFactory factory) throws Exception {
        try (LoopbackPeers p = new LoopbackPeers(factory)) {
            DataChannel ch = p.offerer.createDataChannel("setup");
            CompletableFuture<Void> open = LoopbackPeers.opened(p.offerer, ch);
            long t0 = System.nanoTime();
            p.negotiate().get(10, TimeUnit.SECONDS);
            open.get(10, TimeUnit.SECONDS);
            return System.nanoTime() - t0;
        }
    }
}
