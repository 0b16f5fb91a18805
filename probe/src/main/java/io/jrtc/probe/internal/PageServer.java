package io.jrtc.probe.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP and WebSocket server of {@code --serve-page} (Netty): {@code GET /} is the self-contained target page, and
 * {@code /ws} its signaling, JSON text messages both ways. One page at a time is the target: a newer connection
 * replaces the older one (which is closed). Binds only the address it is given.
 */
public final class PageServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PageServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 1 << 20;

    private final EventLoopGroup group;
    private final Channel server;
    private final byte[] page;
    private final Consumer<JsonNode> onMessage;
    private final Runnable onPageGone;
    private volatile Channel pageChannel;

    /**
     * @param onMessage  each JSON message from the current page (on a Netty thread)
     * @param onPageGone when the current page's WebSocket closes
     */
    public PageServer(InetSocketAddress listen, Consumer<JsonNode> onMessage, Runnable onPageGone) {
        this.page = loadPage();
        this.onMessage = onMessage;
        this.onPageGone = onPageGone;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jrtc-probe-page"), NioIoHandler.newFactory());
        try {
            this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), new Routes(),
                                    new WebSocketServerProtocolHandler("/ws", null, false, MAX_MESSAGE),
                                    new WebSocketFrameAggregator(MAX_MESSAGE), new Messages());
                        }
                    })
                    .bind(listen).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    private static byte[] loadPage() {
        try (InputStream in = PageServer.class.getResourceAsStream("/io/jrtc/probe/served-page.html")) {
            if (in == null) {
                throw new IllegalStateException("served-page.html is missing from the probe's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the server listens (its port is the one the system chose when 0 was asked). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Whether a page is connected now. */
    public boolean pageConnected() {
        Channel c = pageChannel;
        return c != null && c.isActive();
    }

    /** Sends {@code message} to the current page; false when none is connected. */
    public boolean send(JsonNode message) {
        Channel c = pageChannel;
        if (c == null || !c.isActive()) {
            return false;
        }
        c.writeAndFlush(new TextWebSocketFrame(message.toString()));
        return true;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        Channel c = pageChannel;
        if (c != null) {
            c.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * {@code GET /} (the page); {@code /ws} goes on to the WebSocket handshake when its {@code Origin} is the page's
     * own (403 otherwise); anything else is a 404.
     */
    private final class Routes extends SimpleChannelInboundHandler<FullHttpRequest> {
        Routes() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = req.uri().replaceFirst("[?#].*", "");
            String origin = req.headers().get(HttpHeaderNames.ORIGIN);
            boolean sameOrigin = origin == null || origin.equals("http://" + req.headers().get(HttpHeaderNames.HOST));
            if (path.equals("/ws") && sameOrigin) {
                ctx.fireChannelRead(req);
                return;
            }
            try {
                boolean ok = req.method().equals(HttpMethod.GET) && (path.equals("/") || path.equals("/index.html"));
                // the WebSocket only for the page itself: another site open in the same browser must not become the target
                FullHttpResponse res = ok
                        ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(page))
                        : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                path.equals("/ws") ? HttpResponseStatus.FORBIDDEN : HttpResponseStatus.NOT_FOUND,
                                Unpooled.copiedBuffer(path.equals("/ws") ? "cross-origin\n" : "not found\n", StandardCharsets.UTF_8));
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, ok ? "text/html; charset=utf-8" : "text/plain")
                        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                        .set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            } finally {
                req.release();
            }
        }
    }

    /** The page's JSON messages; the handshake makes this connection the current page. */
    private final class Messages extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                Channel old = pageChannel;
                pageChannel = ctx.channel();
                if (old != null && old != ctx.channel()) {
                    LOG.info("a newer page replaces the one from {}", old.remoteAddress());
                    old.close();
                }
                LOG.info("page connected from {}", ctx.channel().remoteAddress());
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            if (ctx.channel() != pageChannel) {
                return;
            }
            JsonNode m;
            try {
                m = JSON.readTree(frame.text());
            } catch (IOException e) {
                LOG.warn("page sent something that is not JSON: {}", e.getMessage());
                return;
            }
            onMessage.accept(m);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel() == pageChannel) {
                LOG.info("page disconnected");
                onPageGone.run();
            }
            super.channelInactive(ctx);
        }
    }
}
