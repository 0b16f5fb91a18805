package io.jrtc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.cli.ClientAgent;
import io.jrtc.cli.EchoAgent;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.PeerConnection;
import io.jrtc.signaling.client.SignalingMessage;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover drills that need no mesh, on a deploy/local/up deployment, each with its recovery measured:
 * <ul>
 *   <li>B: a signaling instance is killed (SIGKILL); its agents reconnect through nginx to the other within 5 s, a
 *       data channel echo between agents keeps flowing with no loss, presence converges;</li>
 *   <li>F: redis-server is stopped for 20 s; each instance keeps relaying between its own agents, cross-instance
 *       relays get {@code backbone_unavailable}; after Redis returns, cross-instance relays and presence recover
 *       with no restart.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FailoverDrills {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverDrills.class);

    private LocalDeployment d;
    private Agents agents;

    @BeforeAll
    void up() throws Exception {
        LocalDeployment.requireTools();
        d = LocalDeployment.up();
        agents = new Agents(d);
    }

    @AfterAll
    void down() {
        if (agents != null) {
            agents.close();
        }
        if (d != null) {
            d.close();
        }
    }

    @Test
    @Order(1)
    void drillB_killedInstanceAgentsReconnectThroughNginxWithin5sAndDataNeverStops() throws Exception {
        EchoAgent echo = agents.echo("b-echo");
        String echoOn = agents.landing(() -> echo.start().get(20, TimeUnit.SECONDS));
        Agents.Placed placed = agents.clientAgentAwayFrom(echoOn, "b-client", c -> { });
        assertThat(placed.instance()).isNotEqualTo(echoOn);
        ClientAgent client = placed.agent();
        String clientOn = placed.instance();
        Agents.Client observer = agents.client("b-observer");
        observer.client().connect().get(20, TimeUnit.SECONDS);

        AtomicLong reRegisteredAt = new AtomicLong();
        AtomicInteger registrations = new AtomicInteger();
        client.onRegistered(r -> {
            if (registrations.incrementAndGet() > 1) {
                reRegisteredAt.compareAndSet(0, System.nanoTime());
            }
        });
        registrations.set(1);

        // A data channel echo: one numbered message every 10 ms; every echo is checked in order, arrival times kept.
        ClientAgent.Session s = client.connect("b-echo", Duration.ofSeconds(30));
        PeerConnection pc = s.peerConnection();
        DataChannel ch = s.channel();
        ConcurrentLinkedQueue<Integer> echoes = new ConcurrentLinkedQueue<>();
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        pc.execute(() -> ch.onMessage(m -> {
            echoes.add(Integer.parseInt(m.text()));
            arrivals.add(System.nanoTime());
        }));
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try {
            pacer.scheduleAtFixedRate(() -> pc.execute(() -> ch.send(Integer.toString(sent.getAndIncrement()))),
                    0, 10, TimeUnit.MILLISECONDS);
            assertThat(Agents.await(Duration.ofSeconds(5), () -> echoes.size() > 50)).isTrue();

            String pidBefore = Files.readString(d.state.resolve(Agents.other(clientOn) + ".pid")).trim();
            long killedAt = System.nanoTime();
            d.service("kill", clientOn);
            assertThat(Agents.await(Duration.ofSeconds(10), () -> reRegisteredAt.get() != 0))
                    .as("the client re-registered through nginx").isTrue();
            double reconnectSeconds = (reRegisteredAt.get() - killedAt) / 1e9;
            LOG.info("drill B: {} killed; its agent re-registered on {} after {} s", clientOn, Agents.other(clientOn),
                    String.format(Locale.ROOT, "%.2f", reconnectSeconds));
            System.out.printf(Locale.ROOT, "DRILL B reconnect %.3f s%n", reconnectSeconds);
            assertThat(reconnectSeconds).as("reconnect time (s)").isLessThan(5.0);
            assertThat(d.agentsOn(Agents.other(clientOn))).as("agents on the survivor").isGreaterThanOrEqualTo(2);

            // Presence converges: each agent sees the other two.
            assertThat(Agents.await(Duration.ofSeconds(10), () ->
                    client.presentAgents().containsAll(Set.of("b-echo", "b-observer"))
                            && observer.client().presentAgents().containsAll(Set.of("b-echo", client.agentId())))).isTrue();

            int echoesAtReconnect = echoes.size();
            assertThat(Agents.await(Duration.ofSeconds(5), () -> echoes.size() > echoesAtReconnect + 100)).isTrue();
            assertThat(Files.readString(d.state.resolve(Agents.other(clientOn) + ".pid")).trim())
                    .as("the survivor was not restarted").isEqualTo(pidBefore);
        } finally {
            pacer.shutdownNow();
            pacer.awaitTermination(5, TimeUnit.SECONDS);
        }
        int total = sent.get();
        assertThat(Agents.await(Duration.ofSeconds(10), () -> echoes.size() >= total)).isTrue();
        List<Integer> got = new ArrayList<>(echoes);
        for (int i = 0; i < total; i++) {
            assertThat(got.get(i)).as("echo %d", i).isEqualTo(i);
        }
        long maxGap = 0;
        for (int i = 1; i < arrivals.size(); i++) {
            maxGap = Math.max(maxGap, arrivals.get(i) - arrivals.get(i - 1));
        }
        System.out.printf(Locale.ROOT, "DRILL B data channel: %d sent, %d echoed, 0 lost, longest gap %.1f ms%n", total,
                got.size(), maxGap / 1e6);
        assertThat(maxGap).as("longest pause between echoes (ns)").isLessThan(TimeUnit.MILLISECONDS.toNanos(500));

        d.service("start", clientOn); // back to two instances for the next drill
    }

    @Test
    @Order(2)
    void drillF_redisDownFor20sThenBackRecoversCrossInstanceSignalingAndPresenceWithoutRestart() throws Exception {
        // Two agents on one instance (P, Q) and one on the other (R).
        // After drill B, nginx keeps the restarted instance marked failed for its fail_timeout (10 s): keep adding agents
        // (one every 500 ms) until both instances have some.
        Map<String, List<Agents.Client>> on = new HashMap<>();
        long placeBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        for (int i = 0; System.nanoTime() < placeBy; i++) {
            if (i >= 2) {
                TimeUnit.MILLISECONDS.sleep(500); // pacing of new connections, not a wait for a condition
            }
            Agents.Client c = agents.client("f-" + i);
            String inst = agents.landing(() -> c.client().connect().get(20, TimeUnit.SECONDS));
            on.computeIfAbsent(inst, k -> new ArrayList<>()).add(c);
            List<Agents.Client> one = on.getOrDefault("signaling-1", List.of());
            List<Agents.Client> two = on.getOrDefault("signaling-2", List.of());
            if (!one.isEmpty() && !two.isEmpty() && (one.size() >= 2 || two.size() >= 2)) {
                break;
            }
        }
        List<Agents.Client> pair = on.values().stream().filter(l -> l.size() >= 2).findFirst().orElseThrow();
        Agents.Client p = pair.get(0);
        Agents.Client q = pair.get(1);
        Agents.Client r = on.values().stream().filter(l -> l != pair).findFirst().orElseThrow().get(0);
        Map<String, String> pids = pids();

        assertThat(relayArrives(p, r, "before", Duration.ofSeconds(5))).as("P to R before the outage").isTrue();

        long stoppedAt = System.nanoTime();
        d.service("stop", "redis");
        // Cross-instance: a clear error naming the target.
        SignalingMessage.Error err = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (err == null && System.nanoTime() < deadline) {
            p.inbox().clear();
            p.client().sendCandidate(r.id(), "candidate:1 1 udp 1 10.0.0.1 7 typ host", "0", 0);
            SignalingMessage.Error e = Agents.next(p.inbox(), SignalingMessage.Error.class, Duration.ofMillis(300));
            if (e != null && SignalingMessage.Error.BACKBONE_UNAVAILABLE.equals(e.code())) {
                err = e;
            }
        }
        assertThat(err).as("backbone_unavailable for a cross-instance relay").isNotNull();
        assertThat(err.to()).isEqualTo(r.id());
        assertThat(Agents.await(Duration.ofSeconds(10), () -> backboneUpIs(0, 2))).as("jrtc_signaling_backbone_up 0").isTrue();

        // Local relays keep working for the whole 20 s.
        int local = 0;
        while (System.nanoTime() - stoppedAt < TimeUnit.SECONDS.toNanos(20)) {
            assertThat(relayArrives(p, q, "outage-" + local, Duration.ofSeconds(2))).as("P to Q during the outage").isTrue();
            local++;
            TimeUnit.MILLISECONDS.sleep(250); // pacing: four local relays a second, not a wait for a condition
        }
        assertThat(local).isGreaterThan(10);

        d.service("start", "redis");
        long backAt = System.nanoTime();
        long crossAt = 0;
        int attempt = 0;
        while (crossAt == 0 && System.nanoTime() - backAt < TimeUnit.SECONDS.toNanos(30)) {
            if (relayArrives(p, r, "after-" + attempt++, Duration.ofMillis(200))) {
                crossAt = System.nanoTime();
            }
        }
        assertThat(crossAt).as("a cross-instance relay after Redis returned").isNotZero();
        // Presence: a newcomer's registration lists P, Q and R again (the heartbeats re-claim them in the new Redis).
        Agents.Client s = agents.client("f-newcomer");
        s.client().connect().get(20, TimeUnit.SECONDS);
        assertThat(Agents.await(Duration.ofSeconds(20),
                () -> s.client().presentAgents().containsAll(Set.of(p.id(), q.id(), r.id())))).isTrue();
        long presenceAt = System.nanoTime();
        assertThat(relayArrives(r, p, "reverse", Duration.ofSeconds(5))).as("R to P after recovery").isTrue();
        assertThat(Agents.await(Duration.ofSeconds(10), () -> backboneUpIs(1, 2))).as("jrtc_signaling_backbone_up 1").isTrue();
        assertThat(pids()).as("no signaling instance restarted").isEqualTo(pids);

        double cross = (crossAt - backAt) / 1e9;
        double presence = (presenceAt - backAt) / 1e9;
        System.out.printf(Locale.ROOT, "DRILL F local relays during the outage %d/%d; cross-instance recovered %.3f s, "
                + "presence %.3f s after redis-server was back%n", local, local, cross, presence);
        assertThat(cross).isLessThan(10.0);
        assertThat(presence).isLessThan(15.0);
    }

    private Map<String, String> pids() throws Exception {
        Map<String, String> m = new HashMap<>();
        for (String i : Agents.INSTANCES) {
            m.put(i, Files.readString(d.state.resolve(i + ".pid")).trim());
        }
        return m;
    }

    private boolean backboneUpIs(int value, int instances) {
        try {
            int n = 0;
            for (var r : d.query("jrtc_signaling_backbone_up == " + value)) {
                n++;
            }
            return n == instances;
        } catch (Exception e) {
            return false;
        }
    }

    /** Sends a candidate tagged {@code tag} from {@code from} to {@code to}; whether it arrives within the timeout. */
    private static boolean relayArrives(Agents.Client from, Agents.Client to, String tag, Duration timeout)
            throws InterruptedException {
        String candidate = "candidate:" + tag + " 1 udp 1 10.0.0.1 9 typ host";
        from.client().sendCandidate(to.id(), candidate, "0", 0);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            SignalingMessage.Candidate c = Agents.next(to.inbox(), SignalingMessage.Candidate.class,
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (c != null && c.candidate().equals(candidate) && c.from().equals(from.id())) {
                return true;
            }
        }
        return false;
    }
}
