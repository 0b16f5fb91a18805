package io.jrtc.mesh;

import java.time.Duration;

/**
 * Knobs of one {@link OverlayCore}. Defaults follow HyParView (active view 8 here, passive view 30, random walks of
 * 6 and 3) and Plumtree; every duration is virtual-clock friendly (nanoseconds inside). Build with
 * {@link #builder()}; immutable.
 */
public final class OverlayConfig {

    /** Target active view size: the degree. */
    public final int degree;
    /** Hard maximum of links held at once (active plus pending); at least {@code degree + 1}. */
    public final int maxLinks;
    public final int passiveSize;
    /** HyParView ARWL and PRWL: the random-walk lengths of a FORWARD_JOIN. */
    public final int activeWalk;
    public final int passiveWalk;
    public final long shuffleIntervalNanos;
    /** Ids sent in a shuffle: this many from the active and from the passive view, plus the sender itself. */
    public final int shuffleActive;
    public final int shufflePassive;
    /** How often the active view is topped up from the passive view when it is below the degree. */
    public final long maintenanceIntervalNanos;
    /** Agents that failed (link dropped without a goodbye, connect failed) kept for re-merge probes. */
    public final int retrySize;
    public final long retryMinNanos;
    public final long retryMaxNanos;
    public final long retryGiveUpNanos;
    /** A requested link that neither comes up nor fails within this time is given up. */
    public final long connectTimeoutNanos;
    /**
     * How long an agent that refused a low-priority NEIGHBOR request is passed over (spread over 50–150 %; doubled
     * from the third refusal by the same agent on, at most 16 times), unless the active view grows first. Forgetting
     * lets an agent a neighbour short ask again an agent whose refusal had a passing reason (its set-up queue or link
     * budget was full); remembering until growth alone left two such agents apart for good.
     */
    public final long refusalMemoryNanos;
    /** Plumtree: wait for a payload after its first IHAVE before grafting (T1), and between grafts (T2). */
    public final long ihaveTimeoutNanos;
    public final long graftRetryNanos;
    /**
     * Plumtree: a new neighbour starts on the tree (eager) only while fewer than this many are eager; 0 (default) puts
     * every new neighbour on the tree, as the paper does. A bound makes the first broadcast over new links cheaper
     * (fewer copies) and slower where the tree has gaps (GRAFT round trips).
     */
    public final int eagerLimit;
    /**
     * Plumtree's lazy push: each fresh broadcast is announced (IHAVE) at once to at most this many of the lazy
     * neighbours, drawn at random per message; the others hear of it at the link's next lazy flush, about
     * {@link #lazyDelayNanos} later, in one IHAVE per link that carries every id held back for it. 0 announces it to every lazy neighbour at
     * once, as the paper does. In a dense overlay (k = 20) the announcements outnumber the payloads about 18 to 1 and
     * compete with them for the CPU while the broadcast spreads; a sample, as GossipSub's {@code D_lazy = 6}, still
     * gives every agent about that many announcers to graft from at once, and every lazy link hears of every message.
     *
     * <p>Unless set, it follows the degree: 1 from {@link #DENSE_DEGREE} up, 0 below. Measured (perf/README.md, "A
     * lazy fanout by default in dense overlays"): at 100 agents over real connections the fanout halved the broadcast
     * p95 at degree 12 (36-37 to 15-16 ms) and cut it from 48-55 to 12-18 ms at degree 20; in the emulator, 10,000
     * agents split in two halves re-merge as fast with it as without from degree 12 up (the broadcast sent 1 s after
     * healing reaches all), but at degree 10 only the one sent after 3 s, and at degree 8 after 19 s.
     */
    public final int lazyFanout;
    /** The degree from which {@link #lazyFanout} is 1 unless set. */
    public static final int DENSE_DEGREE = 12;
    /** Whether {@link #lazyFanout} was set, not derived from the degree (a copy re-derives it). */
    private final boolean lazyFanoutSet;
    /**
     * The period of the lazy flush: the announcements held back by {@link #lazyFanout} for a link go out in that
     * link's own slot, between half and one and a half periods after the first of them was held back (one period on
     * average). The slots of the links are spread over the period (their phase comes from the link), so the mesh's
     * held-back announcements never leave in one burst.
     */
    public final long lazyDelayNanos;
    /**
     * Catch-up on a new link: when a neighbour comes up, it is sent one IHAVE with the ids of at most this many of the
     * most recent broadcasts kept for GRAFTs (the message store: {@link #messageStoreSize}, {@link #messageStoreNanos}),
     * as "hops unknown" (they never move the tree). A broadcast that was in flight over a link that then broke, or
     * that reached an agent's old neighbours just before they were replaced, would otherwise never reach it: Plumtree
     * announces a message once, to the neighbours of the moment. The new neighbour grafts what it lacks after the IHAVE
     * timeout and ignores the rest. Only broadcasts that came within {@link #catchUpNanos} count, so an agent that
     * joins gets at most that much of the past (GossipSub's gossip of its last 3 heartbeats does the same). 0 turns
     * it off. Default 256.
     */
    public final int catchUpIds;
    /** How recent a broadcast must be to be announced by the catch-up ({@link #catchUpIds}): default 5 s. */
    public final long catchUpNanos;
    /**
     * Plumtree's tree optimisation: when a lazy neighbour announces (IHAVE) a broadcast whose payload would reach this
     * agent in at least this many fewer hops than the copy it got over the tree, that neighbour joins the tree; the
     * link the copy came over leaves it when the next message over both arrives twice (the later copy prunes one of
     * the two), not at once, which could cut the tree (mesh README, "Broadcast (Plumtree)"). 0 turns it off. Default 2 (perf/README.md, "Tree optimisation"): in the
     * emulator 1, 2 and 3 all remove most of a jitter-shaped tree's detour, 1 with 1.4–1.8 times the moves of 2 (each
     * move reshapes the one tree every origin shares), while 3 would leave the 1–2-hop detours of a dense overlay alone.
     */
    public final int treeOptimisationThreshold;
    public final int seenCacheSize;
    /** Recent broadcasts kept to answer a GRAFT. */
    public final int messageStoreSize;
    public final long messageStoreNanos;
    /** Frames queued per link and channel class while the edge reports back-pressure. */
    public final int queueLimit;
    /** A queued frame older than this is dropped as {@link DropReason#EXPIRED}. */
    public final long queueExpiryNanos;
    /** Local sends are refused with back-pressure once any link queue holds this many frames. */
    public final int highWater;
    public final int routeTableSize;
    public final long routeLifetimeNanos;
    public final long discoveryTimeoutNanos;
    public final long ackTimeoutNanos;
    /** Hop limit written into envelopes sent by this agent. */
    public final int hopLimit;
    public final int replayOrigins;
    /**
     * First envelope sequence number. Receivers reject sequences older than their replay window, so an agent that
     * restarts with the same identity must not start lower than before: the edge passes wall-clock microseconds.
     */
    public final long initialSequence;
    /** Seed of the core's random choices (neighbour picks, jitter): same seed and inputs, same outputs. */
    public final long seed;
    /**
     * The operators' raw Ed25519 public keys (32 bytes each): a {@link Revocation} signed by one of them is obeyed
     * and spread; any other is refused (dropped as {@link DropReason#BAD_REVOCATION}). Empty: none is obeyed.
     */
    public final java.util.List<byte[]> operatorKeys;
    /**
     * Added to the {@code now} the core is given (monotonic nanoseconds) to get wall-clock nanoseconds since the epoch:
     * envelopes carry their origination time from it and receivers compute latency with it. The core never reads a
     * clock; the edge passes {@code currentTimeMillis * 1e6 - nanoTime} taken once. 0 (default): {@code now} is the
     * wall clock already (the emulator's virtual clock).
     */
    public final long wallClockOffsetNanos;
    /** Largest bulk transfer this agent sends or reassembles; a larger one is refused ({@link DropReason#TOO_LARGE}). */
    public final int maxBulkBytes;
    /** Bulk transfers being reassembled at once; chunks of a further one are refused ({@link DropReason#TOO_LARGE}). */
    public final int maxBulkTransfers;
    /** A bulk transfer with no chunk for this long is abandoned ({@link DropReason#INCOMPLETE}). */
    public final long bulkTimeoutNanos;
    /**
     * Bulk chunks queued on a link (while its bulk channel is back-pressured) above which the origin's sends are
     * refused with back-pressure and a forwarder pauses the bulk channel the chunks come from.
     */
    public final int bulkHighWater;

