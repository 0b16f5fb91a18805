package io.jrtc.demo;

import io.jrtc.ice.IceTransportPolicy;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshConfig;
import io.jrtc.mesh.SharedVerification;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.MeshMessage;
import io.jrtc.mesh.MeshStats;
import io.jrtc.mesh.SendResult;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import io.jrtc.testkit.Coturn;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * N {@link MeshAgent}s in this JVM over real PeerConnections on 127.0.0.1, all through one embedded signaling server
 * (127.0.0.1, a free port) and one shared {@link PeerConnectionFactory} (its event loops carry every agent and every
 * link, so platform threads stay flat as N grows). Optionally relay-only through a local coturn whose TURN REST
 * credentials the signaling server hands out.
 *
 * <p>It measures, from the first agent's {@code start()}: registration of all; <b>connected</b>, the first moment the
 * agents' neighbour graph (their active views, followed through {@link MeshEvent.NeighbourUp}/{@code Down}) is one
 * component in which every agent has at least {@link #linkCriterion} = ceil(min(degree, N−1) / 2) neighbours (a
 * HyParView agent keeps filling its view after that; "full degree" is when every agent has min(degree, N−1)); then,
 * once no neighbour changed for a second and the graph is still connected (at most {@code settle} after connected),
 * broadcasts from random origins one at a time (each waits until all N−1 others delivered it, then 100 ms), then unicasts with acknowledgement one at a time. Payloads
 * carry the sender's {@link System#nanoTime()}, so latency is exact within the JVM. Heap per agent is used heap after
 * GC with every agent up, minus the baseline before the first agent, over N.
 *
 * <pre>java -Xmx4g -cp perf/target/benchmarks.jar io.jrtc.demo.MeshSim --agents 100 --degree 20</pre>
 * <p>Options: {@code --agents N --degree D --max-links M --relay-only --broadcasts B --unicasts U --warmup W --seed S
 * --loops L --connect-timeout SECONDS --settle SECONDS --link-setup-timeout SECONDS --shared-verification
 * --lazy-fanout F --rounds R --per-broadcast --idle SECONDS}. {@code ./jrtc mesh-sim} wraps it.
 *
 * <p>{@code --per-broadcast} prints a line per measured broadcast ({@link BroadcastTrace}): its own percentiles, hops
 * and slowest deliveries. {@code --idle SECONDS} waits that long after the overlay settled, before any traffic, and
 * prints the process CPU used meanwhile (what the mesh costs with nothing to carry: pings, consent checks, stats
 * rounds, link reports, membership rounds) and the UDP datagrams the machine received per second.
 *
 * <p>{@code --rounds R} runs the whole simulation R times in this JVM, one after another, with the same parameters and
 * seed: round 1 starts in a cold JVM and pays the class loading and JIT compilation of everything it runs; later rounds
 * measure the mesh with that done ({@link #runRounds}).
 */
public final class MeshSim {

    private static final byte BROADCAST = 'B';
    private static final byte UNICAST = 'U';
    private static final int PAYLOAD = 13;
    /**
     * Pause between two broadcasts (after every agent delivered the first): the previous one's lazy IHAVEs, PRUNEs and
     * the tree changes they cause are done before the next is timed.
     */
    private static final long SPACING_MILLIS = 100;

    /**
     * @param agents         N
     * @param degree         target degree of every agent
     * @param maxLinks       most links an agent holds; 0: {@code degree + 2}
     * @param relayOnly      every link through coturn (ICE transport policy relay)
     * @param broadcasts     measured broadcasts
     * @param warmup         broadcasts before them, delivered and counted but not in the latency figures
     * @param unicasts       unicasts with acknowledgement
     * @param seed           seed of the overlay cores and of the choice of origins and targets
     * @param loops          event loops of the shared factory
     * @param connectTimeout give up when the overlay is not connected within this
     * @param settle         after connected, wait at most this long for the neighbour changes to stop
     * @param linkSetupTimeout a link not up within this is closed ({@link MeshConfig#linkSetupTimeout()})
     * @param sharedVerification the agents share one {@link SharedVerification} memo: a signature one of them
     *                       verified is not verified again by the others
     * @param lazyFanout     {@link io.jrtc.mesh.OverlayConfig#lazyFanout}; -1: the overlay's default
     */
    public record Params(int agents, int degree, int maxLinks, boolean relayOnly, int broadcasts, int warmup,
            int unicasts, long seed, int loops, Duration connectTimeout, Duration settle, Duration linkSetupTimeout,
            boolean sharedVerification, int lazyFanout, boolean perBroadcast, int idleSeconds) {

        public Params {
            if (agents < 2 || degree < 1 || broadcasts < 0 || warmup < 0 || unicasts < 0 || loops < 1 || lazyFanout < -1
                    || (maxLinks != 0 && maxLinks < degree + 1) || idleSeconds < 0) {
                throw new IllegalArgumentException("need --agents >= 2, --degree >= 1, --max-links 0 or >= degree+1, "
                        + "--broadcasts/--warmup/--unicasts/--idle >= 0, --loops >= 1, --lazy-fanout >= -1");
            }
            maxLinks = maxLinks == 0 ? degree + 2 : maxLinks;
        }

        public static Params of(int agents, int degree) {
            return new Params(agents, degree, 0, false, 20, 2, 20, 1, 2, Duration.ofSeconds(120), Duration.ofSeconds(10),
                    Duration.ofSeconds(10), false, -1, false, 0);
        }
    }

    /** ceil(min(degree, N−1) / 2): the neighbours every agent needs for the overlay to count as connected. */
    public static int linkCriterion(Params p) {
        return (Math.min(p.degree(), p.agents() - 1) + 1) / 2;
    }

    private final Params p;
    private final Consumer<String> progress;
    private final List<MeshAgent> agents = new ArrayList<>();
    private final Map<AgentId, Integer> index = new HashMap<>();
    private final List<Set<Integer>> neighbours = new ArrayList<>();
    private final Map<Integer, Msg> messages = new ConcurrentHashMap<>();
    private final AtomicLong lastNeighbourChange = new AtomicLong(System.nanoTime());
    private final LongAdder neighbourChanges = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder stray = new LongAdder();
    private final Map<String, LongAdder> linkDowns = new ConcurrentHashMap<>();
    private final Histogram broadcastLatency = new Histogram(3_600_000_000_000L, 3);
    private final Histogram broadcastHops = new Histogram(256, 2);
    private final Histogram unicastOneWay = new Histogram(3_600_000_000_000L, 3);
    private final Histogram unicastRoundTrip = new Histogram(3_600_000_000_000L, 3);

    /** One message sent: who has delivered it. */
    private static final class Msg {
        final BitSet got = new BitSet();
        final CountDownLatch remaining;
        final boolean measured;
        final boolean broadcast;
        final BroadcastTrace trace;

        Msg(int expected, boolean measured, boolean broadcast, boolean traced) {
            remaining = new CountDownLatch(expected);
            this.measured = measured;
            this.broadcast = broadcast;
            trace = traced ? new BroadcastTrace(expected) : null;
        }
    }

    private MeshSim(Params p, Consumer<String> progress) {
        this.p = p;
        this.progress = progress;
    }

    /**
     * Runs the simulation and closes everything it started. {@code progress} gets a few lines while it runs (from this
     * thread). Throws {@link IllegalStateException} when relay-only is asked for and coturn is not installed.
     */
    public static MeshSimResult run(Params p, Consumer<String> progress) throws Exception {
        if (p.relayOnly() && !Files.isExecutable(Coturn.TURNSERVER)) {
            throw new IllegalStateException("--relay-only needs coturn at " + Coturn.TURNSERVER
                    + " (apt-get install coturn); it was not found");
        }
        return new MeshSim(p, progress).simulate();
    }

    /**
     * Runs the simulation {@code rounds} times, one after another in this JVM, each with its own signaling server,
     * factory and agents, all closed before the next round starts. Before each round {@code progress} gets a line
     * {@code # round i of R}; {@code done} gets each round's result as it finishes (both from this thread). Stops after
     * a round that threw.
     */
    public static List<MeshSimResult> runRounds(Params p, int rounds, Consumer<String> progress,
            Consumer<MeshSimResult> done) throws Exception {
        if (rounds < 1) {
            throw new IllegalArgumentException("need --rounds >= 1");
        }
        List<MeshSimResult> results = new ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
            if (rounds > 1) {
                progress.accept("# round " + i + " of " + rounds + (i == 1 ? " (a cold JVM)"
                        : " (the same JVM: classes loaded and compiled by the rounds before)"));
            }
            MeshSimResult r = run(p, progress);
            results.add(r);
            done.accept(r);
        }
        return results;
    }

    private MeshSimResult simulate() throws Exception {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double loadStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int n = p.agents();
        String secret = "mesh-sim-" + Long.toHexString(new Random().nextLong());
        Coturn coturn = null;
        SignalingServer server = null;
        PeerConnectionFactory factory = null;
        try {
            if (p.relayOnly()) {
                coturn = Coturn.restApi("mesh-sim", secret);
                if ((long) n * p.maxLinks() > coturn.maxRelayPort() - coturn.minRelayPort()) {
                    progress.accept("# warning: coturn has " + (coturn.maxRelayPort() - coturn.minRelayPort() + 1)
                            + " relay ports, fewer than agents x max links (" + (long) n * p.maxLinks()
                            + "): links may fail");
                }
            }
            SignalingServerConfig.Builder sb = SignalingServerConfig.builder().bindHost("127.0.0.1").port(0)
                    .rateLimit(5000, 10000).maxAgents(Math.max(10_000, n + 10)).drainTimeout(Duration.ofSeconds(1))
                    .ioThreads(1);
            if (coturn != null) {
                sb.turnUrls(List.of(coturn.url("udp"))).turnSecret(secret);
            }
            server = new SignalingServer(sb.build());
            server.start().orTimeout(20, TimeUnit.SECONDS).join();
            factory = new PeerConnectionFactory(p.loops());
            URI uri = URI.create("ws://127.0.0.1:" + server.boundPort() + "/ws");
            long heapBaseline = usedAfterGc(mem);
            int threadsBefore = threads.getThreadCount();
            Set<Long> threadIdsBefore = new java.util.HashSet<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                threadIdsBefore.add(t.threadId());
            }
            RtcConfiguration rtc = RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress())
                    .iceTransportPolicy(p.relayOnly() ? IceTransportPolicy.RELAY : IceTransportPolicy.ALL).build();
            SharedVerification memo = p.sharedVerification() ? new SharedVerification() : null;
            for (int i = 0; i < n; i++) {
                Identity id = Identity.generate();
                MeshConfig.Builder mb = MeshConfig.builder(id, uri).factory(factory).degree(p.degree())
                        .maxLinks(p.maxLinks()).seed(p.seed() * 1_000_003L + i).rtcTemplate(rtc)
                        .linkSetupTimeout(p.linkSetupTimeout()).sharedVerification(memo);
                if (p.lazyFanout() >= 0) {
                    mb.lazyFanout(p.lazyFanout());
                }
                MeshAgent a = new MeshAgent(mb.build());
                index.put(a.id(), i);
                agents.add(a);
                neighbours.add(ConcurrentHashMap.newKeySet());
            }
            for (int i = 0; i < n; i++) {
                listen(i);
            }
            progress.accept("# " + n + " agents made (keys, certificates); starting them");

            AtomicInteger registered = new AtomicInteger();
            AtomicLong registeredAt = new AtomicLong(-1);
            AtomicInteger startFailures = new AtomicInteger();
            Semaphore inFlight = new Semaphore(32);
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            long cpuConnected = -1;
            for (MeshAgent a : agents) {
                inFlight.acquire();
                a.start().orTimeout(60, TimeUnit.SECONDS).whenComplete((v, e) -> {
                    inFlight.release();
                    if (e != null) {
                        startFailures.incrementAndGet();
                    } else if (registered.incrementAndGet() == n) {
                        registeredAt.set(System.nanoTime() - t0);
                    }
                });
            }
            progress.accept(String.format("# all start() calls made after %.2f s", (System.nanoTime() - t0) / 1e9));

            long connectedNanos = -1;
            long fullNanos = -1;
            long stableNanos;
            int threadsPeak = threads.getThreadCount();
            int full = Math.min(p.degree(), n - 1);
            long deadline = t0 + p.connectTimeout().toNanos();
            long nextReport = t0 + 5_000_000_000L;
            while (true) {
                long now = System.nanoTime();
                threadsPeak = Math.max(threadsPeak, threads.getThreadCount());
                if (connectedNanos < 0 && registered.get() == n && connected(linkCriterion(p))) {
                    connectedNanos = now - t0;
                    cpuConnected = processCpuNanos() - cpu0;
                    progress.accept(String.format("# connected after %.2f s", connectedNanos / 1e9));
                }
                if (fullNanos < 0 && registered.get() == n && minDegree() >= full) {
                    fullNanos = now - t0;
                }
                if (connectedNanos >= 0 && ((now - lastNeighbourChange.get() >= 1_000_000_000L
                        && connected(linkCriterion(p))) || now - t0 - connectedNanos >= p.settle().toNanos())) {
                    stableNanos = now - t0;
                    break;
                }
                if (connectedNanos < 0 && (now > deadline || startFailures.get() > 0)) {
                    stableNanos = now - t0;
                    break;
                }
                if (now >= nextReport) {
                    nextReport = now + 5_000_000_000L;
                    progress.accept(String.format("# %.0f s: %d registered, degree min %d, %d links, %d neighbour "
                            + "changes so far", (now - t0) / 1e9, registered.get(), minDegree(), linkCount(),
                            neighbourChanges.sum()));
                }
                Thread.sleep(10); // the polling interval of a condition on counters the agents keep up to date
            }
            long changesAtTraffic = neighbourChanges.sum();
            int[] degrees = neighbours.stream().mapToInt(Set::size).toArray();
            int links = linkCount();
            double[] paths = paths();

            long expected = 0;
            long refused = 0;
            long acked = 0;
            double rmrWarmup = 0;
            double rmr = 0;
            long treeMoves = 0;
            if (connectedNanos >= 0) {
                Random rnd = new Random(p.seed());
                if (p.idleSeconds() > 0) {
                    idle(p.idleSeconds());
                }
                long r0 = broadcastReceptions();
                int msg = 0;
                for (int b = 0; b < p.warmup() + p.broadcasts(); b++) {
                    if (b == p.warmup()) {
                        long r1 = broadcastReceptions();
                        rmrWarmup = rmr(r1 - r0, p.warmup());
                        r0 = r1;
                        treeMoves = -treeMoves();
                    }
                    expected += n - 1;
                    Thread.sleep(SPACING_MILLIS); // spacing between broadcasts, not a wait for a condition
                    if (!broadcast(msg++, rnd.nextInt(n), b >= p.warmup())) {
                        refused++;
                    }
                }
                rmr = rmr(broadcastReceptions() - r0, p.broadcasts());
                treeMoves += treeMoves();
                progress.accept("# " + (p.warmup() + p.broadcasts()) + " broadcasts done; " + neighbourChanges.sum()
                        + " neighbour changes so far");
                for (int u = 0; u < p.unicasts(); u++) {
                    int from = rnd.nextInt(n);
                    int to = (from + 1 + rnd.nextInt(n - 1)) % n;
                    expected++;
                    switch (unicast(msg++, from, to)) {
                        case 1 -> acked++;
                        case -1 -> refused++;
                        default -> { }
                    }
                }
            }
            long cpuEnd = processCpuNanos() - cpu0;
            long heapAfter = usedAfterGc(mem);
            int threadsAfter = threads.getThreadCount();
            Map<String, Integer> threadsAdded = new java.util.TreeMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!threadIdsBefore.contains(t.threadId())) {
                    threadsAdded.merge(t.getName().replaceAll("\\d+", "N"), 1, Integer::sum);
                }
            }
            long fds = openFds();
            long opened = 0;
            long failed = 0;
            long sendFailures = 0;
            long[] asks = new long[2];
            for (MeshAgent a : agents) {
                MeshStats s = a.stats();
                opened += s.linksOpened();
                failed += s.linksFailed();
                sendFailures += s.sendFailures();
                asks[0] += s.asksSent();
                asks[1] += s.asksRefused();
            }
            long relayAllocations = coturn == null ? -1
                    : coturn.log().lines().filter(l -> l.contains("ALLOCATE processed, success")).count();
            double loadEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return new MeshSimResult(p, registeredAt.get(), connectedNanos, fullNanos, stableNanos,
                    degrees.length == 0 ? 0 : java.util.Arrays.stream(degrees).min().orElse(0),
                    java.util.Arrays.stream(degrees).average().orElse(0),
                    java.util.Arrays.stream(degrees).max().orElse(0), links, (int) paths[0], paths[1],
                    broadcastLatency, broadcastHops, rmrWarmup, rmr, unicastOneWay, unicastRoundTrip, expected,
                    delivered.sum(), duplicates.sum(), acked, refused, heapBaseline, heapAfter, threadsBefore,
                    threadsAfter, threadsPeak, fds, opened, failed, sendFailures, relayAllocations, downs(), threadsAdded, changesAtTraffic, neighbourChanges.sum() - changesAtTraffic, new double[] {loadStart, loadEnd},
                    new long[] {cpuConnected, cpuEnd}, asks, treeMoves,
                    memo == null ? null : new long[] {memo.hits(), memo.misses()});
        } finally {
            // abort() waits until the agent's connections have closed (mostly waiting on the loops): all at once, one
            // virtual thread each, instead of about 16 ms per agent in turn
            try (java.util.concurrent.ExecutorService closing =
                    java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (MeshAgent a : agents) {
                    closing.execute(a::abort);
                }
            }
            if (factory != null) {
                factory.close();
            }
            if (server != null) {
                server.abort();
            }
            if (coturn != null) {
                coturn.close();
            }
        }
    }

    private void listen(int i) {
        MeshAgent a = agents.get(i);
        Set<Integer> mine = neighbours.get(i);
        a.onMessage(m -> delivered(i, m));
        a.onEvent(e -> {
            switch (e) {
                case MeshEvent.NeighbourUp up -> {
                    Integer j = index.get(up.agent());
                    if (j != null) {
                        mine.add(j);
                        neighbourChanges.increment();
                        lastNeighbourChange.set(System.nanoTime());
                    }
                }
                case MeshEvent.NeighbourDown down -> {
                    Integer j = index.get(down.agent());
                    if (j != null) {
                        mine.remove(j);
                        neighbourChanges.increment();
                        lastNeighbourChange.set(System.nanoTime());
                    }
                }
                case MeshEvent.LinkDown down -> linkDowns.computeIfAbsent(reasonClass(down.reason()),
                        k -> new LongAdder()).increment();
                default -> { }
            }
        });
    }

    /** A link-down reason without its variable part (an exception text, a number of milliseconds). */
    private static String reasonClass(String reason) {
        int colon = reason.indexOf(':');
        return (colon < 0 ? reason : reason.substring(0, colon)).replaceAll("\\d+", "N");
    }

    /** On agent {@code at}'s loop. */
    private void delivered(int at, MeshMessage m) {
        long now = System.nanoTime();
        byte[] b = m.payload();
        if (b.length != PAYLOAD || (b[0] != BROADCAST && b[0] != UNICAST)) {
            stray.increment();
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(b, 1, PAYLOAD - 1);
        Msg msg = messages.get(buf.getInt());
        long sent = buf.getLong();
        if (msg == null || msg.broadcast != (b[0] == BROADCAST) || msg.broadcast != m.broadcast()) {
            stray.increment();
            return;
        }
        synchronized (msg) {
            if (msg.got.get(at)) {
                duplicates.increment();
                return;
            }
            msg.got.set(at);
        }
        delivered.increment();
        if (msg.measured) {
            Histogram h = msg.broadcast ? broadcastLatency : unicastOneWay;
            synchronized (h) {
                h.recordValue(now - sent);
            }
            if (msg.trace != null) {
                msg.trace.add(now - sent, m.hops());
            }
            if (msg.broadcast) {
                synchronized (broadcastHops) {
                    broadcastHops.recordValue(Math.min(255, m.hops()));
                }
            }
        }
        msg.remaining.countDown();
    }

    private static byte[] payload(byte kind, int msg) {
        return ByteBuffer.allocate(PAYLOAD).put(kind).putInt(msg).putLong(System.nanoTime()).array();
    }

    /** Broadcasts message {@code msg} from {@code from} and waits until every other agent has it; false if refused. */
    private boolean broadcast(int msg, int from, boolean measured) throws InterruptedException {
        Msg m = new Msg(p.agents() - 1, measured, true, measured && p.perBroadcast());
        messages.put(msg, m);
        SendResult r = agents.get(from).broadcast(payload(BROADCAST, msg));
        if (!r.accepted()) {
            progress.accept("# broadcast " + msg + " from agent " + from + " refused: " + r.status());
            return false;
        }
        if (!m.remaining.await(10 + p.agents() / 50, TimeUnit.SECONDS)) {
            progress.accept("# broadcast " + msg + " from agent " + from + ": " + m.remaining.getCount()
                    + " agents did not deliver it");
        }
        if (m.trace != null) {
            progress.accept("# broadcast " + msg + " from agent " + from + ": " + m.trace.summary(5));
        }
        return true;
    }

    /** Sends unicast {@code msg} with acknowledgement; 1 acknowledged, 0 not, -1 refused by the origin. */
    private int unicast(int msg, int from, int to) throws InterruptedException {
        Msg m = new Msg(1, true, false, false);
        messages.put(msg, m);
        long t = System.nanoTime();
        CompletableFuture<Long> f = agents.get(from).sendWithAck(agents.get(to).id(), payload(UNICAST, msg));
        try {
            f.get(30, TimeUnit.SECONDS);
            long rtt = System.nanoTime() - t;
            synchronized (unicastRoundTrip) {
                unicastRoundTrip.recordValue(rtt);
            }
            return 1;
        } catch (ExecutionException e) {
            progress.accept("# unicast " + msg + " " + from + " -> " + to + ": " + e.getCause());
            return e.getCause() instanceof IllegalStateException ? -1 : 0;
        } catch (TimeoutException e) {
            progress.accept("# unicast " + msg + " " + from + " -> " + to + ": no acknowledgement within 30 s");
            return 0;
        }
    }

    private long broadcastReceptions() {
        long sum = 0;
        for (MeshAgent a : agents) {
            sum += a.stats().overlay().broadcastReceived();
        }
        return sum;
    }

    private long treeMoves() {
        long sum = 0;
        for (MeshAgent a : agents) {
            sum += a.stats().overlay().treeMoves();
        }
        return sum;
    }

    private double rmr(long receptions, int broadcasts) {
        return broadcasts == 0 ? 0 : (double) receptions / ((long) broadcasts * (p.agents() - 1)) - 1;
    }

    private int minDegree() {
        int min = Integer.MAX_VALUE;
        for (Set<Integer> s : neighbours) {
            min = Math.min(min, s.size());
        }
        return min;
    }

    private int linkCount() {
        int sum = 0;
        for (Set<Integer> s : neighbours) {
            sum += s.size();
        }
        return sum / 2;
    }

    private Map<String, Long> downs() {
        Map<String, Long> out = new java.util.TreeMap<>();
        linkDowns.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Every agent has at least {@code min} neighbours and the graph is one component. */
    private boolean connected(int min) {
        if (minDegree() < min) {
            return false;
        }
        return bfs(0)[0] == p.agents();
    }

    /** Breadth-first from {@code start}: {reached, eccentricity, sum of distances}. */
    private int[] bfs(int start) {
        int n = p.agents();
        int[] dist = new int[n];
        java.util.Arrays.fill(dist, -1);
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        dist[start] = 0;
        queue[tail++] = start;
        int far = 0;
        int sum = 0;
        while (head < tail) {
            int v = queue[head++];
            for (int w : neighbours.get(v)) {
                if (w >= 0 && w < n && dist[w] < 0) {
                    dist[w] = dist[v] + 1;
                    far = Math.max(far, dist[w]);
                    sum += dist[w];
                    queue[tail++] = w;
                }
            }
        }
        return new int[] {tail, far, sum};
    }

    /** {diameter (-1 if not one component), mean shortest path}. */
    private double[] paths() {
        int n = p.agents();
        int diameter = 0;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            int[] r = bfs(i);
            if (r[0] != n) {
                return new double[] {-1, 0};
            }
            diameter = Math.max(diameter, r[1]);
            sum += r[2];
        }
        return new double[] {diameter, (double) sum / ((long) n * (n - 1))};
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(200); // lets concurrent GC work and reference processing finish before reading
            long used = mem.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - last) < 256 * 1024) {
                return used;
            }
            last = used;
        }
        return last;
    }

    /**
     * {@code --idle}: waits with nothing sent, then prints the process CPU, the UDP datagrams received and the
     * low-priority dials asked over signaling meanwhile.
     */
    private void idle(int seconds) throws InterruptedException {
        long cpu0 = processCpuNanos();
        long udp0 = udpDatagramsReceived();
        long asks0 = asksSent();
        long changes0 = neighbourChanges.sum();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L); // the measurement is of an interval with nothing to do, not a wait for a condition
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        long udp = udpDatagramsReceived() - udp0;
        progress.accept(String.format(java.util.Locale.ROOT, "# idle %.1f s before the traffic: process CPU %.2f s (%.2f "
                + "cores), %.0f UDP datagrams received per second (the whole machine's count), %.1f dials asked per "
                + "second; %d neighbour changes meanwhile, %d so far", wall, cpu, cpu / wall, udp0 < 0 ? -1 : udp / wall,
                (asksSent() - asks0) / wall, neighbourChanges.sum() - changes0, neighbourChanges.sum()));
    }

    private long asksSent() {
        long n = 0;
        for (MeshAgent a : agents) {
            n += a.stats().asksSent();
        }
        return n;
    }

    /** {@code InDatagrams} of {@code /proc/net/snmp}: the machine's UDP datagrams delivered so far, or -1. */
    private static long udpDatagramsReceived() {
        try {
            List<String> udp = Files.readAllLines(Path.of("/proc/net/snmp")).stream().filter(l -> l.startsWith("Udp:"))
                    .toList();
            List<String> names = List.of(udp.get(0).split("\\s+"));
            return Long.parseLong(udp.get(1).split("\\s+")[names.indexOf("InDatagrams")]);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The process's soft limit of open files (the JVM raises it to the hard limit at start on Linux), or -1. */
    static long fdLimit() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith("Max open files"))
                    .map(l -> l.substring(26).trim().split("\\s+")[0]).mapToLong(Long::parseLong).findFirst()
                    .orElse(-1);
        } catch (Exception e) {
            return -1;
        }
    }

    private static long openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Parses the options of the class comment. */
    public static Params parse(String[] args) {
        Map<String, String> o = new HashMap<>();
        boolean relay = false;
        boolean shared = false;
        boolean perBroadcast = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--relay-only")) {
                relay = true;
            } else if (args[i].equals("--shared-verification")) {
                shared = true;
            } else if (args[i].equals("--per-broadcast")) {
                perBroadcast = true;
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                o.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Params d = Params.of(100, 8);
        Params r = new Params(Integer.parseInt(o.getOrDefault("agents", "" + d.agents())),
                Integer.parseInt(o.getOrDefault("degree", "" + d.degree())),
                Integer.parseInt(o.getOrDefault("max-links", "0")), relay,
                Integer.parseInt(o.getOrDefault("broadcasts", "" + d.broadcasts())),
                Integer.parseInt(o.getOrDefault("warmup", "" + d.warmup())),
                Integer.parseInt(o.getOrDefault("unicasts", "" + d.unicasts())),
                Long.parseLong(o.getOrDefault("seed", "" + d.seed())),
                Integer.parseInt(o.getOrDefault("loops", "" + d.loops())),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("connect-timeout", "120"))),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("settle", "10"))),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("link-setup-timeout", "10"))), shared,
                Integer.parseInt(o.getOrDefault("lazy-fanout", "-1")), perBroadcast,
                Integer.parseInt(o.getOrDefault("idle", "0")));
        o.keySet().removeAll(Set.of("agents", "degree", "max-links", "broadcasts", "warmup", "unicasts", "seed",
                "loops", "connect-timeout", "settle", "link-setup-timeout", "lazy-fanout", "idle"));
        if (!o.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + o.keySet());
        }
        return r;
    }

    public static void main(String[] args) throws Exception {
        int rounds = 1;
        List<String> rest = new ArrayList<>(List.of(args));
        int at = rest.indexOf("--rounds");
        if (at >= 0 && at + 1 < rest.size()) {
            rounds = Integer.parseInt(rest.get(at + 1));
            rest.subList(at, at + 2).clear();
        }
        List<MeshSimResult> rs = runRounds(parse(rest.toArray(String[]::new)), rounds, System.out::println,
                r -> r.lines().forEach(System.out::println));
        System.exit(rs.stream().allMatch(MeshSimResult::success) ? 0 : 1);
    }
}
