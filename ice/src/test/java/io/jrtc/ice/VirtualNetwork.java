package io.jrtc.ice;

import io.jrtc.common.DatagramCore;
import io.jrtc.testkit.NetemConfig;
import io.jrtc.testkit.NetemLink;
import io.jrtc.testkit.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * An address-aware emulated IP network for ICE tests, on a virtual clock. Every (source, destination) transport
 * address pair gets its own {@link NetemLink} (delay, loss, ... from a per-path config function). Hosts are
 * {@link Node}s owning an {@link IceAgent} and UDP sockets; {@link Service}s are other endpoints (a STUN or TURN
 * server). A node may sit behind a full-cone NAT. Driving is deterministic: the earliest of the agents' timeouts,
 * the links' deliveries and scheduled tasks comes next.
 */
final class VirtualNetwork {

    /** A non-agent endpoint (STUN/TURN server emulation). */
    interface Service {
        /** A datagram arrived at {@code to} (one of the service's addresses) from {@code from}. */
        void receive(VirtualNetwork net, InetSocketAddress to, InetSocketAddress from, byte[] data);

        default long pollTimeout() {
            return DatagramCore.NO_TIMEOUT;
        }

        default void handleTimeout(VirtualNetwork net, long now) {
        }
    }

    /** Observes every datagram put on the network (after NAT, before loss). */
    interface Tap {
        void onSend(long now, InetSocketAddress from, InetSocketAddress to, byte[] data);
    }

    /** A host with one ICE agent. */
    final class Node {
        final String name;
        final IceAgent agent;
        final Map<SocketId, InetSocketAddress> sockets = new LinkedHashMap<>();
        final List<IceEvent> events = new ArrayList<>();
        final List<IceCandidate> localCandidates = new ArrayList<>();
        final List<byte[]> received = new ArrayList<>();
        final List<IceConnectionState> states = new ArrayList<>();
        final List<IceCandidatePair> selections = new ArrayList<>();
        InetAddress natPublic;
        boolean silent;
        Node peer;
        long signalDelay;
        boolean trickle;
        boolean forwardEndOfCandidates = true;

        Node(String name, IceAgent agent) {
            this.name = name;
            this.agent = agent;
        }

        InetSocketAddress bind(String ip, int port) {
            InetSocketAddress a = new InetSocketAddress(ip(ip), port);
            SocketId id = SocketId.udp(sockets.size());
            sockets.put(id, a);
            owners.put(a, this);
            agent.addLocalSocket(clock.now(), id, a, IceProtocol.UDP);
            return a;
        }

        IceConnectionState state() {
            return agent.connectionState();
        }

        boolean connected() {
            IceConnectionState s = agent.connectionState();
            return s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED;
        }

        IceGatheringState gathering() {
            return agent.gatheringState();
        }

