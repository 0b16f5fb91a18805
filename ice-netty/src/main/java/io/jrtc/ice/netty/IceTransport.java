package io.jrtc.ice.netty;

import io.jrtc.common.DatagramCore;
import io.jrtc.ice.IceAgent;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidatePair;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceCredentials;
import io.jrtc.ice.IceEvent;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceProtocol;
import io.jrtc.ice.IceRole;
import io.jrtc.ice.IceStats;
import io.jrtc.ice.IceTransmit;
import io.jrtc.ice.IceWriteObserver;
import io.jrtc.ice.SocketId;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Netty edge around one {@link IceAgent}, living on ONE given {@link EventLoop}. It binds one UDP socket per
 * allowed local address (ephemeral port), opens TCP or TLS ({@link SslHandler}) connections to TURN servers when the
 * agent asks (bound to an allowed address of the server's family, ephemeral port; none such, no connection), feeds
 * {@link IceAgent#handleInput}, writes everything {@link IceAgent#pollTransmit()} gives, and keeps
 * exactly one scheduled task for {@link IceAgent#pollTimeout()} (rescheduled only when the deadline moves earlier).
 * Received {@link ByteBuf}s are released in {@code finally}; reference counting never reaches the agent.
 *
 * <p><b>Threading:</b> every callback ({@code onLocalCandidate}, {@code onData}, ...) runs on the event loop. Public
 * methods may be called from any thread: off the loop they hop onto it. {@link #send(ByteBuffer)} is the data path:
 * call it on the loop (it then neither hops nor copies twice). No thread is created per transport; thousands of
 * transports can share a small {@code MultiThreadIoEventLoopGroup}. Host names of servers are resolved on a
 * short-lived virtual thread, never on the loop.
 */
public final class IceTransport {

    /**
     * Socket buffers for the UDP sockets. The Linux default (208 KiB, rmem_default) holds only about 90 full-size
     * datagrams, and a peer's SCTP burst over a fast path (veth, loopback, LAN) overflows it: the kernel counts
     * {@code RcvbufErrors} and every loss costs a retransmission, or a message on a partially reliable channel. The
     * kernel caps the request at {@code net.core.rmem_max}/{@code wmem_max}; memory is only used while data queues.
     */
    static final int UDP_RECEIVE_BUFFER = 2 * 1024 * 1024;
    static final int UDP_SEND_BUFFER = 1024 * 1024;
    /** Largest datagram read; WebRTC datagrams stay under the path MTU (1500), TURN ChannelData adds 4 bytes. */
    static final int UDP_MAX_DATAGRAM = 2048;
    /** Datagrams read per socket per loop iteration before other channels get a turn (Netty's default is 16). */
    static final int UDP_MAX_READS_PER_LOOP = 64;

    private static final Logger LOG = LoggerFactory.getLogger(IceTransport.class);
    /** TURN servers already warned about having no allowed source address (bounded: a warning, once each). */
    private static final Set<InetSocketAddress> WARNED_NO_STREAM_SOURCE = ConcurrentHashMap.newKeySet();

    private final EventLoop loop;
    private final IceConfig config;
    private final IceAgent agent;

    private final Map<SocketId, Channel> udp = new HashMap<>(2);
    private final Map<SocketId, Channel> streams = new HashMap<>(0);
    private final List<Channel> toFlush = new ArrayList<>(2);
    /** The test seam of {@link IceConfig#writeObserver()}; null in production. */
    private final IceWriteObserver writeObserver;
    /** See {@link #datagramTap(DatagramTap)}; null in production. */
    private volatile DatagramTap datagramTap;
    private final AtomicInteger nextUdpIndex = new AtomicInteger();
    private SslContext sslContext;

    private ScheduledFuture<?> timer;
    private long timerDeadline = DatagramCore.NO_TIMEOUT;
    private boolean draining;
    private boolean gatheringRequested;
    private CompletableFuture<Void> closeFuture;
    private boolean channelsClosing;

    private volatile IceCredentials localCredentials;
    private volatile IceConnectionState connectionState = IceConnectionState.NEW;
    private volatile IceGatheringState gatheringState = IceGatheringState.NEW;
    private volatile IceCandidatePair selectedPair;
    private volatile List<InetSocketAddress> localAddresses = List.of();
    /** The allow-list resolved at {@link #startGathering()}: UDP sockets bind these, TURN streams take a source here. */
    private List<InetAddress> allowedAddresses = List.of();

    private volatile Consumer<IceCandidate> onLocalCandidate = c -> { };
    private volatile Consumer<IceGatheringState> onGatheringStateChange = s -> { };
    private volatile Consumer<IceConnectionState> onConnectionStateChange = s -> { };
    private volatile Consumer<IceCandidatePair> onSelectedPairChange = p -> { };
    private volatile Consumer<ByteBuffer> onData = b -> { };
    private volatile Consumer<IceEvent.Error> onError = e -> { };
    private volatile Consumer<IceRole> onRoleChange = r -> { };

    /** A transport with random local credentials drawn from {@link IceConfig#random()}. */
    public IceTransport(EventLoop loop, IceConfig config) {
        this(loop, config, IceCredentials.random(config.random()));
    }

    public IceTransport(EventLoop loop, IceConfig config, IceCredentials localCredentials) {
        this.loop = loop;
        this.config = config;
        this.writeObserver = config.writeObserver();
        this.agent = new IceAgent(config, localCredentials);
        this.localCredentials = localCredentials;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    /** The current local ufrag/pwd (they change on {@link #restart()}). */
    public IceCredentials localCredentials() {
        return localCredentials;
    }

    public IceConnectionState connectionState() {
        return connectionState;
    }

    public IceGatheringState gatheringState() {
        return gatheringState;
    }

    public Optional<IceCandidatePair> selectedPair() {
        return Optional.ofNullable(selectedPair);
    }

    /** The addresses of the UDP sockets bound so far. */
    public List<InetSocketAddress> localAddresses() {
        return localAddresses;
    }

    // ------------------------------------------------------------------------------------------------ listeners

    public IceTransport onLocalCandidate(Consumer<IceCandidate> l) {
        onLocalCandidate = l;
        return this;
    }

    public IceTransport onGatheringStateChange(Consumer<IceGatheringState> l) {
        onGatheringStateChange = l;
        return this;
    }

    public IceTransport onConnectionStateChange(Consumer<IceConnectionState> l) {
        onConnectionStateChange = l;
        return this;
    }

    public IceTransport onSelectedPairChange(Consumer<IceCandidatePair> l) {
        onSelectedPairChange = l;
        return this;
    }

    /** Application data; the buffer is valid during the call only. */
    public IceTransport onData(Consumer<ByteBuffer> l) {
        onData = l;
        return this;
    }

    public IceTransport onError(Consumer<IceEvent.Error> l) {
        onError = l;
        return this;
    }

    public IceTransport onRoleChange(Consumer<IceRole> l) {
        onRoleChange = l;
        return this;
    }

    // ------------------------------------------------------------------------------------------------ control

    /**
     * Binds one UDP socket per allowed address and starts gathering. The future completes (on the loop) once the
     * sockets are bound and gathering began; candidates then arrive through {@link #onLocalCandidate}.
     */
    public CompletableFuture<Void> startGathering() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(() -> {
            if (gatheringRequested) {
                done.complete(null);
                return;
            }
            gatheringRequested = true;
            List<InetAddress> addresses;
            try {
                addresses = bindAddresses(config);
            } catch (SocketException e) {
                LOG.warn("cannot list network interfaces", e);
                done.completeExceptionally(e);
                return;
            }
            allowedAddresses = addresses;
            if (addresses.isEmpty()) {
                LOG.warn("no local address to bind: ICE will only have what TURN gives through no socket at all");
            }
            List<ChannelFuture> binds = new ArrayList<>(addresses.size());
            for (InetAddress a : addresses) {
                SocketId id = SocketId.udp(nextUdpIndex.getAndIncrement());
                Bootstrap b = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                        .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER)
                        .option(ChannelOption.SO_SNDBUF, UDP_SEND_BUFFER)
                        .option(ChannelOption.RECVBUF_ALLOCATOR,
                                new FixedRecvByteBufAllocator(UDP_MAX_DATAGRAM).maxMessagesPerRead(UDP_MAX_READS_PER_LOOP))
                        .handler(new UdpHandler(id));
                binds.add(b.bind(new InetSocketAddress(a, 0)));
            }
            AtomicInteger remaining = new AtomicInteger(binds.size());
            Runnable finish = () -> {
                List<InetSocketAddress> bound = new ArrayList<>();
                boolean closing = closeFuture != null;
                for (int i = 0; i < binds.size(); i++) {
                    ChannelFuture f = binds.get(i);
                    if (f.isSuccess() && closing) {
                        f.channel().close(); // close() came first: nothing to gather any more
                    } else if (f.isSuccess()) {
                        SocketId id = ((UdpHandler) f.channel().pipeline().first()).id;
                        InetSocketAddress local = (InetSocketAddress) f.channel().localAddress();
                        udp.put(id, f.channel());
                        bound.add(local);
                        agent.addLocalSocket(System.nanoTime(), id, local, IceProtocol.UDP);
                    } else {
                        LOG.warn("could not bind UDP on {}", addresses.get(i), f.cause());
                    }
                }
                localAddresses = List.copyOf(bound);
                if (!closing) {
                    agent.startGathering(System.nanoTime());
                    drain();
                }
                done.complete(null);
            };
            if (binds.isEmpty()) {
                finish.run();
                return;
            }
            for (ChannelFuture f : binds) {
                f.addListener(x -> {
                    if (remaining.decrementAndGet() == 0) {
                        finish.run();
                    }
                });
            }
        });
        return done;
    }

    public void setRemoteCredentials(IceCredentials remote) {
        run(() -> {
            agent.setRemoteCredentials(System.nanoTime(), remote);
            drain();
        });
    }

    public void addRemoteCandidate(IceCandidate candidate) {
        run(() -> {
            agent.addRemoteCandidate(System.nanoTime(), candidate);
            drain();
        });
    }

    public void addRemoteEndOfCandidates() {
        run(() -> {
            agent.endOfRemoteCandidates(System.nanoTime());
            drain();
        });
    }

    public void setRole(IceRole role) {
        run(() -> {
            agent.setRole(role);
            drain();
        });
    }

    /** ICE restart with fresh random credentials; the future gives them (to put in the new offer/answer). */
    public CompletableFuture<IceCredentials> restart() {
        return restart(IceCredentials.random(config.random()));
    }

    /** ICE restart with the given new local credentials. */
    public CompletableFuture<IceCredentials> restart(IceCredentials newLocal) {
        CompletableFuture<IceCredentials> f = new CompletableFuture<>();
        run(() -> {
            agent.restart(System.nanoTime(), newLocal);
            localCredentials = newLocal;
            drain();
            f.complete(newLocal);
        });
        return f;
    }

    /**
     * Puts a {@link DatagramTap} on this transport's UDP datagrams, both ways (probes, tests); set it before gathering.
     * Null (the default) for none.
     */
    public IceTransport datagramTap(DatagramTap tap) {
        this.datagramTap = tap;
        return this;
    }

    /**
     * Sends application data over the selected pair. On the loop the data is handed to the agent at once (one copy);
     * off the loop it is copied and sent from the loop. Returns false if the agent dropped it (no pair yet, consent
     * lost); off the loop it returns true once queued.
     */
    public boolean send(ByteBuffer data) {
        if (loop.inEventLoop()) {
            boolean ok = agent.send(System.nanoTime(), data);
            drain();
            return ok;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        loop.execute(() -> {
            if (!agent.isClosed() && connectionState != IceConnectionState.CLOSED) {
                agent.send(System.nanoTime(), copy);
                drain();
            }
        });
        return true;
    }

    /**
     * As {@link #send}, but the caller hands the buffer over and never writes to it again: no copy on or off the loop
     * (see {@link IceAgent#sendOwned}). The datagram goes to the socket as it is, wrapped, not copied.
     */
    public boolean sendOwned(ByteBuffer data) {
        if (loop.inEventLoop()) {
            boolean ok = agent.sendOwned(System.nanoTime(), data);
            drain();
            return ok;
        }
        loop.execute(() -> {
            if (!agent.isClosed() && connectionState != IceConnectionState.CLOSED) {
                agent.sendOwned(System.nanoTime(), data);
                drain();
            }
        });
        return true;
    }

    /** Counters of the agent; blocks for at most 5 s when called off the loop. */
    public IceStats stats() {
        if (loop.inEventLoop()) {
            return agent.stats();
        }
        try {
            return loop.submit(agent::stats).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading ICE stats", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read ICE stats", e);
        }
    }

    /**
     * Closes: TURN allocations are released (waiting at most {@link IceConfig#closeTimeout()}), then every socket
     * and stream closes. The future completes when all channels are closed.
     */
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        run(() -> {
            if (closeFuture != null) {
                closeFuture.whenComplete((v, e) -> f.complete(null));
                return;
            }
            closeFuture = f;
            agent.close(System.nanoTime());
            drain();
        });
        return f;
    }

    // ------------------------------------------------------------------------------------------------ the loop side

    private void run(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    /** Writes what the agent queued, dispatches its events, and re-arms the single timer. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            for (int guard = 0; guard < 64; guard++) {
                boolean any = false;
                for (Optional<IceTransmit> t = agent.pollTransmit(); t.isPresent(); t = agent.pollTransmit()) {
                    any = true;
                    write(t.get());
                }
                for (Optional<IceEvent> e = agent.pollEvent(); e.isPresent(); e = agent.pollEvent()) {
                    any = true;
                    dispatch(e.get());
                }
                if (!any) {
                    break;
                }
            }
            for (Channel c : toFlush) {
                c.flush();
            }
            toFlush.clear();
        } finally {
            draining = false;
        }
        if (closeFuture != null && agent.isClosed()) {
            finishClose();
            return;
        }
        reschedule();
    }

    private void write(IceTransmit t) {
        Channel ch = t.via().isStream() ? streams.get(t.via()) : udp.get(t.via());
        if (ch == null || !ch.isActive()) {
            LOG.debug("no open channel for {}; dropping {} bytes to {}", t.via(), t.data().remaining(), t.destination());
            return;
        }
        if (writeObserver != null) {
            writeObserver.written(t.destination(), t.data().remaining());
        }
        DatagramTap tap = datagramTap;
        if (tap != null && !t.via().isStream()) {
            Tapped.outbound(this, tap, ch, t);
            return;
        }
        ByteBuf buf = Unpooled.wrappedBuffer(t.data());
        Object msg = t.via().isStream() ? buf : new DatagramPacket(buf, t.destination());
        ch.write(msg, ch.voidPromise());
        if (!toFlush.contains(ch)) {
            toFlush.add(ch);
        }
    }

    /** Writes a datagram the {@link DatagramTap} let out: queued for the drain's flush inside a drain, else flushed. */
    void writeTapped(Channel ch, InetSocketAddress to, ByteBuffer data) {
        runTapped(() -> {
            if (!ch.isActive()) {
                return;
            }
            ch.write(new DatagramPacket(Unpooled.wrappedBuffer(data), to), ch.voidPromise());
            if (draining) {
                if (!toFlush.contains(ch)) {
                    toFlush.add(ch);
                }
            } else {
                ch.flush();
            }
        });
    }

    /** On the loop; a tap's late datagram after the loop shut down has nowhere to go. */
    private void runTapped(Runnable r) {
        try {
            run(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("a tapped datagram came after the loop shut down");
        }
    }

    /** Hands a datagram the {@link DatagramTap} let in to the agent. */
    void readTapped(io.jrtc.ice.SocketId id, InetSocketAddress from, ByteBuffer data) {
        runTapped(() -> {
            if (!agent.isClosed()) {
                agent.handleInput(System.nanoTime(), id, from, data);
                drain();
            }
        });
    }

    private void dispatch(IceEvent e) {
        try {
            switch (e) {
                case IceEvent.LocalCandidate c -> onLocalCandidate.accept(c.candidate());
                case IceEvent.GatheringStateChanged g -> {
                    gatheringState = g.state();
                    onGatheringStateChange.accept(g.state());
                }
                case IceEvent.ConnectionStateChanged s -> {
                    connectionState = s.state();
                    onConnectionStateChange.accept(s.state());
                }
                case IceEvent.SelectedPairChanged p -> {
                    selectedPair = p.pair();
                    onSelectedPairChange.accept(p.pair());
                }
                case IceEvent.ApplicationData d -> onData.accept(d.data());
                case IceEvent.RoleChanged r -> onRoleChange.accept(r.role());
                case IceEvent.Error err -> onError.accept(err);
                case IceEvent.OpenStream o -> openStream(o);
                case IceEvent.CloseStream c -> {
                    Channel ch = streams.remove(c.id());
                    if (ch != null) {
                        ch.close();
                    }
                }
                case IceEvent.ResolveHost r -> resolve(r.host());
            }
        } catch (RuntimeException ex) {
            LOG.warn("ICE listener threw on {}", e.getClass().getSimpleName(), ex);
        }
    }

    private void reschedule() {
        long deadline = agent.pollTimeout();
        if (deadline == DatagramCore.NO_TIMEOUT) {
            return;
        }
        if (timer != null && timerDeadline <= deadline) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerDeadline = deadline;
        long delay = Math.max(0, deadline - System.nanoTime());
        timer = loop.schedule(this::onTimer, delay, TimeUnit.NANOSECONDS);
    }

    private void onTimer() {
        timer = null;
        timerDeadline = DatagramCore.NO_TIMEOUT;
        agent.handleTimeout(System.nanoTime());
        drain();
    }

    private void finishClose() {
        if (channelsClosing) {
            return;
        }
        channelsClosing = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        List<ChannelFuture> closes = new ArrayList<>();
        for (Channel c : udp.values()) {
            closes.add(c.close());
        }
        for (Channel c : streams.values()) {
            closes.add(c.close());
        }
        udp.clear();
        streams.clear();
        CompletableFuture<Void> f = closeFuture;
        AtomicInteger remaining = new AtomicInteger(closes.size());
        if (closes.isEmpty()) {
            f.complete(null);
            return;
        }
        for (ChannelFuture cf : closes) {
            cf.addListener(x -> {
                if (remaining.decrementAndGet() == 0) {
                    f.complete(null);
                }
            });
        }
    }

    private void resolve(String host) {
        Thread.ofVirtual().name("ice-resolve").start(() -> {
            List<InetAddress> found;
            try {
                found = Arrays.asList(InetAddress.getAllByName(host));
            } catch (Exception e) {
                LOG.warn("could not resolve ICE server host {}: {}", host, e.toString());
                found = List.of();
            }
            List<InetAddress> result = found;
            loop.execute(() -> {
                agent.hostResolved(System.nanoTime(), host, result);
                drain();
            });
        });
    }

    private void openStream(IceEvent.OpenStream o) {
        SslContext ssl = null;
        if (o.tls()) {
            try {
                ssl = sslContext();
            } catch (SSLException e) {
                LOG.warn("cannot build a TLS context for TURN {}", o.server(), e);
                agent.streamClosed(System.nanoTime(), o.id(), "TLS setup failed: " + e.getMessage());
                return;
            }
        }
        InetAddress source = LocalAddresses.streamSource(allowedAddresses, o.server().getAddress(),
                LocalAddresses.routeSource(o.server()));
        if (source == null) {
            String why = "no allowed local address of the server's family (allowed: " + allowedAddresses + ")";
            if (WARNED_NO_STREAM_SOURCE.size() < 64 && WARNED_NO_STREAM_SOURCE.add(o.server())) {
                LOG.warn("TURN server {}: not connecting over {}: {}", o.server(), o.tls() ? "TLS" : "TCP", why);
            } else {
                LOG.debug("TURN server {}: not connecting: {}", o.server(), why);
            }
            agent.streamClosed(System.nanoTime(), o.id(), why);
            return;
        }
        SslContext tls = ssl;
        Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .localAddress(new InetSocketAddress(source, 0))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            String peerHost = o.serverName() != null ? o.serverName() : o.server().getAddress().getHostAddress();
                            SSLEngine engine = tls.newEngine(ch.alloc(), peerHost, o.server().getPort());
                            if (o.serverName() != null) {
                                SSLParameters params = engine.getSSLParameters();
                                params.setEndpointIdentificationAlgorithm("HTTPS");
                                engine.setSSLParameters(params);
                            }
                            ch.pipeline().addLast(new SslHandler(engine));
                        }
                        ch.pipeline().addLast(new StreamHandler(o.id(), o.server(), tls != null));
                    }
                });
        ChannelFuture f = b.connect(o.server());
        streams.put(o.id(), f.channel());
        f.addListener(x -> {
            if (!x.isSuccess()) {
                streams.remove(o.id());
                agent.streamClosed(System.nanoTime(), o.id(), "connect failed: " + x.cause());
                drain();
            }
        });
    }

    private SslContext sslContext() throws SSLException {
        if (sslContext == null) {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (config.turnTlsTrustManager() != null) {
                b.trustManager(config.turnTlsTrustManager());
            }
            sslContext = b.build();
        }
        return sslContext;
    }

    /**
     * Which addresses to bind: the allow-list (addresses, named interfaces, {@code "*"} for every interface), or by
     * default the addresses of the interfaces that carry a default route ({@link LocalAddresses}).
     */
    static List<InetAddress> bindAddresses(IceConfig config) throws SocketException {
        return LocalAddresses.select(config);
    }

    /** Reads datagrams of one UDP socket. */
    private final class UdpHandler extends ChannelInboundHandlerAdapter {
        final SocketId id;

        UdpHandler(SocketId id) {
            this.id = id;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket p)) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            try {
                DatagramTap tap = datagramTap;
                if (tap != null) {
                    Tapped.inbound(IceTransport.this, tap, id, p.sender(), p.content().nioBuffer());
                } else {
                    agent.handleInput(System.nanoTime(), id, p.sender(), p.content().nioBuffer());
                }
            } finally {
                p.release();
            }
            drain();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("UDP socket {}: {}", id, cause.toString());
        }
    }

    /** Reads bytes of one TURN stream and reports its life to the agent. */
    private final class StreamHandler extends ChannelInboundHandlerAdapter {
        final SocketId id;
        final InetSocketAddress server;
        final boolean tls;
        boolean reported;

        StreamHandler(SocketId id, InetSocketAddress server, boolean tls) {
            this.id = id;
            this.server = server;
            this.tls = tls;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (!tls) {
                agent.streamConnected(System.nanoTime(), id, (InetSocketAddress) ctx.channel().localAddress());
                drain();
            }
            super.channelActive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent hs) {
                if (hs.isSuccess()) {
                    agent.streamConnected(System.nanoTime(), id, (InetSocketAddress) ctx.channel().localAddress());
                } else {
                    LOG.warn("TLS handshake with TURN server {} failed: {}", server, hs.cause().toString());
                    reported = true;
                    agent.streamClosed(System.nanoTime(), id, "TLS handshake failed: " + hs.cause().getMessage());
                    ctx.close();
                }
                drain();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            try {
                agent.handleInput(System.nanoTime(), id, server, buf.nioBuffer());
            } finally {
                buf.release();
            }
            drain();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            streams.remove(id, ctx.channel());
            if (!reported) {
                reported = true;
                agent.streamClosed(System.nanoTime(), id, "connection closed");
                drain();
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("TURN stream {} to {}: {}", id, server, cause.toString());
            ctx.close();
        }
    }
}
