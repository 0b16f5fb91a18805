package io.jrtc.mesh.real;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.AuditSink;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshConfig;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.MeshMessage;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Real mesh agents in this JVM: one signaling server on 127.0.0.1 (or the bind host a test chose), one shared
 * PeerConnectionFactory (two loops), every connection bound to 127.0.0.1. Records every delivery, audit entry and the most links any agent held.
 */
final class RealMesh implements AutoCloseable {

    record Audit(String kind, Map<String, String> fields) {
    }

    /** One delivery at one agent. */
    record Got(int at, MeshMessage message) {
    }

    final SignalingServer server;
    final PeerConnectionFactory factory;
    final List<MeshAgent> agents = new ArrayList<>();
    final List<ConcurrentLinkedQueue<Audit>> audits = new ArrayList<>();
    final ConcurrentLinkedQueue<Got> deliveries = new ConcurrentLinkedQueue<>();
    final Map<Integer, AtomicInteger> maxLinksHeld = new ConcurrentHashMap<>();
    private final Set<Integer> stopped = ConcurrentHashMap.newKeySet();

    RealMesh() {
        this(b -> { });
    }

    /** With the signaling server's configuration adjusted by {@code server} (TURN URLs and secret, for instance). */
    RealMesh(Consumer<SignalingServerConfig.Builder> serverConfig) {
        this(serverConfig, new PeerConnectionFactory(2));
    }

    /** On the caller's factory (a test that owns its loop group shuts the group down itself, after {@link #close()}). */
    RealMesh(Consumer<SignalingServerConfig.Builder> serverConfig, PeerConnectionFactory factory) {
        this.factory = factory;
        SignalingServerConfig.Builder sb = SignalingServerConfig.builder().bindHost("127.0.0.1").port(0)
                .rateLimit(2000, 4000).drainTimeout(Duration.ofSeconds(1));
        serverConfig.accept(sb);
        server = new SignalingServer(sb.build());
        server.start().orTimeout(20, TimeUnit.SECONDS).join();
    }

    /** A mesh whose signaling server hands out {@code coturn} for STUN and for TURN (UDP, REST credentials of {@code secret}). */
    static RealMesh withCoturn(io.jrtc.testkit.Coturn coturn, String secret) {
        return new RealMesh(s -> s.stunUrls(List.of("stun:" + coturn.address().getAddress().getHostAddress()
                + ":" + coturn.port())).turnUrls(List.of(coturn.url("udp"))).turnSecret(secret));
    }

    /** The signaling server's WebSocket: 127.0.0.1, or the {@code bindHost} the server configuration chose. */
    URI uri() {
        return URI.create("ws://" + server.config().bindHost() + ":" + server.boundPort() + "/ws");
    }