        void send(byte[] data) {
            agent.send(clock.now(), ByteBuffer.wrap(data));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private record Path(InetSocketAddress from, InetSocketAddress to) {
    }

    private record Task(long at, long seq, Runnable r) {
    }

    private final VirtualClock clock = new VirtualClock(1_000_000_000L);
    private final long seed;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<InetSocketAddress, Node> owners = new HashMap<>();
    private final Map<InetSocketAddress, Service> services = new HashMap<>();
    private final Map<Path, NetemLink> links = new LinkedHashMap<>();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>((x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.seq, y.seq));
    private final Map<InetSocketAddress, InetSocketAddress> natOut = new HashMap<>();
    private final Map<InetSocketAddress, InetSocketAddress> natIn = new HashMap<>();
    private BiFunction<InetSocketAddress, InetSocketAddress, NetemConfig> pathConfig = (f, t) -> NetemConfig.perfect();
    private final List<Tap> taps = new ArrayList<>();
    private long taskSeq;
    private int natPorts = 40000;
    long blackholed;

    VirtualNetwork(long seed) {
        this.seed = seed;
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static InetSocketAddress addr(String ip, int port) {
        return new InetSocketAddress(ip(ip), port);
    }

    long now() {
        return clock.now();
    }

    VirtualNetwork pathConfig(BiFunction<InetSocketAddress, InetSocketAddress, NetemConfig> f) {
        this.pathConfig = f;
        return this;
    }

    VirtualNetwork tap(Tap t) {
        taps.add(t);
        return this;
    }

    Node node(String name, IceConfig config, IceCredentials creds) {
        Node n = new Node(name, new IceAgent(config, creds));
        nodes.add(n);
        return n;
    }

    void addService(InetSocketAddress at, Service s) {
        services.put(at, s);
    }

    /** Takes {@code s} off the network at every address it had (a server killed): datagrams to them are black-holed. */
    void removeService(Service s) {
        services.values().removeIf(v -> v == s);
    }

    /** Puts {@code n} behind a full-cone NAT with public address {@code publicIp}. */
    void natFor(Node n, String publicIp) {
        n.natPublic = ip(publicIp);
    }

    /**
     * Wires signalling between two nodes: credentials now, candidates (trickled, or all at gathering end) and
     * end-of-candidates with a delay.
     */
    void signal(Node a, Node b, Duration delay, boolean trickle) {
        a.peer = b;
        b.peer = a;
        a.signalDelay = b.signalDelay = delay.toNanos();
        a.trickle = b.trickle = trickle;
        a.agent.setRemoteCredentials(now(), b.agent.localCredentials());
        b.agent.setRemoteCredentials(now(), a.agent.localCredentials());
    }

    void schedule(Duration after, Runnable r) {
        tasks.add(new Task(clock.now() + after.toNanos(), taskSeq++, r));
    }

    /** A service sends a datagram. */
    void sendFrom(InetSocketAddress from, InetSocketAddress to, byte[] data) {
        put(from, to, data);
    }

    private void put(InetSocketAddress from, InetSocketAddress to, byte[] data) {
        for (Tap t : taps) {
            t.onSend(clock.now(), from, to, data);
        }
        Path p = new Path(from, to);
        NetemLink link = links.computeIfAbsent(p, k -> new NetemLink(pathConfig.apply(k.from, k.to),
                seed * 31 + k.from.hashCode() * 17L + k.to.hashCode()));
        link.send(clock.now(), data);
    }

    private InetSocketAddress translateOut(Node n, InetSocketAddress src) {
        if (n.natPublic == null) {
            return src;
        }
        return natOut.computeIfAbsent(src, s -> {
            InetSocketAddress pub = new InetSocketAddress(n.natPublic, natPorts++);
            natIn.put(pub, s);
            return pub;
        });
    }

    /** Drains every agent's transmits and events (events feed the signalling). */
    void flush() {
        boolean again = true;
        while (again) {
            again = false;
            for (Node n : nodes) {
                for (Optional<IceTransmit> t = n.agent.pollTransmit(); t.isPresent(); t = n.agent.pollTransmit()) {
                    again = true;
                    IceTransmit tx = t.get();
                    InetSocketAddress src = n.sockets.get(tx.via());
                    if (src == null || n.silent) {
                        continue;
                    }
                    byte[] bytes = new byte[tx.data().remaining()];
                    tx.data().duplicate().get(bytes);
                    put(translateOut(n, src), tx.destination(), bytes);
                }
                for (Optional<IceEvent> e = n.agent.pollEvent(); e.isPresent(); e = n.agent.pollEvent()) {
                    again = true;
                    onEvent(n, e.get());
                }
            }
        }
    }

    private void onEvent(Node n, IceEvent e) {
        n.events.add(e);
        switch (e) {
            case IceEvent.LocalCandidate c -> {
                n.localCandidates.add(c.candidate());
                if (n.peer != null && n.trickle) {
                    Node peer = n.peer;
                    schedule(Duration.ofNanos(n.signalDelay), () -> peer.agent.addRemoteCandidate(now(), c.candidate()));
                }
            }
            case IceEvent.GatheringStateChanged g -> {
                if (g.state() == IceGatheringState.COMPLETE && n.peer != null) {
                    Node peer = n.peer;
                    List<IceCandidate> all = List.copyOf(n.localCandidates);
                    boolean trickled = n.trickle;
                    boolean eoc = n.forwardEndOfCandidates;
                    schedule(Duration.ofNanos(n.signalDelay), () -> {
                        if (!trickled) {
                            for (IceCandidate c : all) {
                                peer.agent.addRemoteCandidate(now(), c);
                            }
                        }
                        if (eoc) {
                            peer.agent.endOfRemoteCandidates(now());
                        }
                    });
                }
            }
            case IceEvent.ConnectionStateChanged s -> n.states.add(s.state());
            case IceEvent.SelectedPairChanged p -> n.selections.add(p.pair());
            case IceEvent.ApplicationData d -> {
                byte[] b = new byte[d.data().remaining()];
                d.data().get(b);
                n.received.add(b);
            }
            default -> {
            }
        }
    }

    long nextEventTime() {
        long next = DatagramCore.NO_TIMEOUT;
        for (Node n : nodes) {
            next = Math.min(next, n.agent.pollTimeout());
        }
        for (Service s : services.values()) {
            next = Math.min(next, s.pollTimeout());
        }
        for (NetemLink l : links.values()) {
            next = Math.min(next, l.nextDelivery());
        }
        Task t = tasks.peek();
        if (t != null) {
            next = Math.min(next, t.at);
        }
        return next;
    }

    private boolean stepBefore(long limit) {
        flush();
        long next = nextEventTime();
        if (next == DatagramCore.NO_TIMEOUT || next > limit) {
            return false;
        }
        clock.advanceTo(next);
        long now = clock.now();
        while (!tasks.isEmpty() && tasks.peek().at <= now) {
            tasks.poll().r.run();
            flush();
        }
        for (Map.Entry<Path, NetemLink> e : new ArrayList<>(links.entrySet())) {
            for (byte[] p = e.getValue().poll(now); p != null; p = e.getValue().poll(now)) {
                deliver(e.getKey().from, e.getKey().to, p);
            }
        }
        for (Node n : nodes) {
            if (n.agent.pollTimeout() <= now) {
                n.agent.handleTimeout(now);
            }
        }
        for (Service s : new ArrayList<>(services.values())) {
            if (s.pollTimeout() <= now) {
                s.handleTimeout(this, now);
            }
        }
        flush();
        return true;
    }

    private void deliver(InetSocketAddress from, InetSocketAddress to, byte[] data) {
        InetSocketAddress dest = natIn.getOrDefault(to, to);
        Node n = owners.get(dest);
        if (n != null) {
            if (n.silent) {
                return;
            }
            for (Map.Entry<SocketId, InetSocketAddress> s : n.sockets.entrySet()) {
                if (s.getValue().equals(dest)) {
                    n.agent.handleInput(clock.now(), s.getKey(), from, ByteBuffer.wrap(data));
                    return;
                }
            }
        }
        Service svc = services.get(to);
        if (svc != null) {
            svc.receive(this, to, from, data);
            return;
        }
        blackholed++;
    }

    /** Steps until {@code done} or {@code maxVirtual} elapsed; returns {@code done}. */
    boolean runUntil(BooleanSupplier done, Duration maxVirtual) {
        long deadline = clock.now() + maxVirtual.toNanos();
        long lastTime = clock.now();
        int same = 0;
        while (!done.getAsBoolean()) {
            if (!stepBefore(deadline)) {
                flush();
                if (done.getAsBoolean()) {
                    return true;
                }
                clock.advanceTo(deadline);
                return done.getAsBoolean();
            }
            if (clock.now() == lastTime) {
                if (++same > 100_000) {
                    throw new IllegalStateException("no progress at " + lastTime + ": an agent keeps asking for the same instant");
                }
            } else {
                lastTime = clock.now();
                same = 0;
            }
        }
        return true;
    }

    void runFor(Duration d) {
        runUntil(() -> false, d);
    }
}
