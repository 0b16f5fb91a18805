package io.jrtc.sctp;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Configuration of one {@link SctpAssociation}. Immutable; build it with {@link #builder()}.
 *
 * <p>Defaults follow what browsers (libwebrtc's dcsctp) use over DTLS, where RFC 9260's defaults were written for
 * plain IP and multi-homing:
 * <ul>
 *   <li>{@code mtu} 1200: an SCTP packet that fits in one DTLS record inside a 1280-byte IPv6 path with TURN.</li>
 *   <li>RTO.Initial 500 ms, RTO.Min 400 ms, RTO.Max 60 s: RFC 9260's 3 s / 1 s are tuned for the 1990s Internet;
 *       400 ms still covers the 200 ms delayed-SACK timer of a peer plus margin, so no spurious retransmissions.</li>
 *   <li>Association.Max.Retrans 10, Max.Init.Retransmits 8, HB.interval 30 s, Valid.Cookie.Life 60 s (RFC values).</li>
 *   <li>A receive window of 4 MiB (at least the maximum message size): 100 Mbit/s at 100 ms RTT needs 1.25 MB.</li>
 *   <li>The initial cwnd is RFC 9260 §7.2.1's {@code min(4*MTU, max(2*MTU, 4380))}; browsers use 10 MTUs
 *       (configurable with {@link Builder#initialCwndMtus(int)}).</li>
 *   <li>HyStart++ (RFC 9406) ends the initial slow start when the round-trip time starts to rise, before the
 *       bottleneck queue overflows; it only grows cwnd more slowly than RFC 9260 §7.2.1 allows.</li>
 *   <li>Delayed SACK: every second packet with DATA, at most 200 ms later (RFC 9260 §6.2), except right after
 *       start or an idle period, when every packet is acknowledged for half a receive window's worth of packets
 *       ("quick ack"): with the one-MTU-per-SACK slow-start rule of §7.2.1 that keeps the peer's ramp at a
 *       doubling per round trip.</li>
 * </ul>
 */
public record SctpConfig(
        int localPort,
        int remotePort,
        long maxMessageSize,
        long receiveWindow,
        long maxSendBuffer,
        Duration rtoInitial,
        Duration rtoMin,
        Duration rtoMax,
        int maxRetransmits,
        int maxInitRetransmits,
        Duration heartbeatInterval,
        Duration sackDelay,
        int sackFrequency,
        boolean quickAck,
        Duration cookieLifetime,
        boolean zeroChecksum,
        Duration initFallbackDelay,
        int mtu,
        int numOutboundStreams,
        int maxInboundStreams,
        int initialCwndMtus,
        int slowStartIncreaseMtus,
        int maxBurst,
        boolean hystart,
        boolean jumpStart,
        boolean pacing,
        RandomGenerator random) {

    public static final long KIB = 1024;
    public static final long MIB = 1024 * 1024;
    /** The smallest MTU accepted: an INIT ACK with its cookie and every parameter must fit. */
    public static final int MIN_MTU = 256;

    public SctpConfig {
        checkPort(localPort, "localPort");
        checkPort(remotePort, "remotePort");
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("maxMessageSize must be positive");
        }
        if (receiveWindow < maxMessageSize || receiveWindow > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("receiveWindow (" + receiveWindow + ") must hold at least one message of maxMessageSize ("
                    + maxMessageSize + ") and fit 32 bits: whole messages are reassembled before delivery");
        }
        if (maxSendBuffer < maxMessageSize) {
            throw new IllegalArgumentException("maxSendBuffer (" + maxSendBuffer + ") must be at least maxMessageSize (" + maxMessageSize + ")");
        }
        Objects.requireNonNull(rtoInitial, "rtoInitial");
        Objects.requireNonNull(rtoMin, "rtoMin");
        Objects.requireNonNull(rtoMax, "rtoMax");
        if (rtoMin.isNegative() || rtoMin.isZero() || rtoMin.compareTo(rtoMax) > 0 || rtoInitial.compareTo(rtoMin) < 0
                || rtoInitial.compareTo(rtoMax) > 0) {
            throw new IllegalArgumentException("need 0 < rtoMin <= rtoInitial <= rtoMax");
        }
        if (maxRetransmits < 1 || maxInitRetransmits < 1) {
            throw new IllegalArgumentException("retransmission limits must be at least 1");
        }
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (heartbeatInterval.isNegative()) {
            throw new IllegalArgumentException("heartbeatInterval must not be negative (zero disables heartbeats)");
        }
        Objects.requireNonNull(sackDelay, "sackDelay");
        if (sackDelay.isNegative() || sackDelay.compareTo(Duration.ofMillis(500)) > 0) {
            throw new IllegalArgumentException("sackDelay must be within [0, 500 ms] (RFC 9260 §6.2)");
        }
        if (sackFrequency < 1 || sackFrequency > 2) {
            throw new IllegalArgumentException("sackFrequency must be 1 or 2 packets (RFC 9260 §6.2)");
        }
        Objects.requireNonNull(cookieLifetime, "cookieLifetime");
        if (cookieLifetime.isNegative() || cookieLifetime.isZero()) {
            throw new IllegalArgumentException("cookieLifetime must be positive");
        }
        if (initFallbackDelay != null && initFallbackDelay.isNegative()) {
            throw new IllegalArgumentException("initFallbackDelay must not be negative (null disables the fallback)");
        }
        if (mtu < MIN_MTU || mtu > 65535) {
            throw new IllegalArgumentException("mtu must be within [" + MIN_MTU + ", 65535]");
        }
        if (numOutboundStreams < 1 || numOutboundStreams > 65535 || maxInboundStreams < 1 || maxInboundStreams > 65535) {
            throw new IllegalArgumentException("stream counts must be within [1, 65535]");
        }
        if (initialCwndMtus < 0 || initialCwndMtus > 100) {
            throw new IllegalArgumentException("initialCwndMtus must be within [0, 100] (0: RFC 9260 formula)");
        }
        if (slowStartIncreaseMtus < 1 || slowStartIncreaseMtus > 2) {
            throw new IllegalArgumentException("slowStartIncreaseMtus must be 1 or 2");
        }
        if (maxBurst < 1) {
            throw new IllegalArgumentException("maxBurst must be at least 1");
        }
        Objects.requireNonNull(random, "random");
    }

    private static void checkPort(int p, String name) {
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(name + " must be within [0, 65535]");
        }
    }

    /** The defaults. */
    public static SctpConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder seeded with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.localPort = localPort;
        b.remotePort = remotePort;
        b.maxMessageSize = maxMessageSize;
        b.receiveWindow = receiveWindow;
        b.maxSendBuffer = maxSendBuffer;
        b.rtoInitial = rtoInitial;
        b.rtoMin = rtoMin;
        b.rtoMax = rtoMax;
        b.maxRetransmits = maxRetransmits;
        b.maxInitRetransmits = maxInitRetransmits;
        b.heartbeatInterval = heartbeatInterval;
        b.sackDelay = sackDelay;
        b.sackFrequency = sackFrequency;
        b.quickAck = quickAck;
        b.cookieLifetime = cookieLifetime;
        b.zeroChecksum = zeroChecksum;
        b.initFallbackDelay = initFallbackDelay;
        b.mtu = mtu;
        b.numOutboundStreams = numOutboundStreams;
        b.maxInboundStreams = maxInboundStreams;
        b.initialCwndMtus = initialCwndMtus;
        b.slowStartIncreaseMtus = slowStartIncreaseMtus;
        b.maxBurst = maxBurst;
        b.hystart = hystart;
        b.jumpStart = jumpStart;
        b.pacing = pacing;
        b.random = random;
        return b;
    }

    /** The initial congestion window in bytes (RFC 9260 §7.2.1 unless {@link #initialCwndMtus()} is set). */
    public long initialCwnd() {
        if (initialCwndMtus > 0) {
            return (long) initialCwndMtus * mtu;
        }
        return Math.min(4L * mtu, Math.max(2L * mtu, 4380));
    }

    /** Builder for {@link SctpConfig}; unset sizes derive from {@code maxMessageSize}. */
    public static final class Builder {
        // Shared: Duration is immutable, and a builder runs for every connection (idle heap).
        private static final Duration DEFAULT_RTO_INITIAL = Duration.ofMillis(500);
        private static final Duration DEFAULT_RTO_MIN = Duration.ofMillis(400);
        private static final Duration DEFAULT_RTO_MAX = Duration.ofSeconds(60);
        private static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
        private static final Duration DEFAULT_SACK_DELAY = Duration.ofMillis(200);
        private static final Duration DEFAULT_COOKIE_LIFETIME = Duration.ofSeconds(60);
        private static final Duration DEFAULT_INIT_FALLBACK_DELAY = Duration.ofMillis(100);

        private int localPort = 5000;
        private int remotePort = 5000;
        private long maxMessageSize = 256 * KIB;
        private long receiveWindow = -1;
        private long maxSendBuffer = -1;
        private Duration rtoInitial = DEFAULT_RTO_INITIAL;
        private Duration rtoMin = DEFAULT_RTO_MIN;
        private Duration rtoMax = DEFAULT_RTO_MAX;
        private int maxRetransmits = 10;
        private int maxInitRetransmits = 8;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration sackDelay = DEFAULT_SACK_DELAY;
        private int sackFrequency = 2;
        private boolean quickAck = true;
        private Duration cookieLifetime = DEFAULT_COOKIE_LIFETIME;
        private boolean zeroChecksum = true;
        private Duration initFallbackDelay = DEFAULT_INIT_FALLBACK_DELAY;
        private int mtu = 1200;
        private int numOutboundStreams = 65535;
        private int maxInboundStreams = 65535;
        private int initialCwndMtus = 0;
        private int slowStartIncreaseMtus = 1;
        private int maxBurst = 4;
        private boolean hystart = true;
        private boolean jumpStart = true;
        private boolean pacing = true;
        private RandomGenerator random;

        private Builder() {
        }

        public Builder localPort(int v) {
            localPort = v;
            return this;
        }

        public Builder remotePort(int v) {
            remotePort = v;
            return this;
        }

        /** Largest message accepted by {@code send}, and announced to the peer in SDP. Default 256 KiB. */
        public Builder maxMessageSize(long v) {
            maxMessageSize = v;
            return this;
        }

        /** The advertised receive window, bytes. Default {@code max(4 MiB, maxMessageSize)}. */
        public Builder receiveWindow(long v) {
            receiveWindow = v;
            return this;
        }

        /** Bytes queued but not yet sent, across streams. Default {@code max(8 MiB, 2 * maxMessageSize)}. */
        public Builder maxSendBuffer(long v) {
            maxSendBuffer = v;
            return this;
        }

        public Builder rtoInitial(Duration v) {
            rtoInitial = v;
            return this;
        }

        public Builder rtoMin(Duration v) {
            rtoMin = v;
            return this;
        }

        public Builder rtoMax(Duration v) {
            rtoMax = v;
            return this;
        }

        /** Association.Max.Retrans: consecutive timeouts after which the association aborts. */
        public Builder maxRetransmits(int v) {
            maxRetransmits = v;
            return this;
        }

        /** Max.Init.Retransmits for INIT and COOKIE ECHO. */
        public Builder maxInitRetransmits(int v) {
            maxInitRetransmits = v;
            return this;
        }

        /** Interval between heartbeats on an idle association; zero disables them. */
        public Builder heartbeatInterval(Duration v) {
            heartbeatInterval = v;
            return this;
        }

        /** Longest delay of a SACK (RFC 9260 §6.2: at most 500 ms, 200 ms recommended). */
        public Builder sackDelay(Duration v) {
            sackDelay = v;
            return this;
        }

        /** A SACK after every {@code n} packets with DATA: 2 (default, RFC 9260 §6.2) or 1. */
        public Builder sackFrequency(int n) {
            sackFrequency = n;
            return this;
        }

        /**
         * Acknowledge every packet for the first {@code receiveWindow / (2 * mtu)} packets after start or an idle
         * period, so that the peer's slow start doubles per round trip (default on).
         */
        public Builder quickAck(boolean v) {
            quickAck = v;
            return this;
        }

        public Builder cookieLifetime(Duration v) {
            cookieLifetime = v;
            return this;
        }

        /** Offer and accept RFC 9653 zero checksums (both sides must agree). Default on: DTLS protects packets. */
        public Builder zeroChecksum(boolean v) {
            zeroChecksum = v;
            return this;
        }

        /**
         * How long an INIT that carries Zero Checksum Acceptable (RFC 9653) waits for an answer before a second INIT
         * without it goes out (default 100 ms; {@code null} never sends one). Some deployed SCTP stacks (pion/sctp
         * before 2024) drop an INIT that carries a parameter they do not know, although RFC 9260 §3.2.1 says to skip
         * it. Whichever INIT is answered first wins: a peer that accepts zero checksums answers the first INIT first,
         * so it keeps them however early the second one is sent. An ABORT or ERROR in answer to the first INIT sends
         * the second one at once. Ignored when {@link #zeroChecksum(boolean)} is off (the INIT then carries only
         * parameters every stack knows). See the module README.
         */
        public Builder initFallbackDelay(Duration v) {
            initFallbackDelay = v;
            return this;
        }

        public Builder mtu(int v) {
            mtu = v;
            return this;
        }

        public Builder numOutboundStreams(int v) {
            numOutboundStreams = v;
            return this;
        }

        public Builder maxInboundStreams(int v) {
            maxInboundStreams = v;
            return this;
        }

        /** Initial cwnd in MTUs; 0 (default) uses RFC 9260 §7.2.1's formula. Browsers use 10. */
        public Builder initialCwndMtus(int v) {
            initialCwndMtus = v;
            return this;
        }

        /** Slow-start increase cap per SACK in MTUs (RFC 9260 §7.2.1, RFC 3465's L): 1 (default) or 2. */
        public Builder slowStartIncreaseMtus(int v) {
            slowStartIncreaseMtus = v;
            return this;
        }

        public Builder maxBurst(int v) {
            maxBurst = v;
            return this;
        }

        /**
         * HyStart++ (RFC 9406) on the initial slow start: leave slow start when queueing delay shows, instead of at
         * the first loss (default on; it only ever grows cwnd more slowly than RFC 9260 allows).
         */
        public Builder hystart(boolean v) {
            hystart = v;
            return this;
        }

        /**
         * Paced jump start (default on): measure the bottleneck rate from the SACK spacing of the first flight, then
         * jump cwnd to rate x RTT and pace that window out at the measured rate, instead of doubling for
         * {@code log2(BDP / initial window)} round trips. Off gives RFC 9260 §7.2.1's slow start (with HyStart++ if
         * that is on). See the module README for the reasoning and its limits.
         */
        public Builder jumpStart(boolean v) {
            jumpStart = v;
            return this;
        }

        /**
         * Burst pacing (default on): in congestion avoidance DATA leaves at most {@link #maxBurst(int)} packets back to
         * back and no faster than twice cwnd / SRTT, so that SACKs bunched by the path or a busy receiver, or an opening
         * receive window, do not release bursts that overflow a shallow queue such as the peer's UDP socket buffer. Off
         * leaves only Max.Burst and the slow-start and jump-start pacing. See the module README.
         */
        public Builder pacing(boolean v) {
            pacing = v;
            return this;
        }

        /** Source of verification tags, initial TSNs, cookie secrets and heartbeat jitter. Default {@link SecureRandom}. */
        public Builder random(RandomGenerator v) {
            random = v;
            return this;
        }

        public SctpConfig build() {
            long rw = receiveWindow >= 0 ? receiveWindow : Math.max(4 * MIB, maxMessageSize);
            long sb = maxSendBuffer >= 0 ? maxSendBuffer : Math.max(8 * MIB, 2 * maxMessageSize);
            RandomGenerator r = random != null ? random : new SecureRandom();
            return new SctpConfig(localPort, remotePort, maxMessageSize, rw, sb, rtoInitial, rtoMin, rtoMax, maxRetransmits,
                    maxInitRetransmits, heartbeatInterval, sackDelay, sackFrequency, quickAck, cookieLifetime, zeroChecksum,
                    initFallbackDelay, mtu, numOutboundStreams, maxInboundStreams, initialCwndMtus, slowStartIncreaseMtus, maxBurst,
                    hystart, jumpStart, pacing, r);
        }
    }
}
