package io.jrtc.probe.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP and WebSocket server of {@code --serve-page} (Netty, one event-loop thread): {@code GET /} is the
 * self-contained target page, and {@code /ws} its signaling, JSON text messages both ways, open only to the page's own
 * origin (another site open in the same browser must not become the target: 403). Anything else is a 404. One page
 * at a time is the target: a newer connection replaces the older one (which is closed). Binds only the address it is
 * given.
 */
@ChannelHandler.Sharable
public final class PageServer extends ChannelInitializer<SocketChannel> implements AutoCloseable {

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
     * @param onMessage  each JSON message from the current page (on the Netty thread)
     * @param onPageGone when the current page's WebSocket closes
     */
    public PageServer(InetSocketAddress listen, Consumer<JsonNode> onMessage, Runnable onPageGone) {
        try (InputStream in = PageServer.class.getResourceAsStream("/io/jrtc/probe/served-page.html")) {
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.onMessage = onMessage;
        this.onPageGone = onPageGone;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jrtc-probe-page"), NioIoHandler.newFactory());
        try {
            this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(this)
                    .bind(listen).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), new Connection(false),
                new WebSocketServerProtocolHandler("/ws", null, false, MAX_MESSAGE), new WebSocketFrameAggregator(MAX_MESSAGE),
                new Connection(true));
    }

    /** Where the server listens (its port is the one the system chose when 0 was asked). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
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
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * One connection, twice in its pipeline: in front of the WebSocket handlers it answers the HTTP requests and hands
     * a same-origin {@code /ws} request on to the handshake; behind them ({@code behind}) it makes the connection the
     * current page once the handshake is complete, and reads the page's messages.
     */
    private final class Connection extends io.netty.channel.ChannelInboundHandlerAdapter {

        private final boolean behind;

        Connection(boolean behind) {
            this.behind = behind;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (behind && evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                Channel old = pageChannel;
                pageChannel = ctx.channel();
                if (old != null) {
                    old.close(); // a newer page replaces it
                }
                LOG.info("page connected from {}", ctx.channel().remoteAddress());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (behind && ctx.channel() == pageChannel) {
                LOG.info("page disconnected");
                onPageGone.run();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (behind && msg instanceof TextWebSocketFrame frame) {
                try {
                    if (ctx.channel() == pageChannel) {
                        onMessage.accept(JSON.readTree(frame.text()));
                    }
                } catch (IOException e) {
                    LOG.warn("the page sent something that is not JSON: {}", e.getMessage());
                } finally {
                    frame.release();
                }
                return;
            }
            if (behind || !(msg instanceof FullHttpRequest req)) {
                ctx.fireChannelRead(msg);
                return;
            }
            String path = req.uri().replaceFirst("[?#].*", "");
            String origin = req.headers().get(HttpHeaderNames.ORIGIN);
            boolean ws = path.equals("/ws");
            if (ws && (origin == null || origin.equals("http://" + req.headers().get(HttpHeaderNames.HOST)))) {
                ctx.fireChannelRead(req); // the WebSocket handshake takes it from here
                return;
            }
            req.release();
            boolean ok = !ws && req.method().equals(HttpMethod.GET) && (path.equals("/") || path.equals("/index.html"));
            var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    ok ? HttpResponseStatus.OK : ws ? HttpResponseStatus.FORBIDDEN : HttpResponseStatus.NOT_FOUND,
                    ok ? Unpooled.wrappedBuffer(page) : Unpooled.copiedBuffer(ws ? "cross-origin\n" : "not found\n",
                            StandardCharsets.UTF_8));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, ok ? "text/html; charset=utf-8" : "text/plain")
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                    .set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
