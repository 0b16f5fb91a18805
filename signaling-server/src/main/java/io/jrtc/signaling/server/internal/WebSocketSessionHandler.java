package io.jrtc.signaling.server.internal;

import io.jrtc.common.ParseException;
import io.jrtc.signaling.server.ErrorCode;
import io.jrtc.signaling.server.SignalingServerConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection: turns frames into hub calls once the WebSocket handshake is done,
 * and enforces the per-connection limits (rate, size, idle) with their error codes. Runs on the channel's
 * event loop only. One instance per channel.
 */
public final class WebSocketSessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSessionHandler.class);

    private final Hub hub;
    private final SignalingServerConfig config;
    private final int floodCloseThreshold;
    private Session session;
    private ScheduledFuture<?> pinger;

    public WebSocketSessionHandler(Hub hub) {
        this.hub = hub;
        this.config = hub.config();
        this.floodCloseThreshold = Math.max(20, 2 * config.messageBurst());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            session = new Session(ctx.channel(), hub.metrics(),
                    new TokenBucket(config.messagesPerSecond(), config.messageBurst()),
                    config.maxQueuedBytesPerAgent());
            LOG.debug("{}: WebSocket open", session.label());
            long every = config.pingInterval().toMillis();
            pinger = ctx.executor().scheduleAtFixedRate(
                    () -> ctx.writeAndFlush(new PingWebSocketFrame()), every, every, TimeUnit.MILLISECONDS);
            hub.onOpen(session);
            return;
        }
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            if (session == null) {
                LOG.debug("closing idle HTTP connection {}", ctx.channel().remoteAddress());
                ctx.close();
            } else {
                LOG.info("{}: nothing received for {}; closing", session.label(), config.idleTimeout());
                session.closeWithError(ErrorCode.IDLE_TIMEOUT,
                        "nothing received for " + config.idleTimeout().toMillis() + " ms",
                        WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code());
                // If the peer does not even take the close frame, cut the TCP connection shortly after.
                ctx.executor().schedule(() -> { ctx.close(); }, 2, TimeUnit.SECONDS);
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        Session s = session;
        if (s == null || s.isClosing()) {
            return;
        }
        long now = System.nanoTime();
        if (!s.bucket.tryTake(now)) {
            if (s.rateWindowStart == 0 || now - s.rateWindowStart > 1_000_000_000L) {
                // a new one-second window: log at most once per window
                s.rateWindowStart = now;
                s.rateLimitedInWindow = 0;
                LOG.info("{}: over {} messages/s (burst {}); dropping", s.label(), config.messagesPerSecond(),
                        config.messageBurst());
            }
            s.rateLimitedInWindow++;
            if (s.rateLimitedInWindow >= floodCloseThreshold) {
                LOG.warn("{}: flood ({} messages over the rate limit within a second); closing", s.label(),
                        s.rateLimitedInWindow);
                s.closeWithError(ErrorCode.RATE_LIMITED, "flood: too many messages over the rate limit",
                        WebSocketCloseStatus.POLICY_VIOLATION.code());
            } else {
                s.sendError(ErrorCode.RATE_LIMITED, "over " + config.messagesPerSecond()
                        + " messages per second; message dropped", null, null);
            }
            return;
        }
        if (frame instanceof TextWebSocketFrame text) {
            InboundMessage msg;
            try {
                msg = InboundMessage.parse(text.text());
            } catch (ParseException e) {
                LOG.debug("{}: invalid message: {}", s.label(), e.getMessage());
                s.sendError(ErrorCode.INVALID_MESSAGE, e.getMessage(), null, null);
                return;
            }
            switch (msg) {
                case InboundMessage.Register r -> hub.onRegister(s, r);
                case InboundMessage.Relayed r -> hub.onRelay(s, r, now);
            }
        } else if (frame instanceof BinaryWebSocketFrame) {
            LOG.debug("{}: binary frame refused", s.label());
            s.sendError(ErrorCode.INVALID_MESSAGE, "binary frames are not part of the protocol; send JSON text",
                    null, null);
        } else {
            s.sendError(ErrorCode.INVALID_MESSAGE, "unexpected frame " + frame.getClass().getSimpleName(), null,
                    null);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (session != null) {
            hub.onClosed(session);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Session s = session;
        if (cause instanceof CorruptedWebSocketFrameException c && s != null) {
            boolean tooBig = c.closeStatus() != null
                    && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
            LOG.info("{}: {}: {}", s.label(), tooBig ? "frame too large" : "WebSocket protocol violation",
                    c.getMessage());
            int status = c.closeStatus() != null ? c.closeStatus().code()
                    : WebSocketCloseStatus.PROTOCOL_ERROR.code();
            s.closeWithError(tooBig ? ErrorCode.TOO_LARGE : ErrorCode.INVALID_MESSAGE,
                    tooBig ? "frame larger than " + config.maxFrameBytes() + " bytes" : "protocol violation: "
                            + c.getMessage(), status);
        } else if (cause instanceof TooLongFrameException && s != null) {
            LOG.info("{}: fragmented message too large: {}", s.label(), cause.getMessage());
            s.closeWithError(ErrorCode.TOO_LARGE, "message larger than " + config.maxFrameBytes() + " bytes",
                    WebSocketCloseStatus.MESSAGE_TOO_BIG.code());
        } else if (cause instanceof CorruptedFrameException && s != null) {
            LOG.info("{}: corrupted frame: {}", s.label(), cause.getMessage());
            s.closeWithError(ErrorCode.INVALID_MESSAGE, "corrupted frame",
                    WebSocketCloseStatus.PROTOCOL_ERROR.code());
        } else if (cause instanceof DecoderException || cause instanceof javax.net.ssl.SSLException) {
            // garbage from the peer: not TLS on a TLS port, a failed TLS handshake, a broken HTTP request
            Throwable root = cause.getCause() != null ? cause.getCause() : cause;
            LOG.info("{}: refusing bad input: {}", s == null ? ctx.channel().remoteAddress() : s.label(),
                    root.getClass().getSimpleName() + (root.getMessage() == null ? ""
                            : ": " + (root.getMessage().length() > 120 ? root.getMessage().substring(0, 120) + "…"
                                    : root.getMessage())));
            ctx.close();
        } else if (cause instanceof IOException) {
            LOG.debug("{}: I/O error: {}", s == null ? ctx.channel().remoteAddress() : s.label(), cause.toString());
            ctx.close();
        } else {
            LOG.warn("{}: unexpected error; closing", s == null ? ctx.channel().remoteAddress() : s.label(), cause);
            ctx.close();
        }
    }
}
