package io.jrtc.ice.internal;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.ErrorKind;
import io.jrtc.common.ParseException;
import io.jrtc.common.Timer;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceDropReason;
import io.jrtc.ice.SocketId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.DataAttribute;
import org.ice4j.attribute.LifetimeAttribute;
import org.ice4j.attribute.NonceAttribute;
import org.ice4j.attribute.RealmAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sans-IO TURN client for one allocation (RFC 8656): Allocate with the 401 realm/nonce dance and long-term
 * credentials (§7.1, RFC 8489 §9.2), 438 Stale Nonce retries, Refresh before expiry (§8), CreatePermission
 * refreshed before the 5-minute permission lifetime (§9), ChannelBind refreshed before the 10-minute channel
 * lifetime with the ChannelData fast path (§12), Send/Data indications as the fallback (§10, §11), and deallocation
 * with a Refresh of LIFETIME 0 (§7.4).
 *
 * <p>It talks to its server over one UDP socket or one stream, both owned by the edge; bytes go out through
 * {@link Host#transmit}. Over UDP, requests are retransmitted (RFC 8489 §6.2.1); over a stream they are sent once
 * and time out after Ti = 39.5 s. Single-threaded: owned by one {@code IceAgent}; it never reads a clock.
 */
public final class TurnClient {

    // Deadline-only timers (never backed off); the specs are shared, each timer holds its own state.
    private static final Timer.Spec TURN_PERMISSION_REFRESH_TIMER = Timer.Spec.fixed("turn-permission-refresh");
    private static final Timer.Spec TURN_CHANNEL_REFRESH_TIMER = Timer.Spec.fixed("turn-channel-refresh");
    private static final Timer.Spec TURN_ALLOCATION_REFRESH_TIMER = Timer.Spec.fixed("turn-allocation-refresh");

    private static final Logger LOG = LoggerFactory.getLogger(TurnClient.class);

    /** RFC 8656 §7.1: REQUESTED-TRANSPORT value for UDP relaying. */
    private static final byte PROTOCOL_UDP = 17;
    /** RFC 8489 §6.2.2: transaction timeout over reliable transports. */
    private static final long TI_NANOS = 39_500_000_000L;
    /** RFC 8489 §6.2.1: Rm, the multiple of the initial RTO waited after the last retransmission. */
    private static final int RM = 16;
    /** RFC 8656 §7.2: the default allocation lifetime. */
    private static final int DEFAULT_LIFETIME_SECONDS = 600;
    private static final int MAX_AUTH_RETRIES = 3;
    private static final int MAX_QUEUED_PER_PERMISSION = 16;

    /** What the client needs from its owner. */
    public interface Host {
        /** Send {@code data} to this client's server over its socket or stream. */
        void transmit(TurnClient client, ByteBuffer data);

        /** The allocation succeeded; {@link #relayedAddress()} and {@link #mappedAddress()} are set. */
        void allocated(TurnClient client, long now);

        /** The allocation failed or was lost. */
        void failed(TurnClient client, long now, ErrorKind kind, String message);

        /** Data from a peer arrived through the relay. The buffer is valid during the call only. */
        void peerData(TurnClient client, long now, InetSocketAddress peer, ByteBuffer data);

        /** Deallocation finished (answered or timed out). */
        void closed(TurnClient client, long now);
    }

    /** Allocation states. */
    public enum State { IDLE, ALLOCATING, ALLOCATED, DEALLOCATING, CLOSED, FAILED }

    private enum Kind { ALLOCATE, REFRESH, CREATE_PERMISSION, CHANNEL_BIND }

    /**
     * The spec every request's retransmission timer shares. FIXED: {@link #transmit} keeps the schedule's
     * arithmetic (RTO doubling, the final Rm * RTO wait, Ti over streams) and restarts the timer with each wait.
     */
    private static final Timer.Spec TURN_RETRANSMIT_TIMER = Timer.Spec.fixed("turn-retransmit");

    private static final class Tx {
        final Kind kind;
        final Function<byte[], Message> builder;
        final Permission permission;
        final Channel channel;
        final int lifetime;
        ByteBuffer bytes;
        /** When the next retransmission is due, or when the request times out after its last one. */
        final Timer retransmit = new Timer(TURN_RETRANSMIT_TIMER);
        /** The wait after the next transmission (doubled after each but the last). */
        long rto;
        int transmissions;
        int authRetries;
        boolean authenticated;

        Tx(Kind kind, Function<byte[], Message> builder, Permission permission, Channel channel, int lifetime) {
            this.kind = kind;
            this.builder = builder;
            this.permission = permission;
            this.channel = channel;
            this.lifetime = lifetime;
        }
    }

    private static final class Permission {
        final InetAddress peer;
        boolean installed;
        boolean pending;
        boolean failed;
        /** Runs while installed: CreatePermission again when it expires (RFC 8656 §9). */
        final Timer refresh = new Timer(TURN_PERMISSION_REFRESH_TIMER);
        long lastUsed;
        ArrayDeque<Object[]> queue;

        Permission(InetAddress peer) {
            this.peer = peer;
        }
    }

    private static final class Channel {
        final int number;
        final InetSocketAddress peer;
        boolean bound;
        /** Runs while bound: ChannelBind again when it expires (RFC 8656 §12). */
        final Timer refresh = new Timer(TURN_CHANNEL_REFRESH_TIMER);
        long lastUsed;

        Channel(int number, InetSocketAddress peer) {
            this.number = number;
            this.peer = peer;
        }
    }

    private final Host host;
    private final SocketId via;
    private final InetSocketAddress server;
    private final boolean stream;
    private final String username;
    private final String password;
    private final IceConfig config;
    private final Counters counters;
    private final String label;

    private String realm;
    private byte[] nonce;
    private byte[] key;
    private State state = State.IDLE;
    private InetSocketAddress relayed;
    private InetSocketAddress mapped;
    /** Runs while allocated: Refresh the allocation when it expires (RFC 8656 §8). */
    private final Timer refresh = new Timer(TURN_ALLOCATION_REFRESH_TIMER);

    private final Map<Stun.TxKey, Tx> txs = new HashMap<>(4);
    /** Requests answered after a retransmission, until their schedule ends: a second answer is ignored. */
    private final Map<Stun.TxKey, Long> answered = new HashMap<>(2);
    private final Map<InetAddress, Permission> permissions = new HashMap<>(4);
    private final Map<InetSocketAddress, Channel> channelsByPeer = new HashMap<>(4);
    private final Map<Integer, Channel> channelsByNumber = new HashMap<>(4);
    private int nextChannel = ChannelData.MIN_CHANNEL;

    /**
     * @param via    the UDP socket or the stream used to reach the server
     * @param server the server's address
     * @param stream true over TCP/TLS (no retransmissions, padded ChannelData)
     * @param label  for logs, e.g. the server URL
     */
    public TurnClient(Host host, SocketId via, InetSocketAddress server, boolean stream, String username,
                      String password, IceConfig config, Counters counters, String label) {
        this.host = host;
        this.via = via;
        this.server = server;
        this.stream = stream;
        this.username = username;
        this.password = password;
        this.config = config;
        this.counters = counters;
        this.label = label;
    }

    public SocketId via() {
        return via;
    }

    public InetSocketAddress server() {
        return server;
    }

    public boolean isStream() {
        return stream;
    }

    public State state() {
        return state;
    }

    public String label() {
        return label;
    }

    /** The relayed transport address (XOR-RELAYED-ADDRESS), once allocated. */
    public InetSocketAddress relayedAddress() {
        return relayed;
    }

    /** Our address as the server saw it (XOR-MAPPED-ADDRESS), once allocated; may be null. */
    public InetSocketAddress mappedAddress() {
        return mapped;
    }

    /** Number of channels currently bound (for tests and stats). */
    public int boundChannels() {
        int n = 0;
        for (Channel c : channelsByNumber.values()) {
            if (c.bound) {
                n++;
            }
        }
        return n;
    }

    /** Sends the first, unauthenticated Allocate (RFC 8656 §7.1). */
    public void start(long now) {
        if (state != State.IDLE) {
            return;
        }
        state = State.ALLOCATING;
        Integer lifetime = config.turnRequestedLifetime() == null ? null : (int) config.turnRequestedLifetime().toSeconds();
        send(now, new Tx(Kind.ALLOCATE, tid -> {
            Request r = MessageFactory.createAllocateRequest(PROTOCOL_UDP, false);
            if (lifetime != null) {
                r.putAttribute(AttributeFactory.createLifetimeAttribute(lifetime));
            }
            return r;
        }, null, null, 0), false);
    }

    // ------------------------------------------------------------------------------------------------ sending

    /**
     * Sends application data or a check to {@code peer} through the relay: over a bound channel as ChannelData,
     * else as a Send indication. Installs a permission first (queueing up to 16 packets meanwhile). Returns false
     * if the packet was dropped.
     */
    public boolean sendToPeer(long now, InetSocketAddress peer, ByteBuffer payload) {
        if (state != State.ALLOCATED) {
            return false;
        }
        Permission p = permissions.get(peer.getAddress());
        if (p == null) {
            p = new Permission(peer.getAddress());
            permissions.put(peer.getAddress(), p);
            createPermission(now, p);
        }
        p.lastUsed = now;
        if (p.failed) {
            return false;
        }
        if (!p.installed) {
            if (p.queue == null) {
                p.queue = new ArrayDeque<>(4);
            }
            if (p.queue.size() >= MAX_QUEUED_PER_PERMISSION) {
                counters.drop(IceDropReason.QUEUE_FULL);
                return false;
            }
            byte[] copy = new byte[payload.remaining()];
            payload.duplicate().get(copy);
            p.queue.add(new Object[] {peer, copy});
            return true;
        }
        transmitToPeer(now, peer, payload);
        return true;
    }

    private void transmitToPeer(long now, InetSocketAddress peer, ByteBuffer payload) {
        Channel ch = channelsByPeer.get(peer);
        if (ch != null && ch.bound) {
            ch.lastUsed = now;
            ChannelData cd = new ChannelData(ch.number, payload.duplicate());
            ByteBuffer out = ByteBuffer.allocate(cd.encodedLength(stream));
            cd.writeTo(out, stream);
            out.flip();
            host.transmit(this, out);
            return;
        }
        byte[] data = new byte[payload.remaining()];
        payload.duplicate().get(data);
        byte[] tid = Stun.newTransactionId(config.random());
        Message ind = MessageFactory.createSendIndication(Stun.ta(peer), data, tid);
        try {
            ind.setTransactionID(tid);
        } catch (org.ice4j.StunException e) {
            throw new IllegalStateException(e);
        }
        host.transmit(this, Stun.encode(ind, null, false));
    }

    /** Binds a channel to {@code peer} (RFC 8656 §12.1) so that data takes the 4-byte ChannelData framing. */
    public void bindChannel(long now, InetSocketAddress peer) {
        if (!config.turnChannels() || state != State.ALLOCATED || channelsByPeer.containsKey(peer)
                || nextChannel > ChannelData.MAX_CHANNEL) {
            return;
        }
        Channel ch = new Channel(nextChannel++, peer);
        ch.lastUsed = now;
        channelsByPeer.put(peer, ch);
        channelsByNumber.put(ch.number, ch);
        sendChannelBind(now, ch);
    }

    private void sendChannelBind(long now, Channel ch) {
        send(now, new Tx(Kind.CHANNEL_BIND, tid -> MessageFactory.createChannelBindRequest((char) ch.number, Stun.ta(ch.peer), tid),
                null, ch, 0), true);
    }

    private void createPermission(long now, Permission p) {
        p.pending = true;
        InetSocketAddress peer = new InetSocketAddress(p.peer, 0);
        send(now, new Tx(Kind.CREATE_PERMISSION, tid -> MessageFactory.createCreatePermissionRequest(Stun.ta(peer), tid),
                p, null, 0), true);
    }

    private void sendRefresh(long now, int lifetime) {
        send(now, new Tx(Kind.REFRESH, tid -> MessageFactory.createRefreshRequest(lifetime), null, null, lifetime), true);
    }

    /** Deallocates (RFC 8656 §7.4: Refresh with LIFETIME 0); {@link Host#closed} follows. */
    public void deallocate(long now) {
        switch (state) {
            case ALLOCATED -> {
                state = State.DEALLOCATING;
                txs.clear();
                refresh.stop();
                permissions.clear();
                channelsByPeer.clear();
                channelsByNumber.clear();
                sendRefresh(now, 0);
            }
            case DEALLOCATING, CLOSED -> {
            }
            default -> {
                state = State.CLOSED;
                txs.clear();
                host.closed(this, now);
            }
        }
    }

    /** Forgets the allocation without telling the server (its stream or socket is gone). */
    public void abandon() {
        state = State.CLOSED;
        txs.clear();
        permissions.clear();
        channelsByPeer.clear();
        channelsByNumber.clear();
        refresh.stop();
    }

    private void send(long now, Tx tx, boolean authenticated) {
        byte[] tid = Stun.newTransactionId(config.random());
        Message m = tx.builder.apply(tid);
        try {
            m.setTransactionID(tid);
        } catch (org.ice4j.StunException e) {
            throw new IllegalStateException(e);
        }
        tx.authenticated = authenticated && key != null;
        if (tx.authenticated) {
            m.putAttribute(AttributeFactory.createUsernameAttribute(username));
            m.putAttribute(AttributeFactory.createRealmAttribute(realm.getBytes(StandardCharsets.UTF_8)));
            m.putAttribute(AttributeFactory.createNonceAttribute(nonce));
        }
        tx.bytes = Stun.encode(m, tx.authenticated ? key : null, false);
        tx.rto = config.stunRto().toNanos();
        tx.transmissions = 0;
        txs.put(Stun.TxKey.of(tid), tx);
        transmit(now, tx);
    }

    private void transmit(long now, Tx tx) {
        tx.transmissions++;
        if (stream) {
            tx.retransmit.start(now, TI_NANOS);
        } else if (tx.transmissions >= config.stunMaxTransmissions()) {
            tx.retransmit.start(now, RM * config.stunRto().toNanos());
        } else {
            tx.retransmit.start(now, tx.rto);
            tx.rto *= 2;
        }
        host.transmit(this, tx.bytes.duplicate());
    }

    // ------------------------------------------------------------------------------------------------ receiving

    /**
     * Handles one message from the server (a UDP datagram from the server's address, or a frame from the stream).
     * Returns false only for a STUN response whose transaction is not this client's (the agent may own it, e.g.
     * a Binding request to the same server used as a STUN server).
     */
    public boolean handleServerMessage(long now, ByteBuffer frame) {
        if (frame.remaining() >= 1 && ChannelData.looksLikeChannelData(frame.get(frame.position()) & 0xFF)) {
            handleChannelData(now, frame);
            return true;
        }
        byte[] msg = new byte[frame.remaining()];
        frame.duplicate().get(msg);
        StunScan scan = StunScan.scan(msg, msg.length);
        if (!scan.ok()) {
            counters.drop(scan.status());
            return true;
        }
        int cls = scan.messageClass();
        if (cls == Stun.CLASS_INDICATION && scan.method() == Stun.METHOD_DATA) {
            handleDataIndication(now, msg, scan);
            return true;
        }
        if (cls != Stun.CLASS_SUCCESS && cls != Stun.CLASS_ERROR) {
            counters.drop(IceDropReason.UNEXPECTED_MESSAGE);
            return true;
        }
        Stun.TxKey txKey = Stun.TxKey.ofMessage(msg);
        Tx tx = txs.get(txKey);
        if (tx == null) {
            return answered.containsKey(txKey);
        }
        if (scan.unknownRequired().length > 0) {
            counters.drop(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED_ATTRIBUTE);
            return true;
        }
        if (cls == Stun.CLASS_SUCCESS && tx.authenticated && scan.miOffset() >= 0
                && !Stun.verifyIntegrity(msg, scan.miOffset(), key)) {
            counters.drop(IceDropReason.BAD_INTEGRITY);
            return true;
        }
        Message m = Stun.decode(msg, msg.length);
        if (m == null) {
            counters.drop(IceDropReason.MALFORMED);
            return true;
        }
        txs.remove(txKey);
        if (tx.transmissions > 1) {
            answered.put(txKey, tx.retransmit.deadline() + tx.rto);
        }
        if (cls == Stun.CLASS_SUCCESS) {
            onSuccess(now, tx, m);
        } else {
            onError(now, tx, m);
        }
        return true;
    }

    private void handleChannelData(long now, ByteBuffer frame) {
        ChannelData cd;
        try {
            cd = ChannelData.parse(frame.duplicate());
        } catch (ParseException e) {
            counters.drop(IceDropReason.TRUNCATED);
            return;
        }
        Channel ch = channelsByNumber.get(cd.channel());
        if (ch == null || !ch.bound) {
            counters.drop(IceDropReason.UNKNOWN_CHANNEL);
            return;
        }
        host.peerData(this, now, ch.peer, cd.data());
    }

    private void handleDataIndication(long now, byte[] msg, StunScan scan) {
        if (scan.unknownRequired().length > 0) {
            counters.drop(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED_ATTRIBUTE);
            return;
        }
        Message m = Stun.decode(msg, msg.length);
        InetSocketAddress peer = m == null ? null : Stun.xorAddress(m, Attribute.XOR_PEER_ADDRESS);
        if (m == null || peer == null || !(m.getAttribute(Attribute.DATA) instanceof DataAttribute data)) {
            counters.drop(IceDropReason.MALFORMED);
            return;
        }
        if (!permissions.containsKey(peer.getAddress())) {
            counters.drop(IceDropReason.UNKNOWN_SOURCE);
            return;
        }
        host.peerData(this, now, peer, ByteBuffer.wrap(data.getData()));
    }

    private void onSuccess(long now, Tx tx, Message m) {
        switch (tx.kind) {
            case ALLOCATE -> {
                relayed = Stun.xorAddress(m, Attribute.XOR_RELAYED_ADDRESS);
                mapped = Stun.xorAddress(m, Attribute.XOR_MAPPED_ADDRESS);
                if (relayed == null) {
                    fail(now, ErrorKind.PROTOCOL_VIOLATION, "Allocate success without XOR-RELAYED-ADDRESS");
                    return;
                }
                state = State.ALLOCATED;
                counters.turnAllocations++;
                scheduleRefresh(now, lifetimeOf(m));
                LOG.debug("TURN {}: allocated relay {} (mapped {}), lifetime {} s", label, relayed, mapped, lifetimeOf(m));
                host.allocated(this, now);
            }
            case REFRESH -> {
                if (tx.lifetime == 0) {
                    counters.turnDeallocations++;
                    counters.turnRefreshes++;
                    closeNow(now);
                } else if (state == State.ALLOCATED) {
                    counters.turnRefreshes++;
                    scheduleRefresh(now, lifetimeOf(m));
                    LOG.debug("TURN {}: refreshed, lifetime {} s", label, lifetimeOf(m));
                }
            }
            case CREATE_PERMISSION -> {
                Permission p = tx.permission;
                counters.turnPermissions++;
                if (permissions.get(p.peer) != p) {
                    return;
                }
                p.pending = false;
                p.installed = true;
                p.refresh.start(now, config.turnPermissionRefresh().toNanos());
                ArrayDeque<Object[]> q = p.queue;
                p.queue = null;
                if (q != null) {
                    for (Object[] e : q) {
                        transmitToPeer(now, (InetSocketAddress) e[0], ByteBuffer.wrap((byte[]) e[1]));
                    }
                }
            }
            case CHANNEL_BIND -> {
                Channel ch = tx.channel;
                counters.turnChannelBinds++;
                if (channelsByNumber.get(ch.number) != ch) {
                    return;
                }
                ch.bound = true;
                ch.refresh.start(now, config.turnChannelRefresh().toNanos());
            }
        }
    }

    private void onError(long now, Tx tx, Message m) {
        int code = Stun.errorCode(m);
        if ((code == 401 || code == 438) && tx.authRetries < MAX_AUTH_RETRIES && updateNonce(m, code == 401)) {
            boolean firstChallenge = code == 401 && !tx.authenticated;
            if (code == 438) {
                counters.turnStaleNonces++;
            }
            if (code == 401 && tx.authenticated && !firstChallenge) {
                // A 401 to an authenticated request means wrong credentials, unless the server only rotated
                // the nonce; retry once, then give up below.
                tx.authRetries = MAX_AUTH_RETRIES;
            } else {
                tx.authRetries++;
            }
            send(now, tx, true);
            return;
        }
        String reason = code + " " + reasonPhrase(m);
        switch (tx.kind) {
            case ALLOCATE -> fail(now, code == 401 ? ErrorKind.AUTHENTICATION : ErrorKind.PEER_ABORTED,
                    "Allocate refused: " + reason);
            case REFRESH -> {
                if (tx.lifetime == 0) {
                    closeNow(now);
                } else {
                    fail(now, ErrorKind.PEER_ABORTED, "Refresh refused: " + reason);
                }
            }
            case CREATE_PERMISSION -> {
                LOG.warn("TURN {}: CreatePermission for {} refused: {}", label, tx.permission.peer, reason);
                tx.permission.failed = true;
                tx.permission.pending = false;
                tx.permission.queue = null;
            }
            case CHANNEL_BIND -> {
                LOG.warn("TURN {}: ChannelBind {} for {} refused: {}", label, tx.channel.number, tx.channel.peer, reason);
                channelsByPeer.remove(tx.channel.peer, tx.channel);
                channelsByNumber.remove(tx.channel.number, tx.channel);
            }
        }
    }

    /** Takes REALM and NONCE from a 401/438 answer; false if the answer lacks them. */
    private boolean updateNonce(Message m, boolean realmRequired) {
        byte[] n = m.getAttribute(Attribute.NONCE) instanceof NonceAttribute na ? na.getNonce() : null;
        String r = m.getAttribute(Attribute.REALM) instanceof RealmAttribute ra
                ? new String(ra.getRealm(), StandardCharsets.UTF_8) : null;
        if (n == null || (realmRequired && r == null && realm == null)) {
            return false;
        }
        nonce = n;
        if (r != null && !r.equals(realm)) {
            realm = r;
            key = Stun.longTermKey(username, realm, password);
        }
        return key != null;
    }

    private static String reasonPhrase(Message m) {
        return m.getAttribute(Attribute.ERROR_CODE) instanceof org.ice4j.attribute.ErrorCodeAttribute e
                && e.getReasonPhrase() != null ? e.getReasonPhrase().trim() : "";
    }

    private static int lifetimeOf(Message m) {
        return m.getAttribute(Attribute.LIFETIME) instanceof LifetimeAttribute l ? l.getLifetime() : DEFAULT_LIFETIME_SECONDS;
    }

    private void scheduleRefresh(long now, int lifetimeSeconds) {
        long lifetime = Math.max(1, lifetimeSeconds) * 1_000_000_000L;
        // Refresh a minute before expiry, or at half-life for short lifetimes.
        long lead = lifetime > 120_000_000_000L ? lifetime - 60_000_000_000L : lifetime / 2;
        refresh.start(now, lead);
    }

    private void fail(long now, ErrorKind kind, String message) {
        boolean wasAllocated = state == State.ALLOCATED;
        state = State.FAILED;
        if (!wasAllocated) {
            counters.turnAllocationFailures++;
        }
        txs.clear();
        permissions.clear();
        channelsByPeer.clear();
        channelsByNumber.clear();
        refresh.stop();
        LOG.warn("TURN {}: {}", label, message);
        host.failed(this, now, kind, message);
    }

    private void closeNow(long now) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        txs.clear();
        refresh.stop();
        host.closed(this, now);
    }

    // ------------------------------------------------------------------------------------------------ timers

    /** The earliest deadline of this client, or {@link DatagramCore#NO_TIMEOUT}. */
    public long nextDeadline() {
        long next = refresh.deadline();
        for (Tx tx : txs.values()) {
            next = Math.min(next, tx.retransmit.deadline());
        }
        for (Permission p : permissions.values()) {
            next = Math.min(next, p.refresh.deadline());
        }
        for (Channel c : channelsByNumber.values()) {
            next = Math.min(next, c.refresh.deadline());
        }
        return next;
    }

    public void handleTimeout(long now) {
        if (!answered.isEmpty()) {
            answered.values().removeIf(until -> until <= now);
        }
        if (!txs.isEmpty()) {
            List<Map.Entry<Stun.TxKey, Tx>> due = new ArrayList<>(2);
            for (Map.Entry<Stun.TxKey, Tx> e : txs.entrySet()) {
                if (e.getValue().retransmit.expired(now)) {
                    due.add(e);
                }
            }
            for (Map.Entry<Stun.TxKey, Tx> e : due) {
                Tx tx = e.getValue();
                if (txs.get(e.getKey()) != tx) {
                    continue;
                }
                if (!stream && tx.transmissions < config.stunMaxTransmissions()) {
                    transmit(now, tx);
                } else {
                    txs.remove(e.getKey());
                    onTimeout(now, tx);
                }
            }
        }
        if (state == State.ALLOCATED && refresh.expired(now)) {
            refresh.stop();
            int lifetime = config.turnRequestedLifetime() == null ? DEFAULT_LIFETIME_SECONDS
                    : (int) config.turnRequestedLifetime().toSeconds();
            sendRefresh(now, lifetime);
        }
        if (state == State.ALLOCATED) {
            long permissionRefresh = config.turnPermissionRefresh().toNanos();
            for (Iterator<Permission> it = permissions.values().iterator(); it.hasNext(); ) {
                Permission p = it.next();
                if (p.refresh.expired(now)) {
                    if (now - p.lastUsed > permissionRefresh) {
                        it.remove(); // unused for a whole period: let it lapse
                        continue;
                    }
                    p.refresh.stop();
                    createPermission(now, p);
                }
            }
            long channelRefresh = config.turnChannelRefresh().toNanos();
            for (Iterator<Channel> it = channelsByNumber.values().iterator(); it.hasNext(); ) {
                Channel c = it.next();
                if (c.refresh.expired(now)) {
                    if (now - c.lastUsed > channelRefresh) {
                        it.remove();
                        channelsByPeer.remove(c.peer, c);
                        continue;
                    }
                    c.refresh.stop();
                    sendChannelBind(now, c);
                }
            }
        }
    }

    private void onTimeout(long now, Tx tx) {
        switch (tx.kind) {
            case ALLOCATE -> fail(now, ErrorKind.TIMEOUT, "no answer to Allocate from " + server);
            case REFRESH -> {
                if (tx.lifetime == 0) {
                    closeNow(now);
                } else {
                    fail(now, ErrorKind.TIMEOUT, "no answer to Refresh from " + server);
                }
            }
            case CREATE_PERMISSION -> {
                tx.permission.pending = false;
                if (!tx.permission.installed) {
                    tx.permission.failed = true;
                    tx.permission.queue = null;
                } else {
                    permissions.remove(tx.permission.peer, tx.permission);
                }
            }
            case CHANNEL_BIND -> {
                channelsByPeer.remove(tx.channel.peer, tx.channel);
                channelsByNumber.remove(tx.channel.number, tx.channel);
            }
        }
    }
}
