package io.jrtc.datachannel;

import io.jrtc.sctp.SendOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebRTC data channel (W3C {@code RTCDataChannel}, RFC 8831): one SCTP stream in each direction with the same
 * id, created by {@link DataChannelEndpoint#createDataChannel} or announced by
 * {@link DataChannelEndpoint#onDataChannel}.
 *
 * <p><b>Threading.</b> Everything runs on the endpoint's owner thread: call methods from there, and listeners are
 * invoked there, synchronously, from inside the endpoint's {@code handleInput}/{@code handleTimeout} or inside the
 * user call that caused them. No method blocks or locks. A listener set after its event already happened (for
 * example {@code onOpen} on a channel that opened before the listener was attached) is invoked at once.
 *
 * <p><b>Sending before open.</b> As in the W3C API, {@link #send} throws {@link IllegalStateException}
 * (W3C {@code InvalidStateError}) unless the channel is {@link DataChannelState#OPEN}; messages are not queued
 * before that. A channel that we open becomes OPEN as soon as its DATA_CHANNEL_OPEN is handed to SCTP (as
 * libwebrtc does); messages sent before the peer's DATA_CHANNEL_ACK go ordered, so they cannot overtake the open
 * message (RFC 8832 §6).
 *
 * <p><b>Receive-side flow control.</b> {@link #pause()} stops {@code onMessage}; messages that arrive meanwhile queue
 * in the channel ({@link #queuedReceiveAmount()}) and stay charged against the association's SCTP receive window, so
 * the remote sender is throttled by SCTP itself, as TCP's window throttles a sender whose reader is slow.
 * {@link #resume()} delivers the queue, in order, and releases the window. The window is shared by every channel of
 * the association: a paused channel's queue grows to at most about one window, and while it is that full the other
 * channels stall too (see the module README). The W3C API has no equivalent; the names are Java's.
 */
public final class DataChannel {

    private static final Logger LOG = LoggerFactory.getLogger(DataChannel.class);

    private final DataChannelEndpoint endpoint;
    private final String label;
    private final String protocol;
    private int id;
    private final boolean ordered;
    private final Integer maxPacketLifeTime;
    private final Integer maxRetransmits;
    private final boolean negotiated;
    private final DataChannelPriority priority;
    private final SendOptions options;
    private final SendOptions optionsBeforeAck;

    DataChannelState state = DataChannelState.CONNECTING;
    /** We opened it in-band and have not yet seen DATA_CHANNEL_ACK (or data, which implies it). */
    boolean awaitingAck;
    boolean openSent;
    boolean localResetRequested;
    boolean localResetDone;
    boolean remoteResetSeen;
    private boolean openAnnouncePending;
    private long lowThreshold;

    /** A received message held while paused, with the bytes SCTP charged for it (1 for an empty message). */
    private record Held(DataChannelMessage message, int charged) {
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>(2); // empty unless paused; grows (idle heap)
    private long heldBytes;
    /** A message was dropped for want of {@code onMessage} and that was logged. */
    private boolean warnedNoListener;
    private boolean paused;
    /** Paused by the endpoint until the application sets {@link #onMessage} ({@link #holdUntilListener()}). */
    private boolean pausedUntilListener;
    private boolean draining;

    private long messagesSent;
    private long bytesSent;
    private long messagesReceived;
    private long bytesReceived;

    private Runnable onOpen;
    private Consumer<DataChannelMessage> onMessage;
    private Runnable onBufferedAmountLow;
    private Runnable onClosing;
    private Runnable onClose;
    private Consumer<DataChannelError> onError;

    DataChannel(DataChannelEndpoint endpoint, String label, String protocol, int id, boolean ordered, Integer maxPacketLifeTime,
            Integer maxRetransmits, boolean negotiated, DataChannelPriority priority) {
        this.endpoint = endpoint;
        this.label = label;
        this.protocol = protocol;
        this.id = id;
        this.ordered = ordered;
        this.maxPacketLifeTime = maxPacketLifeTime;
        this.maxRetransmits = maxRetransmits;
        this.negotiated = negotiated;
        this.priority = priority;
        this.options = options(!ordered);
        this.optionsBeforeAck = options(false);
    }

    private SendOptions options(boolean unordered) {
        if (maxRetransmits != null) {
            return SendOptions.maxRetransmits(unordered, maxRetransmits);
        }
        if (maxPacketLifeTime != null) {
            return SendOptions.lifetime(unordered, Duration.ofMillis(maxPacketLifeTime));
        }
        return unordered ? SendOptions.RELIABLE_UNORDERED : SendOptions.RELIABLE;
    }

    // ------------------------------------------------------------------ W3C attributes

    public String label() {
        return label;
    }

    public String protocol() {
        return protocol;
    }

    /**
     * The SCTP stream id; -1 (W3C {@code null}) while the DTLS role, which picks the id's parity, is not known yet.
     */
    public int id() {
        return id;
    }

    void assignId(int newId) {
        this.id = newId;
    }

    public boolean ordered() {
        return ordered;
    }

    /** Milliseconds a message may be retransmitted for, or null. */
    public Integer maxPacketLifeTime() {
        return maxPacketLifeTime;
    }

    /** Retransmissions allowed per message, or null. */
    public Integer maxRetransmits() {
        return maxRetransmits;
    }

    public boolean negotiated() {
        return negotiated;
    }

    public DataChannelPriority priority() {
        return priority;
    }

    public DataChannelState readyState() {
        return state;
    }

    /** Bytes queued with {@link #send} and not yet handed to the network. */
    public long bufferedAmount() {
        return id < 0 ? 0 : endpoint.bufferedAmount(id);
    }

    public long bufferedAmountLowThreshold() {
        return lowThreshold;
    }

    /** {@link #onBufferedAmountLow} fires when {@link #bufferedAmount()} falls from above this value to at or below it. */
    public void setBufferedAmountLowThreshold(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("threshold must not be negative");
        }
        lowThreshold = bytes;
        endpoint.setLowThreshold(this, bytes);
    }

    // ------------------------------------------------------------------ receive-side flow control (Java idiom)

    /**
     * Stops delivering messages to {@link #onMessage} until {@link #resume()}. Messages that arrive meanwhile are queued
     * in order and stay charged against SCTP's receive window (a_rwnd), so the remote stops sending once about a window's
     * worth is queued: nothing is dropped, and memory stays bounded by the window. Takes effect at once, also inside
     * an {@code onMessage} callback (the next message waits). Owner thread only, like every method of this class.
     */
    public void pause() {
        paused = true;
        pausedUntilListener = false; // the application's pause: setting a listener does not end it
    }

    /**
     * Delivers the queued messages, in order, to {@link #onMessage} (synchronously, inside this call, unless called
     * from an {@code onMessage} of this channel, whose delivery loop then continues), releases their share of the
     * receive window, and delivers new messages as they arrive. A listener may call {@link #pause()} again; the rest
     * then stays queued. When the window reopens by a lot, SCTP sends the peer a window update at once.
     */
    public void resume() {
        pausedUntilListener = false;
        if (!paused) {
            return;
        }
        paused = false;
        if (!draining && !held.isEmpty()) {
            endpoint.resume(this);
        }
    }

    /** Whether delivery is paused ({@link #pause()}). */
    public boolean isPaused() {
        return paused;
    }

    /**
     * Bytes of received messages queued while paused and not yet delivered (each empty message counts as one byte,
     * as it does in the SCTP window). They are part of the association's receive window.
     */
    public long queuedReceiveAmount() {
        return heldBytes;
    }

    /** Messages and bytes sent and received on this channel. */
    public DataChannelStats stats() {
        return new DataChannelStats(label, protocol, id, state, messagesSent, bytesSent, messagesReceived, bytesReceived);
    }

    // ------------------------------------------------------------------ sending

    /** Sends a text message (PPID 51, or 56 when empty). Its UTF-8 bytes are made once and queued without a copy. */
    public void send(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sendRaw(ByteBuffer.wrap(bytes), bytes.length == 0 ? Ppid.STRING_EMPTY : Ppid.STRING, true);
    }

    /**
     * Sends a binary message (PPID 53, or 57 when empty): the bytes between position and limit are copied (the one
     * copy on the way out before encryption), so the caller may reuse the buffer at once; the position is not moved.
     */
    public void send(ByteBuffer data) {
        sendRaw(data, data.hasRemaining() ? Ppid.BINARY : Ppid.BINARY_EMPTY, false);
    }

    /** Sends a binary message. */
    public void send(byte[] data) {
        send(ByteBuffer.wrap(data));
    }

    /**
     * Sends a received {@code message} on, as text or binary as it came (for echoes and relays). Its buffers are
     * copied once, straight into the queued message, so a fragmented message is not joined first (as
     * {@code send(message.data())} would).
     */
    public void send(DataChannelMessage message) {
        int size = message.size();
        int ppid = message.isBinary() ? (size == 0 ? Ppid.BINARY_EMPTY : Ppid.BINARY)
                : (size == 0 ? Ppid.STRING_EMPTY : Ppid.STRING);
        sendRaw(ByteBuffer.wrap(message.toByteArray()), ppid, true);
    }

    private void sendRaw(ByteBuffer data, int ppid, boolean owned) {
        if (state != DataChannelState.OPEN) {
            throw new IllegalStateException("data channel '" + label + "' is " + state + ", not OPEN (W3C InvalidStateError)");
        }
        int size = data.remaining();
        ByteBuffer payload = size == 0 ? ByteBuffer.wrap(new byte[] {0}) : data;
        endpoint.send(this, ppid, payload, awaitingAck ? optionsBeforeAck : options, owned || size == 0);
        messagesSent++;
        bytesSent += size;
    }

    /**
     * Closes the channel (RFC 8831 §6.7): queued messages still go out, then the outgoing stream is reset; the
     * channel is CLOSED once the peer has reset its side too. Does nothing if already closing or closed.
     */
    public void close() {
        endpoint.close(this);
    }

    // ------------------------------------------------------------------ listeners

    /** Called when the channel opens (at once if it already did and no listener had been told). */
    public void onOpen(Runnable listener) {
        this.onOpen = listener;
        if (listener != null && openAnnouncePending) {
            openAnnouncePending = false;
            endpoint.safely(listener, "onOpen");
        }
    }

    /**
     * Sets the message listener. On a channel the peer opened while its endpoint holds such channels' messages until
     * a listener exists ({@link DataChannelEndpoint#holdPeerChannelsUntilListener}), the first listener set also
     * receives, in order and inside this call, what arrived before it.
     */
    public void onMessage(Consumer<DataChannelMessage> listener) {
        this.onMessage = listener;
        if (pausedUntilListener && listener != null) {
            resume();
        }
    }

    public void onBufferedAmountLow(Runnable listener) {
        this.onBufferedAmountLow = listener;
    }

    /** Called when the peer starts closing the channel (W3C {@code closing} event). */
    public void onClosing(Runnable listener) {
        this.onClosing = listener;
    }

    public void onClose(Runnable listener) {
        this.onClose = listener;
    }

    public void onError(Consumer<DataChannelError> listener) {
        this.onError = listener;
    }

    // ------------------------------------------------------------------ endpoint side

    /**
     * Endpoint side: a channel the peer opened starts paused until the application sets a listener, so that messages
     * that came with the peer's DATA_CHANNEL_OPEN (in the same packet, before the application could see the channel)
     * wait, charged against the receive window, instead of being dropped for want of a listener.
     */
    void holdUntilListener() {
        if (onMessage == null) {
            paused = true;
            pausedUntilListener = true;
        }
    }

    void announceOpen() {
        state = DataChannelState.OPEN;
        if (onOpen != null) {
            endpoint.safely(onOpen, "onOpen");
        } else {
            openAnnouncePending = true;
        }
    }

    /**
     * A message from SCTP; {@code charged} is what SCTP counted against its window for it. Held while paused (or while
     * earlier ones are still held, to keep the order), else delivered.
     */
    void deliver(DataChannelMessage m, int charged) {
        messagesReceived++;
        bytesReceived += m.size();
        if (paused || !held.isEmpty()) {
            held.add(new Held(m, charged));
            heldBytes += charged;
            endpoint.holdReceived(charged);
            return;
        }
        dispatch(m);
    }

    /** Delivers held messages while not paused (with the endpoint's dispatching flag set). */
    void drainHeld() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!paused && !held.isEmpty()) {
                Held h = held.poll();
                heldBytes -= h.charged();
                endpoint.releaseReceived(h.charged());
                dispatch(h.message());
            }
        } finally {
            draining = false;
        }
    }

    /**
     * The channel is closing for good: what it holds is delivered now, pause or not (nothing is left to throttle, and a
     * reliable channel loses nothing), unless {@code discard} (the application closed the whole connection).
     */
    void flushHeld(boolean discard) {
        if (discard) {
            while (!held.isEmpty()) {
                endpoint.releaseReceived(held.poll().charged());
            }
            heldBytes = 0;
            return;
        }
        paused = false;
        drainHeld();
    }

    private void dispatch(DataChannelMessage m) {
        Consumer<DataChannelMessage> l = onMessage;
        if (l != null) {
            endpoint.safely(() -> l.accept(m), "onMessage");
            return;
        }
        // W3C: an event nobody listens to. Not silent here: counted, and said once per channel.
        endpoint.droppedNoListener++;
        if (!warnedNoListener) {
            warnedNoListener = true;
            LOG.warn("data channel {} '{}': a message of {} bytes arrived with no onMessage set and is dropped (set "
                    + "onMessage inside onDataChannel, or on the loop before the peer can send)", id(), label(), m.size());
        }
    }

    void fireBufferedAmountLow() {
        if (onBufferedAmountLow != null) {
            endpoint.safely(onBufferedAmountLow, "onBufferedAmountLow");
        }
    }

    void fireClosing() {
        if (onClosing != null) {
            endpoint.safely(onClosing, "onClosing");
        }
    }

    void fireClose() {
        openAnnouncePending = false;
        if (onClose != null) {
            endpoint.safely(onClose, "onClose");
        }
    }

    void fireError(DataChannelError e) {
        Consumer<DataChannelError> l = onError;
        if (l != null) {
            endpoint.safely(() -> l.accept(e), "onError");
        }
    }

    @Override
    public String toString() {
        return "DataChannel[" + id + " '" + label + "' " + state + "]";
    }

    static String checkLabel(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.getBytes(StandardCharsets.UTF_8).length > 65535) {
            throw new IllegalArgumentException(what + " longer than 65535 UTF-8 bytes (W3C TypeError)");
        }
        return s;
    }
}
