package io.jrtc.datachannel;

import io.jrtc.common.DtlsRole;
import io.jrtc.common.DatagramCore;
import io.jrtc.common.ErrorKind;
import io.jrtc.common.Gather;
import io.jrtc.common.ParseException;
import io.jrtc.datachannel.dcep.ChannelType;
import io.jrtc.datachannel.dcep.DataChannelAck;
import io.jrtc.datachannel.dcep.DataChannelOpen;
import io.jrtc.datachannel.dcep.DcepMessage;
import io.jrtc.sctp.SctpAssociation;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.sctp.SctpEvent;
import io.jrtc.sctp.SctpState;
import io.jrtc.sctp.SendBufferFullException;
import io.jrtc.sctp.SendOptions;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data channel side of a peer connection: one SCTP association (RFC 8261, over DTLS) plus the Data Channel
 * Establishment Protocol (RFC 8832), with channels modelled on W3C {@code RTCDataChannel} (RFC 8831).
 *
 * <p>It is a {@link DatagramCore}: the owner feeds it the SCTP packets that DTLS decrypted
 * ({@link #handleInput}), wakes it at {@link #pollTimeout()} ({@link #handleTimeout}), and sends what
 * {@link #pollTransmit()} returns through DTLS.
 *
 * <p><b>Threading.</b> Single owner thread for everything: the core methods, every {@link DataChannel} method, and
 * all listener callbacks, which run synchronously inside {@link #handleInput}/{@link #handleTimeout} or inside the
 * user call that caused them. There are no locks; a caller on another thread must hop onto the owner thread first
 * (jrtc's peer layer does). User calls that are not inside {@code handleInput}/{@code handleTimeout}
 * ({@link DataChannel#send}, {@link DataChannel#close}, {@link #createDataChannel}) read the time from the injected
 * {@code nanoClock} and call the owner's {@code requestDrain} when they queued output, so the owner knows to drain
 * {@link #pollTransmit()} and re-arm its timer.
 *
 * <p><b>Stream ids.</b> The DTLS client uses even ids and the server odd ones (RFC 8832 §6); ids are reused once a
 * closed channel's streams have been reset in both directions.
 */
public final class DataChannelEndpoint implements DatagramCore {

    private static final Logger LOG = LoggerFactory.getLogger(DataChannelEndpoint.class);
    private static final int MAX_STREAM_ID = 65534;
    /**
     * In-band channels whose DATA_CHANNEL_OPEN may await its ACK at once; further ones stay CONNECTING until an ACK
     * (or the peer's first message on the stream) frees a slot. pion/sctp 1.8.x queues at most 16 new streams for its
     * accept loop and discards DATA that would open a 17th, which stalled 100 channels opened at once (datachannel/README.md).
     */
    public static final int MAX_OPENS_AWAITING_ACK = 16;

    private final SctpAssociation sctp;
    private DtlsRole role;
    private final LongSupplier clock;
    /** The owner's {@code requestDrain}: asks it to drain {@link #pollTransmit()} and re-read {@link #pollTimeout}. */
    private final Runnable ownerRequestDrain;
    private final String name;

    private DataChannel[] channels = new DataChannel[0];
    /** In-band channels created before the DTLS role was known: their ids are assigned by {@link #setRole}. */
    private final List<DataChannel> unassigned = new ArrayList<>();
    private int liveChannels;
    private Consumer<DataChannel> onDataChannel = c -> { };
    private Runnable onConnected = () -> { };
    private Consumer<DataChannelError> onTransportClosed = e -> { };
    private Runnable onSendBufferFull = () -> { };

    /** In-band channels waiting for a slot to send their DATA_CHANNEL_OPEN, in creation order. */
    private final ArrayDeque<DataChannel> heldOpens = new ArrayDeque<>(2); // usually empty; grows (idle heap)
    /**
     * A stream the peer reused before our own reset of it was confirmed: its new DATA_CHANNEL_OPEN and what followed it,
     * by stream id. The peer may reuse an id once both directions are reset on its side; ours lags when our reset
     * request was answered "In progress" (RFC 6525 §5.2.2) and waits for its retry. Replayed when the old channel
     * finishes closing; the held bytes stay charged against the receive window meanwhile.
     */
    private final java.util.Map<Integer, ArrayDeque<SctpEvent.MessageReceived>> reusedEarly = new java.util.HashMap<>();
    private int opensAwaitingAck;

    private boolean dispatching;
    private boolean closed;
    private boolean holdPeerChannels;
    private long opened;
    private long closedCount;
    private long dcepErrors;
    private long droppedNoChannel;
    /** Messages that reached a channel with no {@code onMessage} (see {@link DataChannel}'s dispatch). */
    long droppedNoListener;
    private long sendBufferFullRefusals;
    private long maxBufferedPerChannel = Long.MAX_VALUE;

    /**
     * An endpoint with no channels yet, over a new SCTP association.
     *
     * @param config    the SCTP association's configuration
     * @param role      our DTLS role, which picks the parity of our stream ids
     * @param nanoClock the only clock user calls read (virtual in tests, {@code System::nanoTime} in production)
     * @param requestDrain the owner's {@code requestDrain}, called (on the owner thread) when a user call queued
     *                     output outside {@code handleInput}/{@code handleTimeout}
     */
    public DataChannelEndpoint(SctpConfig config, DtlsRole role, LongSupplier nanoClock, Runnable requestDrain) {
        this(config, role, nanoClock, requestDrain, "dc-" + Objects.requireNonNull(role, "role").name().toLowerCase());
    }

    public DataChannelEndpoint(SctpConfig config, DtlsRole role, LongSupplier nanoClock, Runnable requestDrain,
                               String name) {
        this(config, nanoClock, requestDrain, name);
        setRole(Objects.requireNonNull(role, "role"));
    }

    /**
     * An endpoint whose DTLS role is not known yet, as in a peer connection before offer/answer: channels created now
     * get their stream id (id() is -1 until then) when {@link #setRole} is called, which must happen before
     * {@link #connect}.
     */
    public DataChannelEndpoint(SctpConfig config, LongSupplier nanoClock, Runnable requestDrain, String name) {
        this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.ownerRequestDrain = Objects.requireNonNull(requestDrain, "requestDrain");
        this.name = name;
        this.sctp = new SctpAssociation(config, name);
    }

    // =====================================================================================================
    // API
    // =====================================================================================================

    /**
     * Sets our DTLS role, which picks the parity of our stream ids (RFC 8832 §6): the client uses even ids. Channels
     * created before this get their ids now, in creation order.
     *
     * @throws IllegalStateException if a different role was already set
     * @throws IllegalStateException if no stream id is free for a waiting channel
     */
    public void setRole(DtlsRole newRole) {
        Objects.requireNonNull(newRole, "role");
        if (role != null) {
            if (role != newRole) {
                throw new IllegalStateException("the DTLS role is already " + role + "; cannot change it to " + newRole);
            }
            return;
        }
        role = newRole;
        for (DataChannel ch : unassigned) {
            if (ch.state != DataChannelState.CLOSED) {
                ch.assignId(freeStreamId());
                register(ch);
                if (ch.bufferedAmountLowThreshold() > 0) {
                    setLowThreshold(ch, ch.bufferedAmountLowThreshold());
                }
            }
        }
        unassigned.clear();
    }

    /** Starts the SCTP handshake (both WebRTC peers do this once DTLS is up). */
    public void connect(long nowNanos) {
        if (role == null) {
            throw new IllegalStateException("setRole must be called before connect: the DTLS role picks our stream ids");
        }
        sctp.connect(nowNanos);
        requestDrain();
    }

    /** Called for every channel the peer opens in-band, before its first message is delivered. */
    public void onDataChannel(Consumer<DataChannel> listener) {
        this.onDataChannel = Objects.requireNonNull(listener);
    }

    /** Called once the SCTP association is established. */
    public void onConnected(Runnable listener) {
        this.onConnected = Objects.requireNonNull(listener);
    }

    /** Called once when the SCTP association ends: with null after a graceful close, else with the error. */
    public void onTransportClosed(Consumer<DataChannelError> listener) {
        this.onTransportClosed = Objects.requireNonNull(listener);
    }

    /**
     * Creates a data channel (W3C {@code createDataChannel}). Before the association is up the channel waits in
     * CONNECTING; in-band channels then send DATA_CHANNEL_OPEN, negotiated ones open directly.
     *
     * @throws IllegalStateException    the transport is closed, or no stream id of our parity is free
     * @throws IllegalArgumentException bad label/protocol/options, or a negotiated id already in use
     */
    public DataChannel createDataChannel(String label, DataChannelInit init) {
        if (closed || sctp.isTerminated()) {
            throw new IllegalStateException("the SCTP transport is closed (W3C InvalidStateError)");
        }
        DataChannel.checkLabel(label, "label");
        DataChannel.checkLabel(init.protocol(), "protocol");
        int id;
        if (init.negotiated()) {
            id = init.id();
            if (channel(id) != null) {
                throw new IllegalArgumentException("stream id " + id + " is in use (W3C OperationError)");
            }
        } else if (role == null) {
            id = -1;
        } else {
            id = freeStreamId();
        }
        if (sctp.state() == SctpState.ESTABLISHED && id >= sctp.outboundStreams()) {
            throw new IllegalArgumentException("stream id " + id + " beyond the " + sctp.outboundStreams() + " negotiated streams");
        }
        DataChannel ch = new DataChannel(this, label, init.protocol(), id, init.ordered(), init.maxPacketLifeTime(),
                init.maxRetransmits(), init.negotiated(), init.priority());
        if (id < 0) {
            unassigned.add(ch);
            return ch;
        }
        register(ch);
        if (sctp.state() == SctpState.ESTABLISHED) {
            boolean was = dispatching;
            dispatching = true;
            try {
                start(ch);
            } finally {
                dispatching = was;
            }
            requestDrain();
        }
        return ch;
    }

    private int freeStreamId() {
        int limit = sctp.state() == SctpState.ESTABLISHED ? Math.min(MAX_STREAM_ID, sctp.outboundStreams() - 1) : MAX_STREAM_ID;
        for (int id = role.firstStreamId(); id <= limit; id += 2) {
            if (channel(id) == null) {
                return id;
            }
        }
        throw new IllegalStateException("no free stream id (W3C OperationError)");
    }

    private DataChannel channel(int id) {
        return id >= 0 && id < channels.length ? channels[id] : null;
    }

    private void register(DataChannel ch) {
        int id = ch.id();
        if (id >= channels.length) {
            channels = Arrays.copyOf(channels, Math.max(id + 1, Math.min(65535, Math.max(16, channels.length * 2))));
        }
        channels[id] = ch;
        liveChannels++;
        sctp.setStreamPriority(id, ch.priority().dcepValue()); // the scheduler's weight for what this side sends
    }

    private void unregister(DataChannel ch) {
        if (channel(ch.id()) == ch) {
            channels[ch.id()] = null;
            liveChannels--;
        }
    }

    /** Closes every channel and shuts the association down gracefully (as W3C {@code RTCPeerConnection.close}). */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (DataChannel ch : liveChannels()) {
            ch.flushHeld(true);
            ch.state = DataChannelState.CLOSED;
            unregister(ch);
            closedCount++;
        }
        unassigned.clear();
        sctp.shutdown(clock.getAsLong());
        requestDrain();
    }

    /** Aborts the association at once (SCTP ABORT) and closes every channel with an error. */
    public void abort(String reason) {
        sctp.abort(clock.getAsLong(), reason);
        requestDrain();
    }

    /** The peer's SDP {@code a=max-message-size} (RFC 8841); 0 means unlimited. */
    public void setRemoteMaxMessageSize(long bytes) {
        sctp.setRemoteMaxMessageSize(bytes);
    }

    /** The largest message a channel can send now. */
    public long maxMessageSize() {
        return sctp.maxMessageSize();
    }

    public DtlsRole role() {
        return role;
    }

    /** The SCTP association underneath, for state and statistics. */
    public SctpAssociation association() {
        return sctp;
    }

    /** Channels not yet closed. */
    public List<DataChannel> liveChannels() {
        List<DataChannel> out = new ArrayList<>(liveChannels + unassigned.size());
        for (DataChannel c : unassigned) {
            if (c.state != DataChannelState.CLOSED) {
                out.add(c);
            }
        }
        for (DataChannel c : channels) {
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    public DataChannelEndpointStats stats() {
        return new DataChannelEndpointStats(sctp.stats(), opened, closedCount, liveChannels, dcepErrors, droppedNoChannel,
                sendBufferFullRefusals, droppedNoListener);
    }

    // =====================================================================================================
    // DatagramCore
    // =====================================================================================================

    /** An SCTP packet, read during this call only (see {@link SctpAssociation#handleInput}). */
    @Override
    public void handleInput(long nowNanos, ByteBuffer datagram) {
        sctp.handleInput(nowNanos, datagram);
        drain();
    }

    /**
     * An SCTP packet whose buffer the caller hands over and never writes again (see
     * {@link SctpAssociation#handleOwnedInput}): a fragmented message is then copied once, into the message that
     * {@code onMessage} receives. The DTLS layer's decrypted records qualify.
     */
    public void handleOwnedInput(long nowNanos, ByteBuffer datagram) {
        sctp.handleOwnedInput(nowNanos, datagram);
        drain();
    }

    @Override
    public void handleTimeout(long nowNanos) {
        sctp.handleTimeout(nowNanos);
        drain();
    }

    @Override
    public Optional<ByteBuffer> pollTransmit() {
        return sctp.pollTransmit();
    }

    /**
     * The next SCTP packet as a {@link Gather} (user data not copied into it), or null: SCTP's
     * {@link SctpAssociation#pollTransmitGather()}, with its contract: read it, never write it, and be done with it
     * before calling into this endpoint again. Use this or {@link #pollTransmit()}, on the owner's thread.
     */
    public Gather pollTransmitGather() {
        return sctp.pollTransmitGather();
    }

    @Override
    public long pollTimeout() {
        return sctp.pollTimeout();
    }

    // =====================================================================================================
    // Channel operations (called by DataChannel)
    // =====================================================================================================

    long bufferedAmount(int id) {
        return sctp.bufferedAmount(id);
    }

    void setLowThreshold(DataChannel ch, long bytes) {
        if (ch.state != DataChannelState.CLOSED && ch.id() >= 0) {
            sctp.setBufferedAmountLowThreshold(ch.id(), bytes);
        }
    }

    /**
     * Queues a message on {@code ch}'s stream. With {@code owned} the payload is a whole array that the caller hands
     * over (a string's fresh UTF-8 bytes): SCTP keeps it without a copy. Otherwise SCTP copies it.
     */
    void send(DataChannel ch, int ppid, ByteBuffer payload, SendOptions options, boolean owned) {
        long buffered = maxBufferedPerChannel == Long.MAX_VALUE ? 0 : sctp.bufferedAmount(ch.id());
        if (buffered + payload.remaining() > maxBufferedPerChannel) {
            throw refused(new SendBufferFullException("send buffer of data channel '" + ch.label() + "' full: " + buffered
                    + " bytes queued + " + payload.remaining() + " exceeds its limit of " + maxBufferedPerChannel));
        }
        try {
            if (owned) {
                sctp.sendOwned(clock.getAsLong(), ch.id(), ppid, payload.array(), options);
            } else {
                sctp.send(clock.getAsLong(), ch.id(), ppid, payload, options);
            }
        } catch (SendBufferFullException e) {
            throw refused(e);
        }
        requestDrain();
    }

    /** Counts a send refused for a full buffer and tells the listener; returns {@code e} for the caller to throw. */
    private SendBufferFullException refused(SendBufferFullException e) {
        sendBufferFullRefusals++;
        safely(onSendBufferFull, "onSendBufferFull");
        return e;
    }

    /**
     * Channels the peer opens from now on hold their messages until the application sets {@code onMessage} (they start
     * paused, and the first listener gets what came before it, in order), instead of dropping messages that arrive
     * before a listener is set. For an owner that hands new channels to the application after the input that opened
     * them has been processed (a sans-IO core's event queue): the peer's first message often comes in the same packet
     * as its DATA_CHANNEL_OPEN. What waits is charged against the receive window, so an application that never sets
     * a listener holds back the peer, not memory. Off by default: {@link #onDataChannel} listeners run before any
     * message of their channel is delivered and can set {@code onMessage} there.
     */
    public void holdPeerChannelsUntilListener(boolean hold) {
        holdPeerChannels = hold;
    }

    /**
     * Bytes one channel may have queued to send ({@link DataChannel#bufferedAmount()}); a {@code send} beyond it throws
     * {@link SendBufferFullException} naming the channel. Default: no per-channel limit (only the association's send
     * buffer, {@link SctpConfig#maxSendBuffer()}). Applies to every channel, existing and future.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public void setMaxBufferedAmountPerChannel(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxBufferedAmountPerChannel must be positive, was " + bytes);
        }
        this.maxBufferedPerChannel = bytes;
    }

    /**
     * Called (on the caller's thread, the owner's) each time {@code send} is refused because the connection's send
     * buffer ({@link SctpConfig#maxSendBuffer()}) is full, just before the {@link SendBufferFullException} reaches the
     * caller; for counters.
     */
    public void onSendBufferFull(Runnable listener) {
        this.onSendBufferFull = Objects.requireNonNull(listener);
    }

    void holdReceived(long bytes) {
        sctp.holdReceived(bytes);
    }

    void releaseReceived(long bytes) {
        if (!sctp.isTerminated()) {
            sctp.releaseReceived(Math.min(bytes, sctp.heldReceivedBytes()));
        }
    }

    /** {@link DataChannel#resume()} with messages queued: delivers them as a callback batch, then lets the owner send. */
    void resume(DataChannel ch) {
        boolean was = dispatching;
        dispatching = true;
        try {
            ch.drainHeld();
        } finally {
            dispatching = was;
        }
        requestDrain();
    }

    void close(DataChannel ch) {
        if (ch.state == DataChannelState.CLOSING || ch.state == DataChannelState.CLOSED) {
            return;
        }
        if (ch.id() < 0) {
            unassigned.remove(ch);
            ch.state = DataChannelState.CLOSING;
            finishClose(ch);
            requestDrain();
            return;
        }
        if (sctp.state() != SctpState.ESTABLISHED || (!ch.openSent && !ch.negotiated() && ch.state == DataChannelState.CONNECTING)) {
            // Nothing was ever sent on the streams: close locally.
            finishClose(ch);
            requestDrain();
            return;
        }
        ch.state = DataChannelState.CLOSING;
        requestReset(ch);
        requestDrain();
    }

    private void requestReset(DataChannel ch) {
        if (ch.localResetRequested) {
            return;
        }
        ch.localResetRequested = true;
        sctp.resetStreams(clock.getAsLong(), ch.id());
    }

    private void finishClose(DataChannel ch) {
        if (ch.state == DataChannelState.CLOSED) {
            return;
        }
        ch.flushHeld(false);
        ch.state = DataChannelState.CLOSED;
        heldOpens.remove(ch);
        unregister(ch);
        openSettled(ch);
        closedCount++;
        ch.fireClose();
        ArrayDeque<SctpEvent.MessageReceived> early = reusedEarly.remove(ch.id());
        if (early != null && !closed) {
            for (SctpEvent.MessageReceived m : early) {
                releaseReceived(Math.max(1, m.size()));
                onMessage(m);
            }
        }
    }

    /** Runs a listener, keeping its exceptions out of the protocol core. */
    void safely(Runnable r, String what) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: data channel {} listener threw; ignored", name, what, e);
        }
    }

    /**
     * A user call queued output: delivers SCTP's events now and asks the owner for a drain of {@link #pollTransmit()}.
     * Inside a callback it does nothing: the running drain delivers the events, and the owner drains after the
     * {@code handleInput}/{@code handleTimeout} (or user call) that is running.
     */
    private void requestDrain() {
        if (dispatching) {
            return;
        }
        drain();
        ownerRequestDrain.run();
    }

    // =====================================================================================================
    // Events from SCTP
    // =====================================================================================================

    /** Delivers every event SCTP queued to the channels and listeners; not re-entrant (a nested call returns). */
    private void drain() {
        if (dispatching) {
            return;
        }
        dispatching = true;
        try {
            for (Optional<SctpEvent> e = sctp.pollEvent(); e.isPresent(); e = sctp.pollEvent()) {
                handle(e.get());
            }
        } finally {
            dispatching = false;
        }
    }

    private void handle(SctpEvent e) {
        switch (e) {
            case SctpEvent.MessageReceived m -> onMessage(m);
            case SctpEvent.Connected c -> onSctpConnected();
            case SctpEvent.BufferedAmountLow b -> {
                DataChannel ch = channel(b.streamId());
                if (ch != null) {
                    ch.fireBufferedAmountLow();
                }
            }
            case SctpEvent.IncomingStreamsReset r -> onIncomingReset(r.streamIds());
            case SctpEvent.OutgoingStreamsReset r -> {
                for (int id : r.streamIds()) {
                    DataChannel ch = channel(id);
                    if (ch != null) {
                        ch.localResetDone = true;
                        if (ch.remoteResetSeen) {
                            finishClose(ch);
                        }
                    }
                }
            }
            case SctpEvent.StreamResetFailed f -> {
                for (int id : f.streamIds()) {
                    DataChannel ch = channel(id);
                    if (ch != null) {
                        ch.fireError(new DataChannelError("data-channel-failure", ErrorKind.UNSUPPORTED,
                                "stream reset failed: " + f.reason()));
                        finishClose(ch);
                    }
                }
            }
            case SctpEvent.Aborted a -> transportEnded(new DataChannelError("sctp-failure", a.kind(), a.reason()));
            case SctpEvent.Closed c -> transportEnded(null);
            case SctpEvent.Restarted r -> LOG.info("{}: the peer restarted the SCTP association", name);
            case SctpEvent.MessageAbandoned m -> {
                // counted by SCTP; W3C has no event for it
            }
        }
    }

    private void onSctpConnected() {
        for (DataChannel ch : liveChannels()) {
            if (ch.state == DataChannelState.CONNECTING) {
                if (ch.id() >= sctp.outboundStreams()) {
                    ch.fireError(new DataChannelError("data-channel-failure", ErrorKind.RESOURCE_EXHAUSTED,
                            "stream id " + ch.id() + " beyond the negotiated streams"));
                    finishClose(ch);
                    continue;
                }
                start(ch);
            }
        }
        safely(onConnected, "onConnected");
    }

    /** Opens a channel on an established association: DATA_CHANNEL_OPEN for in-band ones. */
    private void start(DataChannel ch) {
        if (!ch.negotiated()) {
            if (opensAwaitingAck >= MAX_OPENS_AWAITING_ACK) {
                heldOpens.add(ch);
                return;
            }
            ChannelType.Reliability rel = ch.maxRetransmits() != null ? ChannelType.Reliability.REXMIT
                    : ch.maxPacketLifeTime() != null ? ChannelType.Reliability.TIMED : ChannelType.Reliability.RELIABLE;
            long param = ch.maxRetransmits() != null ? ch.maxRetransmits() : ch.maxPacketLifeTime() != null ? ch.maxPacketLifeTime() : 0;
            DataChannelOpen open = new DataChannelOpen(ChannelType.of(ch.ordered(), rel), ch.priority().dcepValue(), param,
                    ch.label(), ch.protocol());
            sctp.send(clock.getAsLong(), ch.id(), DcepMessage.PPID, open.encode(), SendOptions.RELIABLE);
            ch.openSent = true;
            ch.awaitingAck = true;
            opensAwaitingAck++;
        }
        opened++;
        ch.announceOpen();
    }

    /** Our DATA_CHANNEL_OPEN on {@code ch} was acknowledged (or its channel ended): frees its slot for a held one. */
    private void openSettled(DataChannel ch) {
        if (!ch.awaitingAck) {
            return;
        }
        ch.awaitingAck = false;
        opensAwaitingAck--;
        while (opensAwaitingAck < MAX_OPENS_AWAITING_ACK && !heldOpens.isEmpty() && !closed
                && sctp.state() == SctpState.ESTABLISHED) {
            DataChannel next = heldOpens.poll();
            if (next.state == DataChannelState.CONNECTING) {
                start(next);
            }
        }
    }

    private void onMessage(SctpEvent.MessageReceived m) {
        int sid = m.streamId();
        ArrayDeque<SctpEvent.MessageReceived> early = reusedEarly.get(sid);
        if (early != null) {
            early.add(m);
            holdReceived(Math.max(1, m.size()));
            return;
        }
        switch (m.ppid()) {
            case DcepMessage.PPID -> onDcep(sid, m);
            case Ppid.STRING, Ppid.BINARY, Ppid.STRING_EMPTY, Ppid.BINARY_EMPTY -> {
                DataChannel ch = channel(sid);
                if (ch == null || ch.state != DataChannelState.OPEN) {
                    droppedNoChannel++;
                    LOG.debug("{}: message on stream {} without an open channel dropped", name, sid);
                    return;
                }
                // RFC 8832 §6: data from the peer means it processed our DATA_CHANNEL_OPEN: an implicit ACK.
                openSettled(ch);
                boolean empty = m.ppid() == Ppid.STRING_EMPTY || m.ppid() == Ppid.BINARY_EMPTY;
                boolean binary = m.ppid() == Ppid.BINARY || m.ppid() == Ppid.BINARY_EMPTY;
                int charged = m.size();
                ch.deliver(empty ? new DataChannelMessage(ByteBuffer.allocate(0), binary)
                        : DataChannelMessage.ofFragments(m.fragments(), binary), charged);
            }
            default -> {
                droppedNoChannel++;
                LOG.debug("{}: message with PPID {} on stream {} ignored", name, m.ppid(), sid);
            }
        }
    }

    private void onDcep(int sid, SctpEvent.MessageReceived received) {
        ByteBuffer data = received.data();
        DcepMessage msg;
        try {
            msg = DcepMessage.parse(data.duplicate());
        } catch (ParseException e) {
            dcepErrors++;
            LOG.debug("{}: malformed DCEP message on stream {}: {}", name, sid, e.getMessage());
            return;
        }
        switch (msg) {
            case DataChannelAck ack -> {
                DataChannel ch = channel(sid);
                if (ch == null || !ch.openSent) {
                    dcepErrors++;
                    return;
                }
                openSettled(ch);
            }
            case DataChannelOpen open -> onOpenReceived(sid, open, received);
        }
    }

    private void onOpenReceived(int sid, DataChannelOpen open, SctpEvent.MessageReceived received) {
        DataChannel old = channel(sid);
        if (old != null && !closed && old.remoteResetSeen && old.localResetRequested && !old.localResetDone
                && !role.ownsStreamId(sid)) {
            // The peer has reset both directions and reused the id; ours completes when our reset is confirmed.
            LOG.debug("{}: DATA_CHANNEL_OPEN on stream {} while our reset of it awaits its answer: held", name, sid);
            ArrayDeque<SctpEvent.MessageReceived> q = new ArrayDeque<>();
            q.add(received);
            holdReceived(Math.max(1, received.size()));
            reusedEarly.put(sid, q);
            return;
        }
        if (role.ownsStreamId(sid) || old != null || closed) {
            // RFC 8832 §6: the peer must use ids of its own parity, and not one in use.
            dcepErrors++;
            LOG.debug("{}: DATA_CHANNEL_OPEN on stream {} refused (parity or id in use)", name, sid);
            return;
        }
        Integer rexmit = null;
        Integer lifetime = null;
        long p = Math.min(open.reliabilityParameter(), 65535);
        switch (open.channelType().reliability()) {
            case REXMIT -> rexmit = (int) p;
            case TIMED -> lifetime = (int) p;
            default -> {
            }
        }
        DataChannel ch = new DataChannel(this, open.label(), open.protocol(), sid, open.channelType().ordered(), lifetime, rexmit,
                false, DataChannelPriority.fromDcep(open.priority()));
        if (holdPeerChannels) {
            ch.holdUntilListener();
        }
        register(ch);
        sctp.send(clock.getAsLong(), sid, DcepMessage.PPID, new DataChannelAck().encode(), SendOptions.RELIABLE);
        opened++;
        ch.state = DataChannelState.OPEN;
        try {
            onDataChannel.accept(ch);
        } catch (RuntimeException e) {
            LOG.warn("{}: onDataChannel listener threw; ignored", name, e);
        }
        if (ch.state == DataChannelState.OPEN) {
            ch.announceOpen();
        }
    }

    private void onIncomingReset(int[] ids) {
        int[] toReset = new int[ids.length];
        int n = 0;
        List<DataChannel> done = new ArrayList<>();
        for (int id : ids) {
            DataChannel ch = channel(id);
            if (ch == null) {
                continue;
            }
            ch.remoteResetSeen = true;
            if (ch.state == DataChannelState.OPEN || ch.state == DataChannelState.CONNECTING) {
                ch.state = DataChannelState.CLOSING;
                ch.fireClosing();
            }
            if (!ch.localResetRequested) {
                ch.localResetRequested = true;
                toReset[n++] = id;
            } else if (ch.localResetDone) {
                done.add(ch);
            }
        }
        if (n > 0 && sctp.state() == SctpState.ESTABLISHED) {
            sctp.resetStreams(clock.getAsLong(), Arrays.copyOf(toReset, n));
        }
        done.forEach(this::finishClose);
    }

    private void transportEnded(DataChannelError error) {
        reusedEarly.clear(); // the association is gone: nothing held can be delivered or acknowledged
        for (DataChannel ch : liveChannels()) {
            ch.flushHeld(false); // what arrived before the end is delivered before onError/onClose
            if (error != null) {
                ch.fireError(error);
            }
            finishClose(ch);
        }
        try {
            onTransportClosed.accept(error);
        } catch (RuntimeException e) {
            LOG.warn("{}: onTransportClosed listener threw; ignored", name, e);
        }
    }

    @Override
    public String toString() {
        return "DataChannelEndpoint[" + name + ", " + (role == null ? "role unknown" : role) + ", " + sctp.state() + ", "
                + liveChannels + " channels]";
    }
}