    MeshConfig.Builder config(Identity id, int index) {
        ConcurrentLinkedQueue<Audit> log = new ConcurrentLinkedQueue<>();
        audits.add(log);
        AuditSink sink = (kind, fields) -> log.add(new Audit(kind, Map.copyOf(fields)));
        return MeshConfig.builder(id, uri()).factory(factory).audit(sink).seed(index + 1)
                .rtcTemplate(RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress()).build());
    }

    /** For tests behind real NATs: root, network namespaces and nftables, and coturn; fails or skips as Interop says. */
    static void requireNatAndCoturn() {
        io.jrtc.testkit.interop.Interop.require("a NAT (network namespaces and nftables)",
                io.jrtc.testkit.interop.NattedNetwork.unavailableReason());
        io.jrtc.testkit.interop.Interop.requireExecutable("coturn", io.jrtc.testkit.Coturn.TURNSERVER,
                "apt-get install coturn");
    }

    /**
     * Starts two agents of degree 2, agent {@code i} on site {@code i + 1} of {@code nats}, whose host candidates
     * never reach signaling (only what crosses the NATs: reflexive and relay), with ICE's consent timers shortened to
     * lose consent after 3 s; each agent's events go to its queue in {@code events}.
     */
    MeshAgent[] startTwoBehind(io.jrtc.testkit.interop.TwoNats nats,
            List<ConcurrentLinkedQueue<MeshEvent>> events) throws Exception {
        return startTwoBehind(nats, events, io.jrtc.mesh.LinkRecovery.Config.defaults());
    }

    /** {@link #startTwoBehind(io.jrtc.testkit.interop.TwoNats, List)} with the agents' link recovery set to {@code recovery}. */
    MeshAgent[] startTwoBehind(io.jrtc.testkit.interop.TwoNats nats, List<ConcurrentLinkedQueue<MeshEvent>> events,
            io.jrtc.mesh.LinkRecovery.Config recovery) throws Exception {
        io.jrtc.ice.IceConfig quick = io.jrtc.ice.IceConfig.builder().consentInterval(Duration.ofMillis(500))
                .disconnectedTimeout(Duration.ofMillis(1500)).consentTimeout(Duration.ofSeconds(3)).build();
        MeshAgent[] two = new MeshAgent[2];
        for (int i = 0; i < 2; i++) {
            two[i] = start(config(Identity.generate(), i).degree(2)
                    .rtcTemplate(RtcConfiguration.builder().addBindAddress(nats.siteAddress(i + 1)).iceTuning(quick).build())
                    .candidateFilter(c -> !c.contains(" typ host")).recovery(recovery).build());
            two[i].onEvent(events.get(i)::add);
        }
        return two;
    }

    /** Agent {@code agent}'s audit entries of {@code kind}, in order. */
    List<Audit> audit(int agent, String kind) {
        return audits.get(agent).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /**
     * Waits until {@code two} agents are each other's neighbours over a link that their opener fell back to relay for,
     * after its direct attempt failed, and that is relayed at both ends (one {@code link.fallback} to relay, one
     * {@code link.up} over relay each). Returns the opener's index.
     */
    int awaitLinkedByRelayFallback(MeshAgent[] two, Duration limit) throws InterruptedException {
        await("the two agents link through a relay", limit,
                () -> two[0].neighbours().contains(two[1].id()) && two[1].neighbours().contains(two[0].id()));
        int opener = audit(0, "link.up").stream().anyMatch(e -> "true".equals(e.fields().get("outbound"))) ? 0 : 1;
        org.assertj.core.api.Assertions.assertThat(audit(opener, "link.fallback")).as("the direct attempt failed, the relay was tried")
                .singleElement().satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.fields()).containsEntry("path", "relay"));
        for (int i = 0; i < 2; i++) {
            org.assertj.core.api.Assertions.assertThat(audit(i, "link.up")).as("agent %d", i).singleElement()
                    .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.fields()).containsEntry("path", "relay"));
        }
        return opener;
    }

    /** Starts an agent (waits for its registration); its index is its position in {@link #agents}. */
    MeshAgent start(MeshConfig config) throws Exception {
        int index = agents.size();
        MeshAgent a = new MeshAgent(config);
        agents.add(a);
        maxLinksHeld.put(index, new AtomicInteger());
        a.onMessage(m -> deliveries.add(new Got(index, m)));
        Consumer<MeshEvent> onEvent = e -> {
            if (e instanceof MeshEvent.LinkUp) {
                var s = a.stats();
                maxLinksHeld.get(index).accumulateAndGet(s.linksUp() + s.linksSettingUp(), Math::max);
            }
        };
        a.onEvent(onEvent);
        a.start().get(20, TimeUnit.SECONDS);
        return a;
    }

    /** Whether agent {@code at} was delivered a message with exactly {@code payload}. */
    boolean delivered(int at, byte[] payload) {
        for (Got g : deliveries) {
            if (g.at() == at && java.util.Arrays.equals(g.message().payload(), payload)) {
                return true;
            }
        }
        return false;
    }

    MeshAgent agent(int i) {
        return agents.get(i);
    }

    /** Closes agent {@code i} gracefully (its neighbours hear of it at once). */
    void stop(int i) {
        stopped.add(i);
        agents.get(i).close();
    }

    void abort(int i) {
        stopped.add(i);
        agents.get(i).abort();
    }

    List<Integer> live() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            if (!stopped.contains(i)) {
                out.add(i);
            }
        }
        return out;
    }

    int indexOf(AgentId id) {
        for (int i = 0; i < agents.size(); i++) {
            if (agents.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the live agents' neighbour graph is one component in which each has a neighbour, all of them live. */
    boolean connected() {
        List<Integer> live = live();
        Set<AgentId> liveIds = new HashSet<>();
        for (int i : live) {
            liveIds.add(agents.get(i).id());
        }
        for (int i : live) {
            List<AgentId> n = agents.get(i).neighbours();
            if (n.isEmpty() || !liveIds.containsAll(n)) {
                return false;
            }
        }
        Set<Integer> seen = new HashSet<>();
        ArrayDeque<Integer> todo = new ArrayDeque<>();
        todo.add(live.get(0));
        seen.add(live.get(0));
        while (!todo.isEmpty()) {
            for (AgentId n : agents.get(todo.poll()).neighbours()) {
                int j = indexOf(n);
                if (seen.add(j)) {
                    todo.add(j);
                }
            }
        }
        return seen.size() == live.size();
    }

    /** {@link #connected()} and no live agent is setting a link up: the overlay is not changing right now. */
    boolean settled() {
        for (int i : live()) {
            if (agents.get(i).stats().linksSettingUp() > 0) {
                return false;
            }
        }
        return connected();
    }

    /** How many times agent {@code at} got message ({@code origin}, {@code sequence}). */
    long count(int at, AgentId origin, long sequence) {
        return deliveries.stream().filter(g -> g.at() == at && g.message().origin().equals(origin)
                && g.message().sequence() == sequence).count();
    }

    List<Got> copiesOf(AgentId origin, long sequence) {
        return deliveries.stream().filter(g -> g.message().origin().equals(origin) && g.message().sequence() == sequence)
                .toList();
    }

    /** GET {@code http://127.0.0.1:port/path}: the body of a 200 answer, else an AssertionError. */
    static String get(int port, String path) {
        return get("127.0.0.1", port, path);
    }

    /** GET {@code http://host:port/path}: the body of a 200 answer, else an AssertionError. */
    static String get(String host, int port, String path) {
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create("http://" + host + ":" + port + path)
                    .toURL().openConnection();
            c.setConnectTimeout(5000);
            c.setReadTimeout(5000);
            if (c.getResponseCode() != 200) {
                throw new AssertionError("GET " + path + ": " + c.getResponseCode());
            }
            try (var in = c.getInputStream()) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("GET " + path + " failed", e);
        }
    }

    /**
     * Broadcasts from {@code a}, again while it answers {@code NOT_CONNECTED}: an overlay that is still changing can
     * leave an agent without a neighbour for a moment (one link closed, its replacement not up yet), and the agent then
     * refuses the message, as documented, rather than queueing it. Fails after 10 s of that, or on any other refusal.
     */
    static io.jrtc.mesh.SendResult broadcastOnceLinked(io.jrtc.mesh.MeshAgent a, byte[] payload)
            throws InterruptedException {
        io.jrtc.mesh.SendResult[] r = new io.jrtc.mesh.SendResult[1];
        await("a broadcast accepted by " + a.id().shortString() + " (it has a neighbour)", Duration.ofSeconds(10), () -> {
            r[0] = a.broadcast(payload);
            if (r[0].status() != io.jrtc.mesh.SendResult.Status.NOT_CONNECTED && !r[0].accepted()) {
                throw new AssertionError("broadcast refused: " + r[0]);
            }
            return r[0].accepted();
        });
        return r[0];
    }

    /**
     * {@code first} (agent 0) and {@code second} (agent 1) each broadcast "WHAT, from site 1" and "WHAT, from site 2":
     * both are taken, and each arrives at the other within {@code limit}.
     */
    void broadcastBothWays(MeshAgent first, MeshAgent second, String what, Duration limit) throws InterruptedException {
        byte[] one = (what + ", from site 1").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] two = (what + ", from site 2").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThat(first.broadcast(one).status()).isEqualTo(io.jrtc.mesh.SendResult.Status.ACCEPTED);
        org.assertj.core.api.Assertions.assertThat(second.broadcast(two).status()).isEqualTo(io.jrtc.mesh.SendResult.Status.ACCEPTED);
        await("both broadcasts arrive", limit, () -> delivered(1, one) && delivered(0, two));
    }

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
            }
            Thread.sleep(50); // polling interval of the condition, not a wait in its place
        }
    }

    @Override
    public void close() {
        for (int i = agents.size() - 1; i >= 0; i--) {
            if (!stopped.contains(i)) {
                agents.get(i).abort();
            }
        }
        server.abort();
        factory.close();
    }
}
