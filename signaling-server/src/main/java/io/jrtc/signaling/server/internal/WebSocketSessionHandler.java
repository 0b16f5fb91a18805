package io.jrtc.signaling.server.internal;

import io.jrtc.common.ParseException;
import io.jrtc.common.TokenBucket;
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
    private ScheduledFuture<?> registerTimer;

    public WebSocketSessionHandler(Hub hub) {
        this.hub = hub;
        this.config = hub.config();
        // refusals (beyond the hard limit) within one second that close the connection as a flood
        this.floodCloseThreshold = Math.max(100, config.maxBacklogMessages());
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
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // Slow-loris: a connection that does not register in time (whether it ever upgraded or not) goes.
        long limit = config.registerTimeout().toMillis();
        registerTimer = ctx.executor().schedule(() -> registerTimedOut(ctx), limit, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    private void registerTimedOut(ChannelHandlerContext ctx) {
        Session s = session;
        if (s == null) {
            LOG.debug("{}: no WebSocket upgrade within {}; closing", ctx.channel().remoteAddress(),
                    config.registerTimeout());
            hub.metrics().registerTimeout();
            ctx.close();
        } else if (s.state() == Session.State.OPEN && !s.isClosing()) {
            LOG.debug("{}: not registered within {}; closing", s.label(), config.registerTimeout());
            hub.metrics().registerTimeout();
            s.closeWithError(ErrorCode.IDLE_TIMEOUT, "not registered within " + config.registerTimeout().toMillis()
                    + " ms", WebSocketCloseStatus.POLICY_VIOLATION.code());
            ctx.executor().schedule(() -> { ctx.close(); }, 2, TimeUnit.SECONDS);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        Session s = session;
        if (s == null || s.isClosing()) {
            return;
        }
        long now = System.nanoTime();
        if (!(frame instanceof TextWebSocketFrame text)) {
            if (!s.bucket.tryTake(now)) {
                refuse(s, null, "over the rate limit");
                return;
            }
            LOG.debug("{}: {} frame refused", s.label(), frame.getClass().getSimpleName());
            s.sendError(ErrorCode.INVALID_MESSAGE, frame instanceof BinaryWebSocketFrame
                    ? "binary frames are not part of the protocol; send JSON text"
                    : "unexpected frame " + frame.getClass().getSimpleName(), null, null);
            return;
        }
        String json = text.text();
        // Soft limit: within the token bucket a message is handled at once. Over it, the message is held and
        // reads are paused, so that TCP pushes back on the sender; held messages are handled in order as tokens
        // refill. Hard limit: a message that does not fit in the backlog is refused (rate_limited).
        if (s.backlog.isEmpty() && s.bucket.tryTake(now)) {
            handle(s, json, now);
            return;
        }
        if (s.backlog.size() >= config.maxBacklogMessages()
                || s.backlogBytes + json.length() > config.maxBacklogBytes()) {
            refuse(s, InboundMessage.idOf(json), "over the rate limit and " + s.backlog.size()
                    + " messages already held");
            return;
        }
        s.backlog.add(new Session.Held(json, now));
        s.backlogBytes += json.length();
        hub.metrics().shaped();
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            hub.metrics().readPaused();
            if (s.shapingWindowStart == 0 || now - s.shapingWindowStart > 10_000_000_000L) {
                s.shapingWindowStart = now;
                LOG.info("{}: over {} messages/s (burst {}); slowing it down (reads paused; logged once per 10 s)",
                        s.label(), config.messagesPerSecond(), config.messageBurst());
            }
        }
        scheduleDrain(ctx, s);
    }

    private void scheduleDrain(ChannelHandlerContext ctx, Session s) {
        if (s.drainTask != null) {
            return;
        }
        double missing = Math.max(0, 1.0 - s.bucket.available());
        long delayNanos = Math.max(100_000L, (long) (missing * 1e9 / config.messagesPerSecond()));
        s.drainTask = ctx.executor().schedule(() -> drain(ctx, s), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** On the loop: handles held messages as tokens allow; resumes reads once the backlog is empty. */
    private void drain(ChannelHandlerContext ctx, Session s) {
        s.drainTask = null;
        if (s.isClosing()) {
            s.clearBacklog();
            return;
        }
        long now = System.nanoTime();
        while (!s.backlog.isEmpty() && s.bucket.tryTake(now)) {
            Session.Held h = s.backlog.poll();
            s.backlogBytes -= h.json().length();
            handle(s, h.json(), h.arrivalNanos());
            if (s.isClosing()) {
                s.clearBacklog();
                return;
            }
        }
        if (s.backlog.isEmpty()) {
            ctx.channel().config().setAutoRead(true); // also triggers a read
        } else {
            scheduleDrain(ctx, s);
        }
    }

    private void refuse(Session s, String msgId, String why) {
        long now = System.nanoTime();
        if (s.rateWindowStart == 0 || now - s.rateWindowStart > 1_000_000_000L) {
            // a new one-second window: log at most once per window, with the previous window's count
            if (s.rateLimitedInWindow > 1) {
                LOG.info("{}: {} messages refused as rate_limited in the previous window", s.label(),
                        s.rateLimitedInWindow);
            }
            s.rateWindowStart = now;
            s.rateLimitedInWindow = 0;
            LOG.info("{}: {} ({} messages/s, burst {}, backlog {}); refusing", s.label(), why,
                    config.messagesPerSecond(), config.messageBurst(), config.maxBacklogMessages());
        }
        s.rateLimitedInWindow++;
        if (s.rateLimitedInWindow >= floodCloseThreshold) {
            LOG.warn("{}: flood ({} messages over the hard limit within a second); closing", s.label(),
                    s.rateLimitedInWindow);
            s.closeWithError(ErrorCode.RATE_LIMITED, "flood: too many messages over the rate limit",
                    WebSocketCloseStatus.POLICY_VIOLATION.code(), msgId);
        } else {
            s.sendError(ErrorCode.RATE_LIMITED, "over " + config.messagesPerSecond()
                    + " messages per second with " + config.maxBacklogMessages()
                    + " already held; message dropped", msgId, null);
        }
    }

    private void handle(Session s, String json, long arrivalNanos) {
        InboundMessage msg;
        try {
            msg = InboundMessage.parse(json);
        } catch (ParseException e) {
            LOG.debug("{}: invalid message: {}", s.label(), e.getMessage());
            s.sendError(ErrorCode.INVALID_MESSAGE, e.getMessage(), InboundMessage.idOf(json), null);
            return;
        }
        switch (msg) {
            case InboundMessage.Register r -> hub.onRegister(s, r);
            case InboundMessage.Relayed r -> hub.onRelay(s, r, arrivalNanos);
            case InboundMessage.LinkReport r -> hub.onLinkReport(s, r);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (registerTimer != null) {
            registerTimer.cancel(false);
        }
        if (session != null) {
            session.clearBacklog();
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
