package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.datachannel.DataChannelState;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.probe.ProbeTarget;
import io.jrtc.probe.Role;
import io.jrtc.probe.TargetControl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One connection between jrtc (with the probe's tap) and the target, for one scenario: the channels jrtc opens keep
 * what arrives on them in a queue; the channels the target opens are echoed.
 */
public final class Session implements AutoCloseable {

    /** The label of the channel jrtc creates before its offer. */
    public static final String FIRST_LABEL = "probe";

    public final PeerConnection pc;
    public final ProbeTap tap;
    public final Role role;
    private volatile ProbeTarget.Link link;
    private final Map<DataChannel, BlockingQueue<DataChannelMessage>> inbox = new ConcurrentHashMap<>();
    private final Map<String, DataChannel> remoteChannels = new ConcurrentHashMap<>();
    private final CompletableFuture<DataChannel> firstOpen = new CompletableFuture<>();

    private Session(PeerConnection pc, ProbeTap tap, Role role, ProbeTarget.Link link) {
        this.pc = pc;
        this.tap = tap;
        this.role = role;
        this.link = link;
    }

    /** Creates jrtc's connection with {@code faults}, connects it to the target and waits for the first channel. */
    public static Session open(PeerConnectionFactory factory, ProbeTarget target, Role role, List<Fault> faults,
            Duration timeout) throws Exception {
        return open(factory, target, role, faults, b -> { }, UnaryOperator.identity(), timeout);
    }

    /**
     * As {@link #open(PeerConnectionFactory, ProbeTarget, Role, List, Duration)}; {@code configure} adjusts jrtc's
     * configuration (after the route's base and the tap), and the route applies {@code rewrite} to jrtc's descriptions
     * before the target gets them ({@link ProbeTarget#connect(PeerConnection, Role, Duration, UnaryOperator)}).
     */
    public static Session open(PeerConnectionFactory factory, ProbeTarget target, Role role, List<Fault> faults,
            Consumer<RtcConfiguration.Builder> configure, UnaryOperator<String> rewrite, Duration timeout) throws Exception {
        ProbeTap tap = new ProbeTap(faults);
        RtcConfiguration.Builder builder = target.baseConfiguration().packetTap(tap);
        configure.accept(builder);
        RtcConfiguration config = builder.build();
        PeerConnection pc = factory.createPeerConnection(config);
        Session session = new Session(pc, tap, role, null);
        CompletableFuture<DataChannel> first = session.firstOpen;
        pc.onDataChannel(ch -> {
            session.remoteChannels.put(ch.label(), ch);
            ch.onMessage(m -> {
                if (m.isBinary()) {
                    ch.send(m);
                } else {
                    ch.send(m.text());
                }
            });
            if (role == Role.ANSWERER) {
                whenOpen(ch, first);
            }
        });
        try {
            if (role == Role.OFFERER) {
                whenOpen(pc.createDataChannel(FIRST_LABEL), first);
            }
            session.link = target.connect(pc, role, timeout, rewrite);
        } catch (Exception e) {
            pc.close();
            throw e;
        }
        try {
            session.first = first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // no channel: the scenario decides (an INIT the target refused, say)
        } catch (Exception e) {
            session.close();
            throw e;
        }
        return session;
    }

    private volatile DataChannel first;

    /** Whether the first data channel opened (the connection is usable). */
    public boolean connected() {
        return first != null;
    }

    private static void whenOpen(DataChannel ch, CompletableFuture<DataChannel> f) {
        ch.onOpen(() -> f.complete(ch));
        if (ch.readyState() == DataChannelState.OPEN) {
            f.complete(ch);
        }
    }

    public Optional<TargetControl> control() {
        return link.control();
    }

    public String remoteSdp() {
        return link.remoteSdp();
    }

    /** Restarts ICE through the route ({@link ProbeTarget.Link#restartIce}); the target's new description. */
    public String restartIce(Duration timeout) throws Exception {
        return link.restartIce(timeout);
    }

    /** What the route trickled both ways ({@link ProbeTarget.Link#trickle}), if it trickles. */
    public Optional<ProbeTarget.Trickle> trickle() {
        return link.trickle();
    }

    /** Opens a channel and waits until it is open; null when it did not open within {@code timeoutMs}. */
    public DataChannel openChannel(String label, DataChannelInit init, long timeoutMs) throws Exception {
        CompletableFuture<DataChannel> opened = new CompletableFuture<>();
        CompletableFuture<DataChannel> created = new CompletableFuture<>();
        pc.execute(() -> {
            try {
                DataChannel ch = pc.createDataChannel(label, init);
                BlockingQueue<DataChannelMessage> q = new LinkedBlockingQueue<>();
                inbox.put(ch, q);
                ch.onMessage(m -> q.add(copy(m)));
                whenOpen(ch, opened);
                created.complete(ch);
            } catch (RuntimeException e) {
                created.completeExceptionally(e);
            }
        });
        created.get(5, TimeUnit.SECONDS);
        try {
            return opened.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    private static DataChannelMessage copy(DataChannelMessage m) {
        java.nio.ByteBuffer d = m.data().duplicate();
        java.nio.ByteBuffer c = java.nio.ByteBuffer.allocate(d.remaining()).put(d).flip();
        return new DataChannelMessage(c, m.isBinary());
    }

    /** The next message on a channel jrtc opened, or null after {@code timeoutMs}. */
    public DataChannelMessage receive(DataChannel ch, long timeoutMs) throws InterruptedException {
        return inbox.get(ch).poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Sends on the connection's loop. */
    public void send(DataChannel ch, byte[] data) {
        pc.execute(() -> ch.send(data));
    }

    public void send(DataChannel ch, String text) {
        pc.execute(() -> ch.send(text));
    }

    public void close(DataChannel ch) {
        pc.execute(ch::close);
    }

    /** A channel the target opened (echoed by jrtc), by label. */
    public DataChannel remoteChannel(String label) {
        return remoteChannels.get(label);
    }

    @Override
    public void close() {
        try {
            if (link != null) {
                link.close();
            }
        } finally {
            pc.close();
        }
    }
}