    private OverlayConfig(Builder b) {
        if (b.degree < 1 || b.maxLinks < b.degree + 1 || b.passiveSize < 1 || b.queueLimit < 1
                || b.highWater < 1 || b.hopLimit < 1 || b.hopLimit > 255) {
            throw new IllegalArgumentException("bad overlay config: degree " + b.degree + ", maxLinks " + b.maxLinks
                    + " (>= degree+1), passive " + b.passiveSize + ", queue " + b.queueLimit + ", hopLimit " + b.hopLimit);
        }
        degree = b.degree;
        maxLinks = b.maxLinks;
        passiveSize = b.passiveSize;
        activeWalk = b.activeWalk;
        passiveWalk = b.passiveWalk;
        shuffleIntervalNanos = b.shuffleInterval.toNanos();
        shuffleActive = b.shuffleActive;
        shufflePassive = b.shufflePassive;
        maintenanceIntervalNanos = b.maintenanceInterval.toNanos();
        retrySize = b.retrySize;
        retryMinNanos = b.retryMin.toNanos();
        retryMaxNanos = b.retryMax.toNanos();
        retryGiveUpNanos = b.retryGiveUp.toNanos();
        connectTimeoutNanos = b.connectTimeout.toNanos();
        refusalMemoryNanos = b.refusalMemory.toNanos();
        ihaveTimeoutNanos = b.ihaveTimeout.toNanos();
        graftRetryNanos = b.graftRetry.toNanos();
        eagerLimit = b.eagerLimit;
        lazyFanoutSet = b.lazyFanout != Builder.FANOUT_BY_DEGREE;
        lazyFanout = lazyFanoutSet ? b.lazyFanout : b.degree >= DENSE_DEGREE ? 1 : 0;
        if (b.lazyDelay.isNegative() || b.lazyDelay.isZero()) {
            throw new IllegalArgumentException("lazy delay must be positive: " + b.lazyDelay);
        }
        lazyDelayNanos = b.lazyDelay.toNanos();
        if (b.catchUpIds < 0 || b.catchUpIds > io.jrtc.mesh.internal.wire.IHaveFrame.MAX_ENTRIES) {
            throw new IllegalArgumentException("catch-up ids " + b.catchUpIds + ", 0.."
                    + io.jrtc.mesh.internal.wire.IHaveFrame.MAX_ENTRIES);
        }
        catchUpIds = b.catchUpIds;
        if (b.catchUpWindow.isNegative()) {
            throw new IllegalArgumentException("catch-up window must not be negative: " + b.catchUpWindow);
        }
        catchUpNanos = b.catchUpWindow.toNanos();
        if (b.treeOptimisationThreshold < 0) {
            throw new IllegalArgumentException("tree optimisation threshold " + b.treeOptimisationThreshold + " < 0");
        }
        treeOptimisationThreshold = b.treeOptimisationThreshold;
        seenCacheSize = b.seenCacheSize;
        messageStoreSize = b.messageStoreSize;
        messageStoreNanos = b.messageStore.toNanos();
        queueLimit = b.queueLimit;
        queueExpiryNanos = b.queueExpiry.toNanos();
        highWater = b.highWater;
        routeTableSize = b.routeTableSize;
        routeLifetimeNanos = b.routeLifetime.toNanos();
        discoveryTimeoutNanos = b.discoveryTimeout.toNanos();
        ackTimeoutNanos = b.ackTimeout.toNanos();
        hopLimit = b.hopLimit;
        replayOrigins = b.replayOrigins;
        seed = b.seed;
        initialSequence = b.initialSequence;
        for (byte[] k : b.operatorKeys) {
            if (k.length != Revocation.KEY_LENGTH) {
                throw new IllegalArgumentException("an operator key has 32 bytes, not " + k.length);
            }
        }
        operatorKeys = b.operatorKeys.stream().map(byte[]::clone).toList();
        if (b.maxBulkBytes < 1 || b.maxBulkTransfers < 1 || b.bulkHighWater < 2 || b.bulkHighWater > b.queueLimit) {
            throw new IllegalArgumentException("bad bulk config: max " + b.maxBulkBytes + " B, " + b.maxBulkTransfers
                    + " transfers, high water " + b.bulkHighWater + " (2.." + b.queueLimit + ")");
        }
        wallClockOffsetNanos = b.wallClockOffsetNanos;
        maxBulkBytes = b.maxBulkBytes;
        maxBulkTransfers = b.maxBulkTransfers;
        bulkTimeoutNanos = b.bulkTimeout.toNanos();
        bulkHighWater = b.bulkHighWater;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static OverlayConfig defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.degree = degree;
        b.maxLinks = maxLinks;
        b.passiveSize = passiveSize;
        b.activeWalk = activeWalk;
        b.passiveWalk = passiveWalk;
        b.shuffleInterval = Duration.ofNanos(shuffleIntervalNanos);
        b.shuffleActive = shuffleActive;
        b.shufflePassive = shufflePassive;
        b.maintenanceInterval = Duration.ofNanos(maintenanceIntervalNanos);
        b.retrySize = retrySize;
        b.retryMin = Duration.ofNanos(retryMinNanos);
        b.retryMax = Duration.ofNanos(retryMaxNanos);
        b.retryGiveUp = Duration.ofNanos(retryGiveUpNanos);
        b.connectTimeout = Duration.ofNanos(connectTimeoutNanos);
        b.refusalMemory = Duration.ofNanos(refusalMemoryNanos);
        b.ihaveTimeout = Duration.ofNanos(ihaveTimeoutNanos);
        b.graftRetry = Duration.ofNanos(graftRetryNanos);
        b.eagerLimit = eagerLimit;
        b.lazyFanout = lazyFanoutSet ? lazyFanout : Builder.FANOUT_BY_DEGREE;
        b.lazyDelay = Duration.ofNanos(lazyDelayNanos);
        b.catchUpIds = catchUpIds;
        b.catchUpWindow = Duration.ofNanos(catchUpNanos);
        b.treeOptimisationThreshold = treeOptimisationThreshold;
        b.seenCacheSize = seenCacheSize;
        b.messageStoreSize = messageStoreSize;
        b.messageStore = Duration.ofNanos(messageStoreNanos);
        b.queueLimit = queueLimit;
        b.queueExpiry = Duration.ofNanos(queueExpiryNanos);
        b.highWater = highWater;
        b.routeTableSize = routeTableSize;
        b.routeLifetime = Duration.ofNanos(routeLifetimeNanos);
        b.discoveryTimeout = Duration.ofNanos(discoveryTimeoutNanos);
        b.ackTimeout = Duration.ofNanos(ackTimeoutNanos);
        b.hopLimit = hopLimit;
        b.replayOrigins = replayOrigins;
        b.seed = seed;
        b.initialSequence = initialSequence;
        b.operatorKeys = new java.util.ArrayList<>(operatorKeys);
        b.wallClockOffsetNanos = wallClockOffsetNanos;
        b.maxBulkBytes = maxBulkBytes;
        b.maxBulkTransfers = maxBulkTransfers;
        b.bulkTimeout = Duration.ofNanos(bulkTimeoutNanos);
        b.bulkHighWater = bulkHighWater;
        return b;
    }

