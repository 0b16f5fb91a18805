package io.jrtc.cli.soak;

import io.jrtc.testkit.soak.EchoProcess;
import io.jrtc.testkit.soak.ProcessProbe;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.cli.AgentConfig;
import io.jrtc.cli.ClientAgent;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection churn against a real {@code ./jrtc echo} process (a separate JVM, started by the launcher on the packaged
 * jar, so this class runs in the integration-test phase): {@value #DEFAULT_CYCLES} connect, exchange, close cycles. Each
 * cycle is a new PeerConnection that offers through a jrtc signaling server (in this JVM), opens a channel, echoes
 * three text and three binary messages with every echo's bytes checked, and closes with a {@code bye}. Most cycles come
 * from {@link ClientAgent}s in this JVM ({@value #DEFAULT_JAVA_WORKERS} at a time); stock Pion, a foreign stack in its
 * own process and network namespace ({@link PionOfferer}), runs cycles alongside them, so part of the churn goes
 * through another stack's ICE, DTLS and SCTP. Without root or Pion the cycles are all Java (and with
 * {@code JRTC_REQUIRE_INTEROP=1}, as in CI, that is a failure instead).
 *
 * <p>Every {@value #CHECKPOINT} cycles the workers pause and the echo process is sampled ({@link ProcessProbe}): heap
 * used after a full GC, threads, file descriptors, UDP sockets. The first two samples are warm-up; after them each
 * figure must pass {@link Growth}'s rule (no growth in three quarters of the windows beyond a trend bound, no growth
 * beyond a hard bound). At the end the echo process must be back to the UDP sockets it had before the first cycle and
 * say on SIGTERM that it had no peer connection left to close. The curve is logged either way.
 *
 * <p>{@code -Djrtc.soak.cycles=N} runs fewer cycles locally (at least 2,500: the rule needs windows after warm-up).
 */
@Timeout(value = 9, unit = TimeUnit.MINUTES) // 10,000 cycles: 226 s (45 cycles/s) to 343 s measured on the shared 2-core machine
class ChurnThroughAnEchoProcessGrowsNothing {

    private static final Logger LOG = LoggerFactory.getLogger(ChurnThroughAnEchoProcessGrowsNothing.class);
    private static final int DEFAULT_CYCLES = 10_000;
    private static final int DEFAULT_JAVA_WORKERS = 3;
    private static final int CHECKPOINT = 500;
    private static final int CYCLES = Integer.getInteger("jrtc.soak.cycles", DEFAULT_CYCLES);
    private static final int JAVA_WORKERS = Integer.getInteger("jrtc.soak.workers", DEFAULT_JAVA_WORKERS);
    private static final Duration T = Duration.ofSeconds(20);
    /** The repository root: surefire runs in {@code cli/}. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static final List<Growth> RULES = List.of(
            new Growth("heap", "MiB", 2, 4, 16),
            new Growth("threads", "", 2, 3, 10),
            new Growth("fds", "", 2, 3, 10),
            new Growth("udp", "", 2, 2, 4));

    @Test
    void connectExchangeCloseCyclesLeaveNoGrowingHeapThreadsDescriptorsOrSockets() throws Exception {
        assertThat(ROOT.resolve("cli/target/jrtc.jar")).as("the packaged jar").exists();
        assertThat(CYCLES).as("cycles (the rule needs windows after warm-up)").isGreaterThanOrEqualTo(5 * CHECKPOINT);
        String pionMissing = RemotePeer.unavailableReason(RemotePeer.Kind.PION);
        if (pionMissing != null) {
            Interop.require("pion (the churn's foreign offerer)", Interop.required() ? pionMissing : null);
            LOG.warn("churn without Pion (all cycles from this JVM): {}", pionMissing);
        }
        try (PrivateNetwork net = pionMissing == null ? PrivateNetwork.create() : null) {
            InetAddress bind = net != null ? net.hostAddress() : InetAddress.getLoopbackAddress();
            run(net, bind);
        }
    }

    private void run(PrivateNetwork net, InetAddress bind) throws Exception {
        String host = bind.getHostAddress();
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().bindHost(host).port(0)
                .drainTimeout(Duration.ofSeconds(2)).build());
        int port = server.start().get(20, TimeUnit.SECONDS);
        URI ws = URI.create("ws://" + host + ":" + port + "/ws");
        PeerConnectionFactory factory = new PeerConnectionFactory(2);
        List<ClientAgent> agents = new ArrayList<>();
        PionOfferer pion = null;
        ExecutorService pool = Executors.newFixedThreadPool(JAVA_WORKERS + 1);
        Path dir = Path.of("target", "soak", "echo-" + ProcessHandle.current().pid());
        EchoProcess echo = EchoProcess.start(ROOT, ws.toString(), "echo", host, dir, Duration.ofSeconds(60),
                List.of("--idle-warm-up", "0"));
        try {
            ProcessProbe probe = new ProcessProbe(echo.pid());
            ProcessProbe.Sample before = probe.sample();
            LOG.info("echo process {} before the first cycle: {}", echo.pid(), before);
            for (int w = 0; w < JAVA_WORKERS; w++) {
                ClientAgent a = new ClientAgent(AgentConfig.builder(ws, "churn-" + w).addBindAddress(bind).build(), factory);
                agents.add(a);
                a.start().get(10, TimeUnit.SECONDS);
            }
            if (net != null) {
                pion = new PionOfferer(net, ws, "pion", "echo", T);
            }
            AtomicInteger javaCycles = new AtomicInteger();
            AtomicInteger pionCycles = new AtomicInteger();
            AtomicInteger next = new AtomicInteger();
            List<double[]> rows = new ArrayList<>();
            List<Integer> at = new ArrayList<>();
            long t0 = System.nanoTime();
            long sampling = 0;
            for (int done = 0; done < CYCLES; done += CHECKPOINT) {
                int end = Math.min(CYCLES, done + CHECKPOINT);
                List<Callable<Void>> tasks = new ArrayList<>();
                for (ClientAgent a : agents) {
                    tasks.add(() -> {
                        for (int n = next.getAndIncrement(); n < end; n = next.getAndIncrement()) {
                            javaCycle(a);
                            javaCycles.incrementAndGet();
                        }
                        return null;
                    });
                }
                PionOfferer p = pion;
                if (p != null) {
                    tasks.add(() -> {
                        for (int n = next.getAndIncrement(); n < end; n = next.getAndIncrement()) {
                            p.cycle(n, T);
                            pionCycles.incrementAndGet();
                        }
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(tasks)) {
                    f.get(); // a failed cycle fails the test with its cause
                }
                next.set(end);
                long s0 = System.nanoTime();
                ProcessProbe.Sample s = probe.sample();
                sampling += System.nanoTime() - s0;
                at.add(end);
                rows.add(new double[] {s.heapMiB(), s.threads(), s.fds(), s.udpSockets()});
                LOG.info("churn: {} cycles ({} Java, {} Pion) after {} s: echo process {}", end, javaCycles.get(),
                        pionCycles.get(), String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9), s);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (ClientAgent a : agents) {
                a.close();
            }
            agents.clear();
            if (pion != null) {
                pion.close();
                pion = null;
            }
            // Every session ended with a bye: the echo agent closes its side; wait (bounded) until its sockets are back.
            ProcessProbe.Sample after = probe.sample();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (after.udpSockets() > before.udpSockets() && System.nanoTime() < deadline) {
                after = probe.sample();
            }
            String curve = Growth.table(at, List.of("heapMiB", "threads", "fds", "udp"),
                    List.of(Growth.column(rows, 0), Growth.column(rows, 1), Growth.column(rows, 2), Growth.column(rows, 3)));
            LOG.info("churn: {} cycles ({} Java, {} Pion) in {} s ({} cycles/s; sampling {} s of it); echo process before: {}; "
                            + "after closing everything: {}\n{}", CYCLES, javaCycles.get(), pionCycles.get(),
                    String.format(Locale.ROOT, "%.1f", seconds), String.format(Locale.ROOT, "%.1f", CYCLES / seconds),
                    String.format(Locale.ROOT, "%.1f", sampling / 1e9), before, after, curve);

            assertThat(javaCycles.get() + pionCycles.get()).isEqualTo(CYCLES);
            if (net != null) {
                assertThat(pionCycles.get()).as("cycles offered by Pion").isPositive();
            }
            List<String> verdicts = new ArrayList<>();
            List<String> leaks = new ArrayList<>();
            for (int i = 0; i < RULES.size(); i++) {
                Growth.Verdict v = RULES.get(i).judge(Growth.column(rows, i));
                verdicts.add(v.why());
                if (v.leaks()) {
                    leaks.add(v.why());
                }
            }
            LOG.info("churn verdicts:\n{}", String.join("\n", verdicts));
            String histogram = probe.histogram(25);
            long livePeerConnections = probe.liveInstances("io.jrtc.peer.PeerConnection");
            LOG.info("churn: what the echo process's heap holds after every cycle closed ({} PeerConnection objects):\n{}",
                    livePeerConnections, histogram);
            assertThat(leaks).as("figures of the echo process that grew with the churn; the curve:\n%s", curve).isEmpty();
            assertThat(after.udpSockets()).as("the echo process's UDP sockets after every cycle closed").isEqualTo(before.udpSockets());
            assertThat(after.fds()).as("its file descriptors").isLessThanOrEqualTo(before.fds() + 2);
            // Nothing may keep a closed connection reachable: a timer that is not cancelled on close (the echo agent's
            // 30 s connect timeout was one) keeps rate x delay connections, ~30 KB each, alive (675 after this churn).
            assertThat(livePeerConnections).as("PeerConnection objects still reachable in the echo process after every "
                    + "cycle closed; its heap:\n%s", histogram).isLessThanOrEqualTo(JAVA_WORKERS + 1);
        } finally {
            pool.shutdownNow();
            agents.forEach(ClientAgent::close);
            if (pion != null) {
                pion.close();
            }
            echo.close();
            factory.close();
            server.close();
        }
        assertThat(echo.process().exitValue()).as("the echo process's exit code on SIGTERM").isZero();
        assertThat(echo.err()).as("the echo process had no peer connection left").contains("echo echo: stopped (0 peer connections closed)");
    }

    /** One Java cycle: connect (offer through signaling, channel open), three text and three binary echoes checked byte for byte, close with bye. */
    private static void javaCycle(ClientAgent agent) throws Exception {
        try (ClientAgent.Session s = agent.connect("echo", T)) {
            assertThat(s.ping(3, 48, false, T).count()).isEqualTo(3);
            assertThat(s.ping(3, 700, true, T).count()).isEqualTo(3);
        }
    }
}
