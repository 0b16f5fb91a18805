package io.jrtc.ice.netty;

import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceEvent;
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
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sockets of one ICE agent, and nothing else: the I/O half of an ICE edge, on ONE given {@link EventLoop}. It binds
 * one UDP socket per allowed local address ({@link #bind()}), opens TCP or TLS ({@link SslHandler}) streams to TURN
 * servers and resolves their host names when the agent asks ({@link #request(IceEvent)}), writes the agent's
 * {@link IceTransmit}s ({@link #write}, then {@link #flush()}), and hands every datagram and stream event it reads to
 * its {@link Owner}. It holds no ICE state, no timer and no clock: the owner drives the agent (or a whole
 * peer-connection core) and drains it after each call. Used by {@link IceTransport} and by the peer connection's edge.
 *
 * <p><b>Threading:</b> loop-confined. Every {@link Owner} callback runs on the loop; call every method on the loop,
 * except {@link #close()} and {@link #localAddresses()}. Received {@link ByteBuf}s are released when the owner's
 * callback returns: the owner must not keep the buffer it is given.
 */
public final class IceSockets {

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

    private static final Logger LOG = LoggerFactory.getLogger(IceSockets.class);
    /** TURN servers already warned about having no allowed source address (bounded: a warning, once each). */
    private static final Set<InetSocketAddress> WARNED_NO_STREAM_SOURCE = ConcurrentHashMap.newKeySet();

    /** What the sockets report; every call on the loop. */
    public interface Owner {

        /** A datagram (UDP) or stream bytes (TURN over TCP/TLS) arrived; {@code data} is valid during the call only. */
        void input(SocketId via, InetSocketAddress from, ByteBuffer data);

        /** A TURN stream asked for with {@link IceEvent.OpenStream} is connected (after TLS, for TLS). */
        void streamConnected(SocketId id, InetSocketAddress local);

        /** A TURN stream failed to connect, or closed. */
        void streamClosed(SocketId id, String why);

        /** A host name asked for with {@link IceEvent.ResolveHost} resolved (empty when it did not). */
        void hostResolved(String host, List<InetAddress> found);
    }

    /** A bound UDP socket. */
    public record Bound(SocketId id, InetSocketAddress local) {
    }

    private final EventLoop loop;
    private final IceConfig config;
    private final Owner owner;
    private final Map<SocketId, Channel> udp = new HashMap<>(2);
    private final Map<SocketId, Channel> streams = new HashMap<>(0);
    private final List<Channel> toFlush = new ArrayList<>(2);
    /** The test seam of {@link IceConfig#writeObserver()}; null in production. */
    private final IceWriteObserver writeObserver;
    private final AtomicInteger nextUdpIndex = new AtomicInteger();
    /** See {@link #datagramTap(DatagramTap)}; null in production. */
    private volatile DatagramTap datagramTap;
    private volatile List<InetSocketAddress> localAddresses = List.of();
    /** The allow-list resolved at {@link #bind()}: UDP sockets bind these, TURN streams take a source here. */
    private List<InetAddress> allowedAddresses = List.of();
    private SslContext sslContext;
    private CompletableFuture<Void> closeFuture;

    public IceSockets(EventLoop loop, IceConfig config, Owner owner) {
        this.loop = loop;
        this.config = config;
        this.owner = owner;
        this.writeObserver = config.writeObserver();
    }

    public EventLoop eventLoop() {
        return loop;
    }

    /** The addresses of the UDP sockets bound so far; any thread. */
    public List<InetSocketAddress> localAddresses() {
        return localAddresses;
    }

    /**
     * Puts a {@link DatagramTap} on the UDP datagrams, both ways (probes, tests); set it before binding. Null (the
     * default) for none.
     */
    public IceSockets datagramTap(DatagramTap tap) {
        this.datagramTap = tap;
        return this;
    }

    /** Whether {@link #close()} was called. */
    public boolean closing() {
        return closeFuture != null;
    }

    /**
     * Binds one UDP socket per allowed address (the allow-list of {@link IceConfig}, or the default-route interfaces:
     * {@link LocalAddresses}). The future completes on the loop with the sockets bound (a failed bind is logged and
     * left out); empty if {@link #close()} came first. Loop only.
     */
    public CompletableFuture<List<Bound>> bind() {
        CompletableFuture<List<Bound>> done = new CompletableFuture<>();
        List<InetAddress> addresses;
        try {
            addresses = LocalAddresses.select(config);
        } catch (SocketException e) {
            LOG.warn("cannot list network interfaces", e);
            done.completeExceptionally(e);
            return done;
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
            List<Bound> bound = new ArrayList<>();
            boolean closing = closeFuture != null;
            for (int i = 0; i < binds.size(); i++) {
                ChannelFuture f = binds.get(i);
                if (f.isSuccess() && closing) {
                    f.channel().close(); // close() came first: nothing to gather any more
                } else if (f.isSuccess()) {
                    SocketId id = ((UdpHandler) f.channel().pipeline().first()).id;
                    InetSocketAddress local = (InetSocketAddress) f.channel().localAddress();
                    udp.put(id, f.channel());
                    bound.add(new Bound(id, local));
                } else {
                    LOG.warn("could not bind UDP on {}", addresses.get(i), f.cause());
                }
            }
            localAddresses = bound.stream().map(Bound::local).toList();
            done.complete(List.copyOf(bound));
        };
        if (binds.isEmpty()) {
            finish.run();
            return done;
        }
        for (ChannelFuture f : binds) {
            f.addListener(x -> {
                if (remaining.decrementAndGet() == 0) {
                    finish.run();
                }
            });
        }
        return done;
    }

    /**
     * Carries out what the agent asks of the sockets: {@link IceEvent.OpenStream}, {@link IceEvent.CloseStream},
     * {@link IceEvent.ResolveHost}. Returns false for any other event (not the sockets'). Loop only.
     */
    public boolean request(IceEvent e) {
        switch (e) {
            case IceEvent.OpenStream o -> openStream(o);
            case IceEvent.CloseStream c -> {
                Channel ch = streams.remove(c.id());
                if (ch != null) {
                    ch.close();
                }
            }
            case IceEvent.ResolveHost r -> resolve(r.host());
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Writes one datagram (or stream bytes) of the agent; it leaves at {@link #flush()}. Loop only. */
    public void write(IceTransmit t) {
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

    /** Flushes the sockets written since the last flush. Loop only. */
    public void flush() {
        for (Channel c : toFlush) {
            c.flush();
        }
        toFlush.clear();
    }

    /**
     * Closes every socket and stream (release TURN allocations first: the agent's close). The future completes when
     * all channels are closed. Any thread.
     */
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        run(() -> {
            if (closeFuture != null) {
                closeFuture.whenComplete((v, e) -> f.complete(null));
                return;
            }
            closeFuture = f;
            List<ChannelFuture> closes = new ArrayList<>();
            for (Channel c : udp.values()) {
                closes.add(c.close());
            }
            for (Channel c : streams.values()) {
                closes.add(c.close());
            }
            udp.clear();
            streams.clear();
            toFlush.clear();
            if (closes.isEmpty()) {
                f.complete(null);
                return;
            }
            AtomicInteger remaining = new AtomicInteger(closes.size());
            for (ChannelFuture cf : closes) {
                cf.addListener(x -> {
                    if (remaining.decrementAndGet() == 0) {
                        f.complete(null);
                    }
                });
            }
        });
        return f;
    }

    // ------------------------------------------------------------------------------------------------ inside

    private void run(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    /** Writes a datagram the {@link DatagramTap} let out; flushed with the batch it joins, or at once. */
    void writeTapped(Channel ch, InetSocketAddress to, ByteBuffer data) {
        runTapped(() -> {
            if (!ch.isActive()) {
                return;
            }
            ch.write(new DatagramPacket(Unpooled.wrappedBuffer(data), to), ch.voidPromise());
            if (toFlush.isEmpty()) {
                ch.flush();
            } else if (!toFlush.contains(ch)) {
                toFlush.add(ch);
            }
        });
    }

    /** Hands a datagram the {@link DatagramTap} let in to the owner. */
    void readTapped(SocketId id, InetSocketAddress from, ByteBuffer data) {
        runTapped(() -> {
            if (closeFuture == null) {
                owner.input(id, from, data);
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
            runTapped(() -> owner.hostResolved(host, result));
        });
    }

    private void openStream(IceEvent.OpenStream o) {
        SslContext ssl = null;
        if (o.tls()) {
            try {
                ssl = sslContext();
            } catch (SSLException e) {
                LOG.warn("cannot build a TLS context for TURN {}", o.server(), e);
                owner.streamClosed(o.id(), "TLS setup failed: " + e.getMessage());
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
            owner.streamClosed(o.id(), why);
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
                owner.streamClosed(o.id(), "connect failed: " + x.cause());
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
                if (closeFuture != null) {
                    return;
                }
                DatagramTap tap = datagramTap;
                if (tap != null) {
                    Tapped.inbound(IceSockets.this, tap, id, p.sender(), p.content().nioBuffer());
                } else {
                    owner.input(id, p.sender(), p.content().nioBuffer());
                }
            } finally {
                p.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("UDP socket {}: {}", id, cause.toString());
        }
    }

    /** Reads bytes of one TURN stream and reports its life to the owner. */
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
                owner.streamConnected(id, (InetSocketAddress) ctx.channel().localAddress());
            }
            super.channelActive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent hs) {
                if (hs.isSuccess()) {
                    owner.streamConnected(id, (InetSocketAddress) ctx.channel().localAddress());
                } else {
                    LOG.warn("TLS handshake with TURN server {} failed: {}", server, hs.cause().toString());
                    reported = true;
                    owner.streamClosed(id, "TLS handshake failed: " + hs.cause().getMessage());
                    ctx.close();
                }
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
                owner.input(id, server, buf.nioBuffer());
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            streams.remove(id, ctx.channel());
            if (!reported && closeFuture == null) {
                reported = true;
                owner.streamClosed(id, "connection closed");
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
