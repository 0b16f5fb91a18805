package io.jrtc.mesh.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny HTTP server for a mesh agent process: {@code GET /metrics} (and HEAD) answers the registry's Prometheus
 * text exposition ({@code text/plain; version=0.0.4}, or OpenMetrics when the {@code Accept} header asks for it),
 * after running {@code beforeScrape} (e.g. {@link MeshMetrics#refresh()}). Any other path is 404, any other method
 * 405. Requests over 8 KiB are refused by the aggregator. Runs on a Netty event loop group, its own (one thread,
 * shut down by {@link #close()}) or the caller's.
 */
public final class MetricsHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);

    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final Channel channel;

    private MetricsHttpServer(EventLoopGroup group, boolean ownGroup, Channel channel) {
        this.group = group;
        this.ownGroup = ownGroup;
        this.channel = channel;
    }

    /** Starts on its own one-thread event loop group, bound to {@code address} (port 0: any free port). */
    public static MetricsHttpServer start(InetSocketAddress address, PrometheusMeterRegistry registry,
            Runnable beforeScrape) throws InterruptedException {
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jrtc-mesh-metrics", true),
                NioIoHandler.newFactory());
        try {
            return start(g, true, address, registry, beforeScrape);
        } catch (RuntimeException | InterruptedException e) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Starts on the caller's NIO event loop {@code group}, which {@link #close()} leaves running. */
    public static MetricsHttpServer start(EventLoopGroup group, InetSocketAddress address,
            PrometheusMeterRegistry registry, Runnable beforeScrape) throws InterruptedException {
        return start(group, false, address, registry, beforeScrape);
    }

    private static MetricsHttpServer start(EventLoopGroup group, boolean own, InetSocketAddress address,
            PrometheusMeterRegistry registry, Runnable beforeScrape) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new Handler(registry, beforeScrape));
                    }
                });
        Channel ch = b.bind(address).sync().channel();
        InetSocketAddress bound = (InetSocketAddress) ch.localAddress();
        LOG.info("mesh metrics at http://{}:{}/metrics", bound.getHostString(), bound.getPort());
        return new MetricsHttpServer(group, own, ch);
    }

    /** The address bound (with the actual port). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (ownGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final PrometheusMeterRegistry registry;
        private final Runnable beforeScrape;

        Handler(PrometheusMeterRegistry registry, Runnable beforeScrape) {
            this.registry = registry;
            this.beforeScrape = beforeScrape;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            HttpMethod m = req.method();
            if (!new QueryStringDecoder(req.uri()).path().equals("/metrics")) {
                respond(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8", "not found\n");
            } else if (!m.equals(HttpMethod.GET) && !m.equals(HttpMethod.HEAD)) {
                respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                        "method not allowed\n");
            } else {
                String accept = req.headers().get(HttpHeaderNames.ACCEPT);
                boolean openMetrics = accept != null && accept.contains("application/openmetrics-text");
                beforeScrape.run();
                String text = registry.scrape(openMetrics ? "application/openmetrics-text" : "text/plain");
                respond(ctx, req, HttpResponseStatus.OK, openMetrics
                        ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                        : "text/plain; version=0.0.4; charset=utf-8", text);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("metrics connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }

        private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
                String contentType, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            boolean head = req.method().equals(HttpMethod.HEAD);
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            if (HttpUtil.isKeepAlive(req)) {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(res);
            } else {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
