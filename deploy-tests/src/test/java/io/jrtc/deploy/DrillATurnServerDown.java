package io.jrtc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.cli.AgentConfig;
import io.jrtc.cli.ClientAgent;
import io.jrtc.cli.EchoAgent;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.ice.IceCandidatePair;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcStats;
import io.jrtc.peer.RtcStatsReport;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import io.jrtc.testkit.Coturn;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover drill A (issue 11 §4): a TURN server dies under a relayed link.
 *
 * <p>Two coturn processes with the same TURN REST secret; a signaling server that hands out both URLs (first, then
 * second) with REST credentials; an {@link EchoAgent} and a {@link ClientAgent}, both relay-only. The link runs
 * through the first TURN server (ICE prefers TURN servers in the configured order). While the client sends a numbered
 * message every 10 ms on a reliable ordered data channel and checks every echo, the first coturn is killed with
 * SIGKILL. The product recovers by itself: consent checks stop being answered, ICE goes {@code disconnected}, the
 * client agent restarts ICE through signaling, and the new generation selects the pair through the second TURN
 * server. Asserted: the link is on the second server and echoes flow within 10 s of the kill; every message echoed
 * exactly once, in order; the first echo follows the new pair within 1 s (SCTP retransmits on the path change); a
 * new relay-only link opens through the second server while the first is still dead. Measured (printed as {@code DRILL A}): the kill to the first echo after the outage, and the
 * longest pause between echoes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DrillATurnServerDown {

    private static final Logger LOG = LoggerFactory.getLogger(DrillATurnServerDown.class);
    private static final String SECRET = "drill-a-turn-rest-secret";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<AutoCloseable> owned = new ArrayList<>();

    @AfterEach
    void close() {
        for (AutoCloseable c : owned.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing {}: {}", c, e.toString());
            }
        }
    }

    private <T extends AutoCloseable> T own(T c) {
        owned.add(c);
        return c;
    }

    @Test
    void aKilledTurnServersLinksMoveToTheSecondWithin10sAndNoReliableMessageIsLost() throws Exception {
        Coturn first = own(Coturn.restApi("drill-a-first", SECRET));
        Coturn second = own(apartFrom(first));
        assertThat(overlap(first, second)).as("relay port ranges apart").isFalse();
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().bindHost("127.0.0.1").port(0)
                .turnUrls(List.of(first.url("udp"), second.url("udp"))).turnSecret(SECRET)
                .drainTimeout(Duration.ofSeconds(1)).build());
        owned.add(server::abort);
        server.start().get(20, TimeUnit.SECONDS);
        URI ws = URI.create("ws://127.0.0.1:" + server.boundPort() + "/ws");
        PeerConnectionFactory factory = own(new PeerConnectionFactory(2));

        EchoAgent echo = own(new EchoAgent(agent(ws, "a-echo"), factory));
        echo.start().get(20, TimeUnit.SECONDS);
        ClientAgent client = own(new ClientAgent(agent(ws, "a-client"), factory));
        client.start().get(20, TimeUnit.SECONDS);
        ClientAgent.Session s = client.connect("a-echo", Duration.ofSeconds(30));
        PeerConnection pc = s.peerConnection();
        DataChannel ch = s.channel();

        // The relayed link runs through the first TURN server. Usually both relay candidates of the pair are its
        // allocations. The controlling client nominates the best pair that succeeded within 100 ms of the first: on a
        // loaded machine the echo's allocation on the first server (or the check to it) can come later, and the pair
        // has the client's first-server relay and the echo's second-server relay. Either way the kill breaks it.
        assertThat(Agents.await(Duration.ofSeconds(5), () -> through(pc, first))).as("selected pair through the first TURN server: %s",
                pc.selectedCandidatePair()).isTrue();
        LOG.info("drill A: the link runs through {} ({})", on(pc, first) ? "the first TURN server only"
                : "both TURN servers", pc.selectedCandidatePair().orElseThrow());

        ConcurrentLinkedQueue<Integer> echoes = new ConcurrentLinkedQueue<>();
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        pc.execute(() -> ch.onMessage(m -> {
            arrivals.add(System.nanoTime());
            echoes.add(Integer.parseInt(m.text()));
        }));
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        long killedAt;
        long movedAt;
        try {
            pacer.scheduleAtFixedRate(() -> pc.execute(() -> ch.send(Integer.toString(sent.getAndIncrement()))),
                    0, 10, TimeUnit.MILLISECONDS);
            assertThat(Agents.await(Duration.ofSeconds(5), () -> echoes.size() > 100)).isTrue();

            LOG.info("drill A: SIGKILL to the first TURN server ({}); {} echoes so far", first.address(), echoes.size());
            killedAt = System.nanoTime();
            kill(first);
            assertThat(Agents.await(Duration.ofSeconds(10), () -> on(pc, second)))
                    .as("the link moved to the second TURN server within 10 s; now %s", pc.selectedCandidatePair()).isTrue();
            movedAt = System.nanoTime();
            int atMove = echoes.size();
            assertThat(Agents.await(Duration.ofMillis(Math.max(1, 10_000 - (System.nanoTime() - killedAt) / 1_000_000)),
                    () -> echoes.size() > atMove + 10)).as("echoes over the second TURN server within 10 s of the kill").isTrue();
            double movedSeconds = (System.nanoTime() - killedAt) / 1e9;
            assertThat(movedSeconds).isLessThan(10.0);
            assertThat(s.iceRestarts()).as("ICE restarts by the client agent").isGreaterThanOrEqualTo(1);
            // After the restart every candidate pair is new: what they carried through the second server, they
            // carried after the kill.
            long toSecond = packetsSentThrough(pc, second);
            assertThat(toSecond).as("datagrams sent through the second TURN server after the kill").isGreaterThan(10);
            assertThat(Agents.await(Duration.ofSeconds(3), () -> echoes.size() > atMove + 200)).isTrue();
        } finally {
            pacer.shutdownNow();
            pacer.awaitTermination(5, TimeUnit.SECONDS);
        }
        // Sends already queued on the connection's loop run before this task: it reads the final count.
        java.util.concurrent.CompletableFuture<Integer> sentInTotal = new java.util.concurrent.CompletableFuture<>();
        pc.execute(() -> sentInTotal.complete(sent.get()));
        int total = sentInTotal.get(5, TimeUnit.SECONDS);
        assertThat(Agents.await(Duration.ofSeconds(15), () -> echoes.size() >= total))
                .as("every message echoed (%d sent)", total).isTrue();
        List<Integer> got = new ArrayList<>(echoes);
        assertThat(got).as("nothing duplicated").hasSize(total);
        for (int i = 0; i < total; i++) {
            assertThat(got.get(i)).as("echo %d", i).isEqualTo(i);
        }

        // The outage: the longest pause between echoes, and when the first echo after it came.
        long maxGap = 0;
        long resumedAt = 0;
        for (int i = 1; i < arrivals.size(); i++) {
            long gap = arrivals.get(i) - arrivals.get(i - 1);
            if (arrivals.get(i) > killedAt && gap > maxGap) {
                maxGap = gap;
                resumedAt = arrivals.get(i);
            }
        }
        double recovery = (resumedAt - killedAt) / 1e9;
        double moved = (movedAt - killedAt) / 1e9;
        System.out.printf(Locale.ROOT, "DRILL A link on the second TURN server %.3f s after the kill (seen by polling), "
                + "first echo after the kill %.3f s; longest pause %.3f s; %d sent, %d echoed once in order; %d ICE "
                + "restart(s)%n", moved, recovery, maxGap / 1e9, total, got.size(), s.iceRestarts());
        assertThat(recovery).as("kill to the first echo over the second TURN server (s)").isLessThan(10.0);
        // SCTP is told the path changed, so it does not wait for its backed-off T3-rtx timer (up to 6.4 s).
        assertThat(recovery - moved).as("from the new pair to the first echo (s)").isLessThan(1.0);

        // A new link while the first server is still dead: its allocation there times out, the second server's
        // relay candidates trickle meanwhile, and the link comes up through the second without waiting for the first.
        ClientAgent late = own(new ClientAgent(agent(ws, "a-late"), factory));
        late.start().get(20, TimeUnit.SECONDS);
        ClientAgent.Session s2 = late.connect("a-echo", Duration.ofSeconds(20));
        assertThat(Agents.await(Duration.ofSeconds(5), () -> on(s2.peerConnection(), second))).isTrue();
        s2.ping(20, 64, false, Duration.ofSeconds(10));
        System.out.printf(Locale.ROOT, "DRILL A a new relayed link with the first TURN server dead: data channel open "
                + "after %.3f s%n", s2.setupTime().toNanos() / 1e9);
        assertThat(s2.setupTime()).isLessThan(Duration.ofSeconds(10));
    }

    private static AgentConfig agent(URI ws, String id) {
        return AgentConfig.builder(ws, id).relayOnly(true).addBindAddress(LOOPBACK).build();
    }

    /**
     * Data packets sent on the candidate pairs whose local candidate is an allocation on {@code turn}: every one of
     * them left as a datagram to that TURN server (ChannelData or a Send indication).
     */
    private static long packetsSentThrough(PeerConnection pc, Coturn turn) throws Exception {
        RtcStatsReport r = pc.getStats().get(5, TimeUnit.SECONDS);
        long sent = 0;
        for (RtcStats st : r.stats().values()) {
            if (st instanceof RtcStats.CandidatePair pair
                    && r.stats().get(pair.localCandidateId()) instanceof RtcStats.IceCandidate local
                    && local.candidateType().equals("relay") && relayedBy(local.port(), turn)) {
                sent += pair.packetsSent();
            }
        }
        return sent;
    }

    /** Whether the selected pair's local and remote relay candidates are both allocations on {@code turn}. */
    private static boolean on(PeerConnection pc, Coturn turn) {
        Optional<IceCandidatePair> p = pc.selectedCandidatePair();
        return p.isPresent() && relayedBy(p.get().local().port(), turn) && relayedBy(p.get().remote().port(), turn);
    }

    /** Whether the selected pair's local or remote relay candidate is an allocation on {@code turn}. */
    private static boolean through(PeerConnection pc, Coturn turn) {
        Optional<IceCandidatePair> p = pc.selectedCandidatePair();
        return p.isPresent() && (relayedBy(p.get().local().port(), turn) || relayedBy(p.get().remote().port(), turn));
    }

    /** A second coturn whose (random) relay port range does not overlap {@code first}'s. */
    private static Coturn apartFrom(Coturn first) throws Exception {
        Coturn c = Coturn.restApi("drill-a-second", SECRET);
        for (int i = 0; i < 5 && overlap(first, c); i++) {
            c.close();
            c = Coturn.restApi("drill-a-second", SECRET);
        }
        return c;
    }

    private static boolean overlap(Coturn a, Coturn b) {
        return a.minRelayPort() <= b.maxRelayPort() && b.minRelayPort() <= a.maxRelayPort();
    }

    private static boolean relayedBy(int port, Coturn turn) {
        return port >= turn.minRelayPort() && port <= turn.maxRelayPort();
    }

    /** SIGKILL to the turnserver process (its pid file), and waits until it is gone. */
    private static void kill(Coturn turn) throws Exception {
        long pid = Long.parseLong(Files.readString(turn.directory().resolve("turn.pid")).trim());
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no turnserver process " + pid));
        assertThat(h.info().command().orElse("")).endsWith("turnserver");
        assertThat(h.destroyForcibly()).isTrue();
        h.onExit().get(5, TimeUnit.SECONDS);
    }
}
