package io.jrtc.signaling.server.internal;

import io.jrtc.common.TokenBucket;
import io.jrtc.signaling.server.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection. Its mutable fields are written on the channel's event loop; {@link #state} and
 * {@link #agentId} are volatile because the hub reads them from other loops and from Redis threads.
 * {@link #deliver} and the close helpers may be called from any thread (Netty hands writes to the loop).
 */
public final class Session {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final AtomicLong IDS = new AtomicLong();

    /** Registration state. */
    public enum State { OPEN, CLAIMING, REGISTERED, CLOSED }

    private final long id = IDS.incrementAndGet();
    private final Channel channel;
    private final ServerMetrics metrics;
    private final long maxQueuedBytes;
    final TokenBucket bucket;
    long rateWindowStart;
    int rateLimitedInWindow;
    long shapingWindowStart;
    /** Messages held over the soft limit, in arrival order (loop-confined). */
    final ArrayDeque<Held> backlog = new ArrayDeque<>();
    long backlogBytes;
    ScheduledFuture<?> drainTask;

    /** A text frame held while its connection is slowed down. */
    record Held(String json, long arrivalNanos) {
    }
    boolean counted;

    private volatile State state = State.OPEN;
    private volatile String agentId;
    private volatile boolean closing;
    /** Declared {@code features:["candidates"]} at register (and the server accepts batches). */
    private volatile boolean receivesBatches;
    /** The opaque presence blob it registered with (revision 5), or null. */
    volatile String presence;
    /**
     * Redis only: the number of the last presence event its {@code registered} reply already reflected. Written
     * before {@link #state} becomes REGISTERED, so whoever sees that state sees this number.
     */
    private volatile long presenceSeq;
    /** Presence events that came in while its claim was in flight, in arrival order (guarded by this). */
    private List<HeldPresence> heldPresence;

    /** A numbered presence event held until the claim ends. */
    record HeldPresence(long seq, String json) {
    }

    Session(Channel channel, ServerMetrics metrics, TokenBucket bucket, long maxQueuedBytes) {
        this.channel = channel;
        this.metrics = metrics;
        this.bucket = bucket;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    void clearBacklog() {
        backlog.clear();
        backlogBytes = 0;
        if (drainTask != null) {
            drainTask.cancel(false);
            drainTask = null;
        }
    }

    public long id() {
        return id;
    }

    public Channel channel() {
        return channel;
    }

    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public State state() {
        return state;
    }

    void state(State s) {
        this.state = s;
    }

    public String agentId() {
        return agentId;
    }

    void agentId(String id) {
        this.agentId = id;
    }

    /** See {@link #presenceSeq}. */
    long presenceSeq() {
        return presenceSeq;
    }

    /**
     * Keeps a presence event for later if this session's claim is in flight (Redis threads). False when it is not
     * claiming (any more): the caller then delivers it or not by {@link #isRegistered} and {@link #presenceSeq}.
     */
    synchronized boolean holdIfClaiming(long seq, String json) {
        if (state != State.CLAIMING) {
            return false;
        }
        if (heldPresence == null) {
            heldPresence = new ArrayList<>();
        }
        heldPresence.add(new HeldPresence(seq, json));
        return true;
    }

    /**
     * Ends a claim (its event loop): records the number its reply reflects, moves to {@code next} and hands back
     * the events held meanwhile, in order. From here on, presence events see {@code next}, not CLAIMING.
     */
    synchronized List<HeldPresence> endClaim(State next, long seq) {
        presenceSeq = seq;
        state = next;
        List<HeldPresence> h = heldPresence;
        heldPresence = null;
        return h == null ? List.of() : h;
    }

    /** Whether batches go to it as one message; otherwise they are unrolled into single candidates. */
    public boolean receivesBatches() {
        return receivesBatches;
    }

    void receivesBatches(boolean v) {
        this.receivesBatches = v;
    }

    /** Registered and not on its way out: relays and presence go to it. */
    public boolean isRegistered() {
        return state == State.REGISTERED && !closing;
    }

    /** Whether a close has started (error sent, close frame queued) or finished. */
    public boolean isClosing() {
        return closing || state == State.CLOSED;
    }

    /** A label for log lines. */
    public String label() {
        String a = agentId;
        return "session#" + id + (a == null ? "" : "(" + a + ")") + " " + channel.remoteAddress();
    }

    /**
     * Queues a text frame towards this agent. If the agent has let more than the configured bytes pile up,
     * it is closed as a slow consumer instead, and the returned future fails.
     */
    public ChannelFuture deliver(String json) {
        if (tooMuchQueued()) {
            return slowConsumer();
        }
        return channel.writeAndFlush(new TextWebSocketFrame(json));
    }

    /** As {@link #deliver(String)} for a shared buffer; takes over one reference of {@code text}. */
    public ChannelFuture deliver(ByteBuf text) {
        if (tooMuchQueued()) {
            text.release();
            return slowConsumer();
        }
        return channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    private boolean tooMuchQueued() {
        // an inactive channel is "not writable" too, with MAX_VALUE bytes before writable: that is not slowness
        return channel.isActive() && !channel.isWritable() && channel.bytesBeforeWritable() > maxQueuedBytes;
    }

    private ChannelFuture slowConsumer() {
        if (!isClosing()) {
            LOG.warn("{}: more than {} bytes queued towards it; closing as a slow consumer", label(), maxQueuedBytes);
            metrics.error(ErrorCode.SLOW_CONSUMER);
            closing = true;
            channel.close();
        }
        return channel.newFailedFuture(new IllegalStateException("slow consumer closed"));
    }

    /** Sends an error reply and counts it. */
    public void sendError(ErrorCode code, String message, String msgId, String to) {
        metrics.error(code);
        if (isClosing()) {
            return;
        }
        channel.writeAndFlush(new TextWebSocketFrame(Json.error(code, message, msgId, to)));
    }

    /**
     * Sends an error reply, then a close frame with {@code closeStatus}, then closes the TCP connection. Counts
     * the error once. Idempotent: later calls on a closing session only count.
     */
    public void closeWithError(ErrorCode code, String message, int closeStatus) {
        closeWithError(code, message, closeStatus, null);
    }

    /** As {@link #closeWithError(ErrorCode, String, int)}, echoing the {@code id} of the refused message. */
    public void closeWithError(ErrorCode code, String message, int closeStatus, String msgId) {
        metrics.error(code);
        if (isClosing()) {
            return;
        }
        closing = true;
        channel.write(new TextWebSocketFrame(Json.error(code, message, msgId, null)));
        channel.writeAndFlush(new CloseWebSocketFrame(closeStatus, message))
                .addListener(ChannelFutureListener.CLOSE);
        // A peer that never answers the close frame is cut off by the idle timeout at the latest.
    }

    /**
     * Sends an error reply and a close frame, then leaves the TCP connection open for the agent to answer
     * the close (RFC 6455 section 7.1.1); the WebSocket handler force-closes it after its close timeout.
     * Used when draining, so that agents leave cleanly.
     */
    public void closeWithErrorPolitely(ErrorCode code, String message, int closeStatus) {
        metrics.error(code);
        if (isClosing()) {
            return;
        }
        closing = true;
        channel.write(new TextWebSocketFrame(Json.error(code, message, null, null)));
        channel.writeAndFlush(new CloseWebSocketFrame(closeStatus, message));
    }
}
