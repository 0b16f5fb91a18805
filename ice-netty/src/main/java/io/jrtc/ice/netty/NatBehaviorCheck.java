package io.jrtc.ice.netty;

import io.jrtc.common.DatagramCore;
import io.jrtc.ice.nat.NatBehaviorDiscovery;
import io.jrtc.ice.nat.NatBehaviorResult;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link NatBehaviorDiscovery} over one UDP socket of its own on one Netty {@link EventLoop}: the thin edge
 * that feeds the core received datagrams and time, writes what it emits and keeps one scheduled task for its
 * {@code pollTimeout}. The socket is closed when the discovery ends or the returned future is cancelled.
 *
 * <p>The socket is bound to a concrete address (the core compares it with the mapped address to detect a NAT):
 * the one given, or else the source address the kernel's routing picks for the server.
 */
public final class NatBehaviorCheck {

    private static final Logger LOG = LoggerFactory.getLogger(NatBehaviorCheck.class);

    private final EventLoop loop;
    private final NatBehaviorDiscovery.Config config;
    private final InetSocketAddress server;
    private final CompletableFuture<NatBehaviorResult> future = new CompletableFuture<>();
    private Channel channel;
    private NatBehaviorDiscovery core;
    private ScheduledFuture<?> timer;
    private long timerDeadline = DatagramCore.NO_TIMEOUT;

    private NatBehaviorCheck(EventLoop loop, NatBehaviorDiscovery.Config config, InetSocketAddress server) {
        this.loop = loop;
        this.config = config;
        this.server = server;
    }

    /**
     * Starts a discovery against {@code server} (resolved) from a fresh socket on {@code bindAddress} (null: the
     * kernel's route source for the server) with an ephemeral port. The future completes on {@code loop} with the
     * result, or exceptionally if the socket cannot be bound; cancelling it stops the discovery.
     *
     * @throws IllegalArgumentException if {@code server} is unresolved, or {@code bindAddress} is of another family
     */
    public static CompletableFuture<NatBehaviorResult> run(EventLoop loop, InetSocketAddress server,
            InetAddress bindAddress, NatBehaviorDiscovery.Config config) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(config, "config");
        if (Objects.requireNonNull(server, "server").isUnresolved()) {
            throw new IllegalArgumentException("server must be resolved: " + server);
        }
        if (bindAddress != null && bindAddress.getClass() != server.getAddress().getClass()) {
            throw new IllegalArgumentException("bind address " + bindAddress.getHostAddress()
                    + " is not of the server's address family: " + server.getAddress().getHostAddress());
        }
        NatBehaviorCheck check = new NatBehaviorCheck(loop, config, server);
        loop.execute(() -> check.bind(bindAddress));
        check.future.whenComplete((r, e) -> loop.execute(check::close));
        return check.future;
    }

    private void bind(InetAddress requested) {
        InetAddress address = requested != null ? requested : LocalAddresses.routeSource(server);
        if (address == null) {
            future.completeExceptionally(new IllegalStateException("no route to " + server));
            return;
        }
        new Bootstrap().group(loop).channel(NioDatagramChannel.class).handler(new Reader())
                .bind(new InetSocketAddress(address, 0)).addListener(f -> {
                    if (!f.isSuccess()) {
                        future.completeExceptionally(f.cause());
                        return;
                    }
                    channel = ((io.netty.channel.ChannelFuture) f).channel();
                    if (future.isDone()) {
                        channel.close();
                        return;
                    }
                    InetSocketAddress local = (InetSocketAddress) channel.localAddress();
                    LOG.debug("NAT behaviour discovery: {} -> {}", local, server);
                    core = new NatBehaviorDiscovery(config, server, local);
                    core.start(System.nanoTime());
                    drain();
                });
    }

    /** Writes what the core emits, completes the future when it is done, else keeps one timer at its timeout. */
    private void drain() {
        boolean wrote = false;
        for (Optional<NatBehaviorDiscovery.Transmit> t = core.pollTransmit(); t.isPresent(); t = core.pollTransmit()) {
            channel.write(new DatagramPacket(Unpooled.wrappedBuffer(t.get().data()), t.get().destination()),
                    channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
        if (core.isDone()) {
            future.complete(core.result().orElseThrow());
            return;
        }
        long deadline = core.pollTimeout();
        if (deadline == timerDeadline && timer != null) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        timerDeadline = deadline;
        if (deadline != DatagramCore.NO_TIMEOUT) {
            long delay = Math.max(0, deadline - System.nanoTime());
            timer = loop.schedule(() -> {
                timer = null;
                timerDeadline = DatagramCore.NO_TIMEOUT;
                if (!future.isDone()) {
                    core.handleTimeout(System.nanoTime());
                    drain();
                }
            }, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void close() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (channel != null) {
            channel.close();
        }
    }

    /** Feeds received datagrams to the core; the buffer is released here, never seen by the core after the call. */
    private final class Reader extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket p)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            try {
                if (core != null && !future.isDone()) {
                    core.handleInput(System.nanoTime(), p.sender(), p.content().nioBuffer());
                }
            } finally {
                p.release();
            }
            if (core != null && !future.isDone()) {
                drain();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("NAT behaviour discovery socket: {}", cause.toString());
        }
    }
}
