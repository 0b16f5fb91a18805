package io.jrtc.signaling.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** The client's Netty bootstrap for one connection attempt: TLS (optional), idle timers, HTTP, WebSocket. */
final class ClientPipeline {

    private ClientPipeline() {
    }

    /** A bootstrap on {@code loop} whose pipeline ends in {@code signaling}; {@code ssl} null for {@code ws://}. */
    static Bootstrap bootstrap(EventLoop loop, SignalingClientConfig config, URI uri, String host, int port,
            SslContext ssl, ChannelHandler signaling) {
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .handshakeTimeoutMillis(config.connectTimeout().toMillis())
                .maxFramePayloadLength(Math.max(1 << 20, 2 * config.maxMessageBytes()))
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .allowExtensions(false)
                .absoluteUpgradeUrl(false)
                .build();
        return new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            SslHandler h = ssl.newHandler(ch.alloc(), host, port);
                            SSLEngine engine = h.engine();
                            SSLParameters params = engine.getSSLParameters();
                            params.setEndpointIdentificationAlgorithm("HTTPS");
                            engine.setSSLParameters(params);
                            p.addLast("tls", h);
                        }
                        long readIdle = config.readIdleTimeout().toMillis();
                        p.addLast("idle", new IdleStateHandler(readIdle, config.pingInterval().toMillis(), 0,
                                TimeUnit.MILLISECONDS));
                        p.addLast("http", new HttpClientCodec());
                        p.addLast("aggregator", new HttpObjectAggregator(64 * 1024));
                        p.addLast("ws", new WebSocketClientProtocolHandler(ws));
                        p.addLast("ws-aggregator", new WebSocketFrameAggregator(Math.max(1 << 20,
                                2 * config.maxMessageBytes())));
                        p.addLast("signaling", signaling);
                    }
                });
    }
}
