package io.jrtc.sctp.internal.socket;

import static io.jrtc.sctp.internal.socket.SocketContext.LOG;

import io.jrtc.common.ErrorKind;
import io.jrtc.common.Timer;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.sctp.SctpEvent;
import io.jrtc.sctp.internal.DataTracker;
import io.jrtc.sctp.internal.OutMessage;
import io.jrtc.sctp.internal.Reassembly;
import io.jrtc.sctp.internal.RetransmissionQueue;
import io.jrtc.sctp.internal.StateCookie;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.CookieAckChunk;
import io.jrtc.sctp.packet.CookieEchoChunk;
import io.jrtc.sctp.packet.CookiePreservativeParameter;
import io.jrtc.sctp.packet.ErrorCause;
import io.jrtc.sctp.packet.ErrorChunk;
import io.jrtc.sctp.packet.ForwardTsnSupportedParameter;
import io.jrtc.sctp.packet.InitAckChunk;
import io.jrtc.sctp.packet.InitChunk;
import io.jrtc.sctp.packet.Parameter;
import io.jrtc.sctp.packet.ReconfigurationResponseParameter;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.sctp.packet.ShutdownAckChunk;
import io.jrtc.sctp.packet.StaleCookieCause;
import io.jrtc.sctp.packet.StateCookieParameter;
import io.jrtc.sctp.packet.SupportedExtensionsParameter;
import io.jrtc.sctp.packet.UnknownParameter;
import io.jrtc.sctp.packet.UnrecognizedParameter;
import io.jrtc.sctp.packet.UnrecognizedParametersCause;
import io.jrtc.sctp.packet.ZeroChecksumAcceptableParameter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Association setup (RFC 9260 §5): INIT, INIT ACK, COOKIE ECHO and COOKIE ACK, T1-init and T1-cookie, the
 * HMAC-signed state cookie and its lifetime (§5.1.3, §5.1.5), stale cookies (§5.2.6), simultaneous INIT and the
 * collision cases A-D (§5.2.4), peer restart, and the INIT without Zero Checksum Acceptable for stacks that reject
 * unknown INIT parameters (module README). Creates the {@link Tcb} on establishment.
 */
public final class Connect {

    // Shared timer specs: each timer holds only its own state (idle heap).
    private static final Timer.Spec INIT_FALLBACK = Timer.Spec.fixed("INIT-fallback");

    /** Chunk types we announce in Supported Extensions. */
    private static final List<Integer> SUPPORTED_EXTENSIONS = List.of(ChunkTypes.RE_CONFIG, ChunkTypes.FORWARD_TSN);
    /** Largest cookie lifetime extension granted for a Cookie Preservative (RFC 9260 §5.2.6), in milliseconds. */
    private static final long MAX_COOKIE_EXTENSION_MS = 60_000;

    private Connect() {
    }

    /** Sends INIT and enters COOKIE-WAIT (RFC 9260 §5.1 A); a no-op unless CLOSED. */
    public static void connect(SocketContext ctx) {
        if (!(ctx.state() instanceof State.Closed)) {
            return;
        }
        List<Parameter> params = new ArrayList<>(ourCapabilities(ctx, ctx.config.zeroChecksum()));
        InitChunk init = newInit(ctx, params);
        Timer t1 = new Timer("T1", Timer.Backoff.EXPONENTIAL, ctx.rtoMaxNanos, Timer.UNLIMITED);
        Timer fallback = new Timer(INIT_FALLBACK);
        ctx.setState(new State.CookieWait(t1, fallback, init));
        sendInit(ctx, init);
        t1.start(ctx.now, ctx.rtoInitialNanos);
        if (ctx.config.zeroChecksum() && ctx.config.initFallbackDelay() != null) {
            fallback.start(ctx.now, ctx.config.initFallbackDelay().toNanos());
        }
    }

    private static InitChunk newInit(SocketContext ctx, List<Parameter> params) {
        return new InitChunk(ctx.localTag, ctx.config.receiveWindow(), ctx.config.numOutboundStreams(),
                ctx.config.maxInboundStreams(), ctx.localInitialTsn, params);
    }