    /** Mutable builder; {@link #degree(int)} also moves {@code maxLinks} to {@code degree + 2} unless set later. */
    public static final class Builder {
        private int degree = 8;
        private int maxLinks = 10;
        private int passiveSize = 30;
        private int activeWalk = 6;
        private int passiveWalk = 3;
        private Duration shuffleInterval = Duration.ofSeconds(5);
        private int shuffleActive = 3;
        private int shufflePassive = 4;
        private Duration maintenanceInterval = Duration.ofMillis(500);
        private int retrySize = 8;
        private Duration retryMin = Duration.ofSeconds(1);
        private Duration retryMax = Duration.ofSeconds(8);
        private Duration retryGiveUp = Duration.ofMinutes(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration refusalMemory = Duration.ofSeconds(20);
        private Duration ihaveTimeout = Duration.ofMillis(400);
        private Duration graftRetry = Duration.ofMillis(200);
        private int eagerLimit = 0;
        private static final int FANOUT_BY_DEGREE = -1;
        private int lazyFanout = FANOUT_BY_DEGREE;
        private Duration lazyDelay = Duration.ofMillis(500);
        private int catchUpIds = 256;
        private Duration catchUpWindow = Duration.ofSeconds(5);
        private int treeOptimisationThreshold = 2;
        private int seenCacheSize = 16_384;
        private int messageStoreSize = 1024;
        private Duration messageStore = Duration.ofSeconds(30);
        private int queueLimit = 256;
        private Duration queueExpiry = Duration.ofSeconds(5);
        private int highWater = 192;
        private int routeTableSize = 4096;
        private Duration routeLifetime = Duration.ofMinutes(2);
        private Duration discoveryTimeout = Duration.ofSeconds(5);
        private Duration ackTimeout = Duration.ofSeconds(10);
        private int hopLimit = 32;
        private int replayOrigins = 8192;
        private long seed = 1;
        private long initialSequence = 1;
        private java.util.List<byte[]> operatorKeys = new java.util.ArrayList<>();
        private long wallClockOffsetNanos;
        private int maxBulkBytes = 16 << 20;
        private int maxBulkTransfers = 8;
        private Duration bulkTimeout = Duration.ofSeconds(30);
        private int bulkHighWater = 8;

        public Builder degree(int d) { degree = d; maxLinks = d + 2; return this; }
        public Builder maxLinks(int n) { maxLinks = n; return this; }
        public Builder passiveSize(int n) { passiveSize = n; return this; }
        public Builder walks(int active, int passive) { activeWalk = active; passiveWalk = passive; return this; }
        public Builder shuffleInterval(Duration d) { shuffleInterval = d; return this; }
        public Builder maintenanceInterval(Duration d) { maintenanceInterval = d; return this; }
        public Builder retry(int size, Duration min, Duration max, Duration giveUp) {
            retrySize = size; retryMin = min; retryMax = max; retryGiveUp = giveUp; return this;
        }
        public Builder connectTimeout(Duration d) { connectTimeout = d; return this; }
        /** See {@link OverlayConfig#refusalMemoryNanos}; must be positive. */
        public Builder refusalMemory(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("refusal memory " + d + " must be positive");
            }
            refusalMemory = d;
            return this;
        }
        public Builder ihaveTimeout(Duration t1, Duration t2) { ihaveTimeout = t1; graftRetry = t2; return this; }
        public Builder seenCacheSize(int n) { seenCacheSize = n; return this; }
        public Builder eagerLimit(int n) { eagerLimit = n; return this; }
        /**
         * See {@link OverlayConfig#lazyFanout}; 0 announces to every lazy neighbour. Unset, it follows the degree (1
         * from {@link OverlayConfig#DENSE_DEGREE}, else 0). Throws {@link IllegalArgumentException} below 0.
         */
        public Builder lazyFanout(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("lazy fanout " + n + " < 0");
            }
            lazyFanout = n;
            return this;
        }
        /** See {@link OverlayConfig#lazyDelayNanos}. */
        public Builder lazyDelay(Duration d) { lazyDelay = d; return this; }
        /** See {@link OverlayConfig#catchUpIds}: at most {@code ids} broadcasts of the last {@code window}; 0 ids: off. */
        public Builder catchUp(int ids, Duration window) { catchUpIds = ids; catchUpWindow = window; return this; }
        /** See {@link OverlayConfig#treeOptimisationThreshold}; 0 turns the optimisation off. */
        public Builder treeOptimisationThreshold(int hops) { treeOptimisationThreshold = hops; return this; }
        public Builder messageStore(int n, Duration d) { messageStoreSize = n; messageStore = d; return this; }
        public Builder queue(int limit, int highWaterMark, Duration expiry) {
            queueLimit = limit; highWater = highWaterMark; queueExpiry = expiry; return this;
        }
        public Builder routes(int size, Duration lifetime, Duration discovery) {
            routeTableSize = size; routeLifetime = lifetime; discoveryTimeout = discovery; return this;
        }
        public Builder ackTimeout(Duration d) { ackTimeout = d; return this; }
        public Builder hopLimit(int n) { hopLimit = n; return this; }
        public Builder replayOrigins(int n) { replayOrigins = n; return this; }
        public Builder seed(long s) { seed = s; return this; }
        public Builder initialSequence(long s) { initialSequence = s; return this; }
        /** Adds an operator's raw Ed25519 public key: revocations it signs are obeyed (see {@link Revocation}). */
        public Builder operatorKey(byte[] rawPublicKey) { operatorKeys.add(rawPublicKey.clone()); return this; }

        /** See {@link OverlayConfig#wallClockOffsetNanos}. */
        public Builder wallClockOffset(long nanos) { wallClockOffsetNanos = nanos; return this; }
        public Builder bulk(int maxBytes, int maxTransfers, Duration timeout, int highWater) {
            maxBulkBytes = maxBytes; maxBulkTransfers = maxTransfers; bulkTimeout = timeout; bulkHighWater = highWater;
            return this;
        }

        public OverlayConfig build() {
            return new OverlayConfig(this);
        }
    }
}
