package io.jrtc.signaling.server.internal;

import io.jrtc.signaling.server.SignalingServerConfig;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline: [TLS] → idle timer → HTTP codec → aggregator → {@link HttpHandler} → WebSocket protocol
 * handler at {@code /ws} → frame aggregator → {@link WebSocketSessionHandler}.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {

    /** Largest HTTP request body (the page's result summaries). */
    static final int MAX_HTTP_CONTENT = 64 * 1024;

    private final Hub hub;
    private final SslContext ssl;
    private final Map<String, HttpHandler.Asset> assets;
    private final ResultsStore results;
    private final String instanceId;
    private final ChannelGroup all;
    private final WebSocketServerProtocolConfig wsConfig;

    public ServerInitializer(Hub hub, SslContext ssl, Map<String, HttpHandler.Asset> assets, ResultsStore results,
            String instanceId, ChannelGroup all) {
        this.hub = hub;
        this.ssl = ssl;
        this.assets = assets;
        this.results = results;
        this.instanceId = instanceId;
        this.all = all;
        SignalingServerConfig c = hub.config();
        this.wsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(Protocol.WS_PATH)
                .checkStartsWith(true)
                .handshakeTimeoutMillis(10_000)
                .forceCloseTimeoutMillis(c.drainTimeout().toMillis())
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(c.maxFrameBytes())
                        .allowExtensions(false)
                        .expectMaskedFrames(true)
                        .closeOnProtocolViolation(false)
                        .withUTF8Validator(true)
                        .build())
                .build();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        all.add(ch);
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        SignalingServerConfig c = hub.config();
        // Presence fan-out writes many small frames to each agent: coalesce their flushes (fewer syscalls).
        p.addLast("flush", new FlushConsolidationHandler(256, true));
        p.addLast("idle", new IdleStateHandler(c.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast("http", new HttpServerCodec());
        p.addLast("aggregator", new HttpObjectAggregator(MAX_HTTP_CONTENT));
        p.addLast("routes", new HttpHandler(hub, assets, results, instanceId));
        p.addLast("ws", new WebSocketServerProtocolHandler(wsConfig));
        p.addLast("ws-aggregator", new WebSocketFrameAggregator(c.maxFrameBytes()));
        p.addLast("session", new WebSocketSessionHandler(hub));
    }
}