    /**
     * The parameters of our INIT or INIT ACK. Supported Extensions (RFC 5061) and Forward-TSN-Supported (RFC 3758)
     * are known to every stack that runs data channels; Zero Checksum Acceptable (RFC 9653, 2024) is not, and some
     * stacks drop a whole INIT or INIT ACK for a parameter they do not know.
     */
    private static List<Parameter> ourCapabilities(SocketContext ctx, boolean withZeroChecksum) {
        List<Parameter> p = new ArrayList<>(3);
        p.add(new SupportedExtensionsParameter(SUPPORTED_EXTENSIONS));
        p.add(new ForwardTsnSupportedParameter());
        if (withZeroChecksum && ctx.config.zeroChecksum()) {
            p.add(new ZeroChecksumAcceptableParameter(ZeroChecksumAcceptableParameter.EDMID_SCTP_OVER_DTLS));
        }
        return p;
    }

    /**
     * Sends the INIT again without Zero Checksum Acceptable, for peers that drop or abort an INIT with a parameter they
     * do not know (RFC 9260 §3.2.1 says to skip it; pion/sctp before 2024 does not). Later retransmissions repeat
     * this INIT. Whichever INIT the peer answers first wins, so a peer that accepts zero checksums keeps them.
     */
    static void fallBackInit(SocketContext ctx, String why, boolean send) {
        if (!(ctx.state() instanceof State.CookieWait w)) {
            return;
        }
        w.fallback().stop();
        if (ctx.initFallbackSent || !ctx.config.zeroChecksum()) {
            return;
        }
        ctx.initFallbackSent = true;
        LOG.debug("{}: {}; sending an INIT without Zero Checksum Acceptable", ctx.name, why);
        List<Parameter> params = new ArrayList<>(ourCapabilities(ctx, false));
        for (Parameter p : w.init().parameters()) {
            if (p instanceof CookiePreservativeParameter) {
                params.add(p);
            }
        }
        InitChunk init = newInit(ctx, params);
        ctx.setState(new State.CookieWait(w.t1(), w.fallback(), init));
        if (send) {
            sendInit(ctx, init);
        }
    }

    private static void sendInit(SocketContext ctx, InitChunk init) {
        ctx.readyPackets.add(ctx.encode(new SctpPacket(ctx.config.localPort(), ctx.config.remotePort(), 0, List.of(init))));
    }

    /** The INIT-fallback and T1 timers of the handshake states. */
    static void onTimeout(SocketContext ctx) {
        if (ctx.state() instanceof State.CookieWait w && w.fallback().expired(ctx.now)) {
            // when T1 expires at the same moment, its retransmission carries the fallback INIT
            fallBackInit(ctx, "no answer to the INIT within " + ctx.config.initFallbackDelay().toMillis() + " ms",
                    !w.t1().expired(ctx.now));
        }
        Timer t1 = switch (ctx.state()) {
            case State.CookieWait w -> w.t1();
            case State.CookieEchoed e -> e.t1();
            default -> null;
        };
        if (t1 != null && t1.expired(ctx.now)) {
            onT1Expiry(ctx, t1);
        }
    }

    private static void onT1Expiry(SocketContext ctx, Timer t1) {
        if (!t1.restartAfterExpiry(ctx.now) || t1.restarts() > ctx.config.maxInitRetransmits()) {
            t1.stop();
            String what = ctx.state() instanceof State.CookieWait ? "INIT" : "COOKIE ECHO";
            String why = what + " unanswered after " + ctx.config.maxInitRetransmits() + " retransmissions"
                    + (ctx.initFallbackSent ? " (also without Zero Checksum Acceptable)" : "");
            // The owner logs the Aborted event once, with its context.
            LOG.debug("{}: {}; giving up", ctx.name, why);
            ctx.terminate(new SctpEvent.Aborted(ErrorKind.TIMEOUT, why), "T1 expiry");
            return;
        }
        switch (ctx.state()) {
            case State.CookieWait w -> sendInit(ctx, w.init());
            case State.CookieEchoed e -> {
                removeCookieEcho(ctx, e);
                queueCookieEcho(ctx, e);
            }
            default -> {
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- INIT

    static void handleInit(SocketContext ctx, InitChunk init) {
        switch (ctx.state()) {
            case State.Closed c -> {
                if (ctx.terminated) {
                    ctx.counters.dropsState++;
                    return;
                }
                sendInitAck(ctx, init, ctx.localTag, ctx.localInitialTsn, 0, 0);
            }
            // RFC 9260 §5.2.1: answer with our original tag and TSN; tie-tags only once the peer's tag is known.
            case State.CookieWait w -> sendInitAck(ctx, init, ctx.localTag, ctx.localInitialTsn, 0, 0);
            case State.CookieEchoed e -> sendInitAck(ctx, init, ctx.localTag, ctx.localInitialTsn, ctx.localTag, ctx.peerTag);
            case State.ShutdownAckSent s -> ctx.counters.dropsState++;
            default -> {
                // §5.2.2: an unexpected INIT (e.g. the peer restarted): new tag, tie-tags carry the current ones.
                long newTag = ctx.randomTag();
                long newTsn = ctx.config.random().nextLong() & 0xFFFF_FFFFL;
                sendInitAck(ctx, init, newTag, newTsn, ctx.localTag, ctx.peerTag);
            }
        }
    }

    private static void sendInitAck(SocketContext ctx, InitChunk init, long tag, long initialTsn, long tieLocal, long tiePeer) {
        Caps caps = new Caps();
        List<Parameter> unrecognized = new ArrayList<>(0);
        readCapabilities(init.parameters(), caps, unrecognized);
        StateCookie cookie = new StateCookie(ctx.now, tag, initialTsn, init.initiateTag(),
                init.advertisedReceiverWindowCredit(), init.outboundStreams(), init.inboundStreams(), init.initialTsn(),
                tieLocal, tiePeer, caps.forwardTsn, caps.reconfig, caps.zeroChecksum,
                (int) Math.min(caps.lifetimeExtensionMillis, MAX_COOKIE_EXTENSION_MS));
        List<Parameter> params = new ArrayList<>(4 + unrecognized.size());
        params.add(new StateCookieParameter(cookie.encode(ctx.cookieSecret)));
        // Zero Checksum Acceptable only to a peer that announced it: a stack that does not know the parameter may
        // drop the whole INIT ACK (pion/sctp before 2024 does), and one that does not announce it gains nothing.
        params.addAll(ourCapabilities(ctx, caps.zeroChecksum));
        for (Parameter u : unrecognized) {
            ByteBuffer raw = ByteBuffer.allocate(u.encodedLength());
            u.writeTo(raw);
            params.add(new UnrecognizedParameter(Arrays.copyOf(raw.array(), u.length())));
        }
        InitAckChunk ack = new InitAckChunk(tag, ctx.config.receiveWindow(), ctx.config.numOutboundStreams(),
                ctx.config.maxInboundStreams(), initialTsn, params);
        ctx.readyPackets.add(ctx.encode(new SctpPacket(ctx.config.localPort(), ctx.config.remotePort(),
                init.initiateTag(), List.of(ack))));
        ctx.counters.controlChunksSent++;
    }

    /** Peer capabilities read from INIT / INIT ACK parameters. */
    private static final class Caps {
        boolean forwardTsn;
        boolean reconfig;
        boolean zeroChecksum;
        byte[] cookie;
        long lifetimeExtensionMillis;
    }

    /** Applies RFC 9260 §3.2.1's handling of unrecognized parameters while reading the peer's capabilities. */
    private static void readCapabilities(List<Parameter> params, Caps caps, List<Parameter> toReport) {
        for (Parameter p : params) {
            switch (p) {
                case ForwardTsnSupportedParameter f -> caps.forwardTsn = true;
                case SupportedExtensionsParameter s -> {
                    caps.reconfig |= s.supports(ChunkTypes.RE_CONFIG);
                    caps.forwardTsn |= s.supports(ChunkTypes.FORWARD_TSN);
                }
                case ZeroChecksumAcceptableParameter z ->
                        caps.zeroChecksum |= z.errorDetectionMethod() == ZeroChecksumAcceptableParameter.EDMID_SCTP_OVER_DTLS;
                case StateCookieParameter s -> caps.cookie = s.cookie();
                case CookiePreservativeParameter c -> caps.lifetimeExtensionMillis = c.lifeSpanIncrementMillis();
                case UnknownParameter u -> {
                    switch (u.action()) {
                        case STOP -> {
                            return;
                        }
                        case STOP_AND_REPORT -> {
                            toReport.add(u);
                            return;
                        }
                        case SKIP -> {
                        }
                        case SKIP_AND_REPORT -> toReport.add(u);
                    }
                }
                default -> {
                    // addresses, cookie preservative, address types: meaningless over DTLS
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- INIT ACK

    static void handleInitAck(SocketContext ctx, InitAckChunk ack) {
        if (!(ctx.state() instanceof State.CookieWait w)) {
            ctx.counters.dropsState++;
            return;
        }
        Caps caps = new Caps();
        List<Parameter> unrecognized = new ArrayList<>(0);
        readCapabilities(ack.parameters(), caps, unrecognized);
        if (caps.cookie == null) {
            ctx.counters.dropsMalformed++;
            LOG.debug("{}: INIT ACK without a State Cookie ignored", ctx.name);
            return;
        }
        ctx.peerTag = ack.initiateTag();
        ctx.peerInitialTsn = ack.initialTsn();
        applyPeer(ctx, ack.advertisedReceiverWindowCredit(), ack.outboundStreams(), ack.inboundStreams(), caps.forwardTsn,
                caps.reconfig, caps.zeroChecksum);
        ErrorChunk errorWithEcho = null;
        if (!unrecognized.isEmpty()) {
            int total = Parameter.encodedLength(unrecognized);
            ByteBuffer raw = ByteBuffer.allocate(total);
            Parameter.writeAll(unrecognized, raw);
            errorWithEcho = new ErrorChunk(List.of(new UnrecognizedParametersCause(raw.array())));
        }
        State.CookieEchoed echoed = new State.CookieEchoed(w.t1(), caps.cookie, errorWithEcho);
        ctx.setState(echoed);
        w.t1().start(ctx.now, ctx.rtoInitialNanos);
        queueCookieEcho(ctx, echoed);
    }

    private static void queueCookieEcho(SocketContext ctx, State.CookieEchoed e) {
        ctx.controlQueue.addFirst(new CookieEchoChunk(e.cookie()));
        if (e.errorWithEcho() != null) {
            // the ERROR goes right after the COOKIE ECHO (RFC 9260 §5.1 step C)
            Chunk echo = ctx.controlQueue.pollFirst();
            ctx.controlQueue.addFirst(e.errorWithEcho());
            ctx.controlQueue.addFirst(echo);
        }
    }

    private static void removeCookieEcho(SocketContext ctx, State.CookieEchoed e) {
        ErrorChunk error = e.errorWithEcho();
        ctx.controlQueue.removeIf(c -> c instanceof CookieEchoChunk || (error != null && c == error));
    }

    private static void applyPeer(SocketContext ctx, long arwnd, int peerOs, int peerMis, boolean fwd, boolean reconfig, boolean zc) {
        ctx.peerForwardTsn = fwd;
        ctx.peerReconfig = reconfig;
        ctx.zeroChecksumTx = zc && ctx.config.zeroChecksum();
        ctx.outboundStreams = Math.min(ctx.config.numOutboundStreams(), peerMis);
        ctx.inboundStreams = Math.min(ctx.config.maxInboundStreams(), peerOs);
        ctx.peerArwndAtSetup = arwnd;
    }

    // ---------------------------------------------------------------------------------------------- COOKIE

    static void handleCookieEcho(SocketContext ctx, CookieEchoChunk echo, long packetTag) {
        StateCookie c = StateCookie.decode(echo.cookie(), ctx.cookieSecret);
        if (c == null) {
            ctx.counters.dropsMalformed++;
            LOG.debug("{}: COOKIE ECHO with an invalid cookie ignored", ctx.name);
            return;
        }
        if (packetTag != c.localTag()) {
            ctx.counters.dropsVerificationTag++;
            return;
        }
        long age = ctx.now - c.createdAt();
        long lifetime = ctx.cookieLifetimeNanos + c.lifetimeExtensionMillis() * 1_000_000L;
        if (age > lifetime) {
            long staleMicros = Math.min(0xFFFF_FFFFL, (age - lifetime) / 1000);
            ctx.readyPackets.add(ctx.encode(new SctpPacket(ctx.config.localPort(), ctx.config.remotePort(), c.peerTag(),
                    List.of(new ErrorChunk(List.of(new StaleCookieCause(staleMicros)))))));
            ctx.counters.dropsState++;
            LOG.debug("{}: stale cookie ({} us past its lifetime)", ctx.name, staleMicros);
            return;
        }
        State state = ctx.state();
        if (state instanceof State.Closed) {
            adoptCookie(ctx, c);
            establish(ctx);
            ctx.controlQueue.add(new CookieAckChunk());
            return;
        }
        boolean handshaking = state instanceof State.CookieWait || state instanceof State.CookieEchoed;
        boolean localMatch = c.localTag() == ctx.localTag;
        boolean peerMatch = c.peerTag() == ctx.peerTag;
        if (!localMatch && !peerMatch && c.localTieTag() == ctx.localTag && c.peerTieTag() == ctx.peerTag
                && c.localTieTag() != 0) {
            // Case A: the peer restarted.
            if (state instanceof State.ShutdownAckSent) {
                ctx.controlQueue.add(new ShutdownAckChunk());
                return;
            }
            LOG.info("{}: peer restarted the association", ctx.name);
            adoptCookie(ctx, c);
            restartTcb(ctx);
            ctx.events.add(new SctpEvent.Restarted());
            ctx.controlQueue.add(new CookieAckChunk());
            return;
        }
        if (localMatch && !peerMatch) {
            // Case B: setup collision; the peer's INIT crossed ours.
            adoptCookie(ctx, c);
            if (handshaking) {
                establish(ctx);
            }
            ctx.controlQueue.add(new CookieAckChunk());
            return;
        }
        if (!localMatch && peerMatch && c.localTieTag() == 0 && c.peerTieTag() == 0) {
            ctx.counters.dropsState++; // Case C: a late INIT, silently discarded
            return;
        }
        if (localMatch) {
            // Case D: both tags match.
            if (handshaking) {
                adoptCookie(ctx, c);
                establish(ctx);
            }
            ctx.controlQueue.add(new CookieAckChunk());
            return;
        }
        ctx.counters.dropsState++;
    }

    private static void adoptCookie(SocketContext ctx, StateCookie c) {
        ctx.localTag = c.localTag();
        ctx.localInitialTsn = c.localInitialTsn();
        ctx.peerTag = c.peerTag();
        ctx.peerInitialTsn = c.peerInitialTsn();
        applyPeer(ctx, c.peerArwnd(), c.peerOutboundStreams(), c.peerInboundStreams(), c.peerForwardTsn(), c.peerReconfig(),
                c.peerZeroChecksum());
    }

    static void handleCookieAck(SocketContext ctx) {
        if (ctx.state() instanceof State.CookieEchoed) {
            establish(ctx);
        }
    }

    private static void establish(SocketContext ctx) {
        State before = ctx.state();
        if (before instanceof State.CookieEchoed e) {
            removeCookieEcho(ctx, e);
        } else {
            ctx.controlQueue.removeIf(c -> c instanceof CookieEchoChunk);
        }
        Tcb tcb = before.tcb() != null ? before.tcb() : newTcb(ctx, null);
        ctx.setState(new State.Established(tcb));
        Heartbeat.arm(ctx, tcb);
        if (!ctx.connectedOnce) {
            ctx.connectedOnce = true;
            LOG.debug("{}: established (streams out={} in={}, PR={}, RE-CONFIG={}, zero checksum={}, fallback INIT sent={})",
                    ctx.name, ctx.outboundStreams, ctx.inboundStreams, ctx.peerForwardTsn, ctx.peerReconfig,
                    ctx.zeroChecksumTx, ctx.initFallbackSent);
            ctx.events.add(new SctpEvent.Connected());
        }
    }

    private static Tcb newTcb(SocketContext ctx, Tcb previous) {
        SctpConfig config = ctx.config;
        RetransmissionQueue rtx = new RetransmissionQueue(config.mtu(), config.maxBurst(), config.slowStartIncreaseMtus(),
                config.initialCwnd(), ctx.localInitialTsn, ctx.peerArwndAtSetup, ctx.peerForwardTsn, config.hystart(),
                config.jumpStart(), config.pacing(), ctx.rto, ctx.counters, m -> onAbandoned(ctx, m));
        Reassembly reassembly = new Reassembly((sid, ppid, bytes, unordered) -> DataPath.deliver(ctx, sid, ppid, bytes, unordered));
        Tcb tcb = new Tcb(rtx, new DataTracker(ctx.peerInitialTsn), reassembly, previous);
        tcb.lastAdvertisedRwnd = config.receiveWindow();
        tcb.nextRequestSeq = ctx.localInitialTsn;
        tcb.lastPeerRequestSeq = ctx.peerInitialTsn - 1;
        tcb.lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_SUCCESS_PERFORMED;
        return tcb;
    }

    /** The peer restarted (§5.2.4 case A): a fresh data path in the same state; the heartbeat carries on. */
    private static void restartTcb(SocketContext ctx) {
        Tcb old = ctx.tcb();
        Tcb tcb = newTcb(ctx, old);
        ctx.setState(switch (ctx.state()) {
            case State.Established s -> new State.Established(tcb);
            case State.ShutdownPending s -> new State.ShutdownPending(tcb);
            case State.ShutdownSent s -> new State.ShutdownSent(tcb, s.t2());
            case State.ShutdownReceived s -> new State.ShutdownReceived(tcb);
            case State.ShutdownAckSent s -> new State.ShutdownAckSent(tcb, s.t2());
            case State.Closed s -> s;
            case State.CookieWait s -> s;
            case State.CookieEchoed s -> s;
        });
    }

    private static void onAbandoned(SocketContext ctx, OutMessage m) {
        ctx.events.add(new SctpEvent.MessageAbandoned(m.streamId, m.ppid, m.size(), m.unordered));
    }

    // ---------------------------------------------------------------------------------------------- ABORT and ERROR in setup

    /**
     * An ABORT in COOKIE-WAIT may be a stack rejecting the first INIT for its Zero Checksum Acceptable parameter: the
     * first one is answered with the INIT without it (a second ABORT ends the association). Returns true if handled.
     */
    static boolean handleAbortDuringSetup(SocketContext ctx, String reason) {
        if (!(ctx.state() instanceof State.CookieWait) || !ctx.config.zeroChecksum()
                || ctx.config.initFallbackDelay() == null || ctx.firstInitAborted) {
            return false;
        }
        ctx.firstInitAborted = true;
        LOG.info("{}: peer aborted our INIT ({}); retrying without Zero Checksum Acceptable", ctx.name, reason);
        if (ctx.initFallbackSent) {
            return true; // the ABORT may answer the first INIT, sent before the fallback one: wait for the latter
        }
        fallBackInit(ctx, "peer aborted the INIT", true);
        return true;
    }

    static void handleError(SocketContext ctx, ErrorChunk e) {
        if (ctx.state() instanceof State.CookieWait && ctx.config.initFallbackDelay() != null) {
            // An ERROR before any INIT ACK can only be about our INIT (RFC 9260 §3.2.1 reports unknown parameters in
            // the INIT ACK instead): a stack that objects to a parameter. Try the INIT without the newer one.
            LOG.debug("{}: peer reported {} in answer to our INIT", ctx.name, ErrorCause.describe(e.causes()));
            fallBackInit(ctx, "peer reported an error about the INIT", true);
            return;
        }
        for (ErrorCause c : e.causes()) {
            if (c instanceof StaleCookieCause s && ctx.state() instanceof State.CookieEchoed echoed) {
                // RFC 9260 §5.2.6: start over with INIT, asking for a longer cookie life.
                long extraMs = Math.max(1, s.stalenessMicros() / 1000) * 2;
                List<Parameter> params = new ArrayList<>(ourCapabilities(ctx, !ctx.initFallbackSent));
                params.add(new CookiePreservativeParameter(Math.min(extraMs, 0xFFFF_FFFFL)));
                InitChunk init = newInit(ctx, params);
                removeCookieEcho(ctx, echoed);
                ctx.peerTag = 0;
                Timer t1 = echoed.t1();
                ctx.setState(new State.CookieWait(t1,
                        new Timer(INIT_FALLBACK), init));
                if (!t1.restartAfterExpiry(ctx.now) || t1.restarts() > ctx.config.maxInitRetransmits()) {
                    ctx.terminate(new SctpEvent.Aborted(ErrorKind.TIMEOUT, "stale cookies"), "stale cookie");
                    return;
                }
                sendInit(ctx, init);
                return;
            }
            LOG.debug("{}: peer reported error: {}", ctx.name, c);
        }
    }
}
