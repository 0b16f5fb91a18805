package io.jrtc.ice;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.net.ssl.X509TrustManager;

/**
 * Configuration of an {@link IceAgent} (and of the {@code io.jrtc.ice.netty.IceTransport} edge). Immutable; build it
 * with {@link #builder()}. One config may be shared by many agents; if it is shared across threads, its
 * {@link #random()} must be thread-safe (the default {@link SecureRandom} is).
 *
 * @param servers               STUN and TURN servers
 * @param policy                ALL or RELAY (W3C {@code iceTransportPolicy})
 * @param bindAddresses         the edge binds one UDP socket per address here (allow-list); TURN TCP/TLS connections
 *                              also take their source address from the allow-list (one of the server's family, with
 *                              an ephemeral port), and are not made when it has none
 * @param bindInterfaces        ... and one per address of each named interface ({@link #EVERY_INTERFACE}, {@code "*"}:
 *                              of every up, non-loopback interface). If both lists are empty the edge uses only the
 *                              interfaces that carry a default route (on Linux read from {@code /proc/net/route} and
 *                              {@code /proc/net/ipv6_route}, per address family; elsewhere every up, non-loopback
 *                              interface): never a docker bridge, VPN tunnel or other interface the operator did not
 *                              choose, as Chromium does without media permission. IPv6 link-local addresses are never
 *                              used unless listed in {@code bindAddresses}.
 * @param ta                    pacing timer Ta (RFC 8445 §14.2): one new check per Ta; default 5 ms, the RFC
 *                              minimum, so that setup over loopback takes milliseconds. The first check goes at once.
 * @param checkRtoMin           the lower bound of a check's RTO (RFC 8445 §14.3: MAX(500 ms, Ta*N))
 * @param checkRtoMax           the cap of the doubled RTO
 * @param maxCheckTransmissions transmissions of one check before the pair fails (RFC 8489 Rc = 7)
 * @param consentFreshness      RFC 7675 consent checks on the selected pair (on by default)
 * @param consentInterval       base period of consent checks, randomised to 0.8..1.2 times (RFC 7675 §5.1)
 * @param disconnectedTimeout   no consent response for this long: DISCONNECTED
 * @param consentTimeout        no consent response for this long: consent lost, FAILED (RFC 7675: 30 s)
 * @param keepaliveInterval     a Binding indication is sent on the selected pair when nothing else was sent for
 *                              this long (RFC 8445 §11, Tr = 15 s)
 * @param nomination            REGULAR (default) or AGGRESSIVE, for the controlling side
 * @param nominationDelay       regular nomination: after the first valid pair, wait at most this long for a
 *                              higher-priority pair before nominating
 * @param controlledCheckDelay  the controlled agent holds its ordinary checks this long after it learns the remote
 *                              credentials, unless a check from the peer comes first (it is then answered with a
 *                              triggered check at once). A check that reaches the controlling peer before our
 *                              trickled candidates do makes us a peer-reflexive candidate there, and some agents
 *                              (Pion) wait 1 s before nominating a peer-reflexive pair. Default 50 ms; zero disables.
 * @param turnTlsTrustManager   trust for {@code turns:} servers; null means the JDK default trust store
 * @param random                source of credentials, tie-breakers and transaction ids (seedable in tests)
 * @param maxCheckListSize      upper bound on candidate pairs (RFC 8445 §6.1.2.5, default 100)
 * @param maxRemoteCandidates   upper bound on remote candidates kept (including unresolved mDNS ones)
 * @param turnRequestedLifetime LIFETIME to request in Allocate, or null for the server's default
 * @param turnPermissionRefresh how often permissions are refreshed (must be under 5 minutes, RFC 8656 §9)
 * @param turnChannelRefresh    how often channel bindings are refreshed (must be under 10 minutes, RFC 8656 §12)
 * @param turnChannels          use ChannelBind + ChannelData (true) or only Send/Data indications (false)
 * @param stunRto               initial RTO of STUN/TURN client transactions over UDP (RFC 8489 §6.2.1: 500 ms)
 * @param stunMaxTransmissions  Rc for STUN/TURN client transactions over UDP
 * @param closeTimeout          how long {@link IceAgent#close(long)} waits for TURN deallocation answers
 * @param writeObserver         a test seam: told of every write the edge makes (null, the default, in production:
 *                              the edge then pays one null check per write); the agent itself never calls it
 */
public record IceConfig(
        List<IceServer> servers,
        IceTransportPolicy policy,
        List<InetAddress> bindAddresses,
        List<String> bindInterfaces,
        Duration ta,
        Duration checkRtoMin,
        Duration checkRtoMax,
        int maxCheckTransmissions,
        boolean consentFreshness,
        Duration consentInterval,
        Duration disconnectedTimeout,
        Duration consentTimeout,
        Duration keepaliveInterval,
        NominationMode nomination,
        Duration nominationDelay,
        Duration controlledCheckDelay,
        X509TrustManager turnTlsTrustManager,
        RandomGenerator random,
        int maxCheckListSize,
        int maxRemoteCandidates,
        Duration turnRequestedLifetime,
        Duration turnPermissionRefresh,
        Duration turnChannelRefresh,
        boolean turnChannels,
        Duration stunRto,
        int stunMaxTransmissions,
        Duration closeTimeout,
        IceWriteObserver writeObserver) {

    /**
     * In {@link #bindInterfaces()}: every up, non-loopback interface (the opt-in to what browsers with media
     * permission do; the default is only the interfaces that carry a default route).
     */
    public static final String EVERY_INTERFACE = "*";

    public IceConfig {
        servers = List.copyOf(servers);
        bindAddresses = List.copyOf(bindAddresses);
        bindInterfaces = List.copyOf(bindInterfaces);
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(nomination, "nomination");
        Objects.requireNonNull(random, "random");
        positive("ta", ta);
        if (ta.compareTo(Duration.ofMillis(5)) < 0) {
            // RFC 8445 §14.2: Ta MUST NOT be less than 5 ms.
            throw new IllegalArgumentException("ta must be at least 5 ms (RFC 8445 §14.2), was " + ta);
        }
        positive("checkRtoMin", checkRtoMin);
        positive("checkRtoMax", checkRtoMax);
        positive("consentInterval", consentInterval);
        positive("disconnectedTimeout", disconnectedTimeout);
        positive("consentTimeout", consentTimeout);
        positive("keepaliveInterval", keepaliveInterval);
        if (controlledCheckDelay == null || controlledCheckDelay.isNegative()) {
            throw new IllegalArgumentException("controlledCheckDelay must be zero or positive, was " + controlledCheckDelay);
        }
        Objects.requireNonNull(nominationDelay, "nominationDelay");
        positive("turnPermissionRefresh", turnPermissionRefresh);
        positive("turnChannelRefresh", turnChannelRefresh);
        positive("stunRto", stunRto);
        positive("closeTimeout", closeTimeout);
        if (turnPermissionRefresh.compareTo(Duration.ofMinutes(5)) >= 0) {
            throw new IllegalArgumentException("turnPermissionRefresh must be under 5 minutes (RFC 8656 §9)");
        }
        if (turnChannelRefresh.compareTo(Duration.ofMinutes(10)) >= 0) {
            throw new IllegalArgumentException("turnChannelRefresh must be under 10 minutes (RFC 8656 §12)");
        }
        if (maxCheckTransmissions < 1 || stunMaxTransmissions < 1) {
            throw new IllegalArgumentException("transmission counts must be >= 1");
        }
        if (maxCheckListSize < 1 || maxRemoteCandidates < 1) {
            throw new IllegalArgumentException("list sizes must be >= 1");
        }
        if (disconnectedTimeout.compareTo(consentTimeout) > 0) {
            throw new IllegalArgumentException("disconnectedTimeout must not exceed consentTimeout");
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }

    /** An {@link X509TrustManager} that trusts exactly {@code certificates}. */
    public static X509TrustManager trustManagerFor(java.security.cert.X509Certificate... certificates) {
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < certificates.length; i++) {
                ks.setCertificateEntry("turn-" + i, certificates[i]);
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (javax.net.ssl.TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot build a trust manager for the given certificates", e);
        }
        throw new IllegalStateException("the JDK offered no X509TrustManager");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.servers = new ArrayList<>(servers);
        b.policy = policy;
        b.bindAddresses = new ArrayList<>(bindAddresses);
        b.bindInterfaces = new ArrayList<>(bindInterfaces);
        b.ta = ta;
        b.checkRtoMin = checkRtoMin;
        b.checkRtoMax = checkRtoMax;
        b.maxCheckTransmissions = maxCheckTransmissions;
        b.consentFreshness = consentFreshness;
        b.consentInterval = consentInterval;
        b.disconnectedTimeout = disconnectedTimeout;
        b.consentTimeout = consentTimeout;
        b.keepaliveInterval = keepaliveInterval;
        b.nomination = nomination;
        b.nominationDelay = nominationDelay;
        b.controlledCheckDelay = controlledCheckDelay;
        b.turnTlsTrustManager = turnTlsTrustManager;
        b.random = random;
        b.maxCheckListSize = maxCheckListSize;
        b.maxRemoteCandidates = maxRemoteCandidates;
        b.turnRequestedLifetime = turnRequestedLifetime;
        b.turnPermissionRefresh = turnPermissionRefresh;
        b.turnChannelRefresh = turnChannelRefresh;
        b.turnChannels = turnChannels;
        b.stunRto = stunRto;
        b.stunMaxTransmissions = stunMaxTransmissions;
        b.closeTimeout = closeTimeout;
        b.writeObserver = writeObserver;
        return b;
    }

    /** Builder with the defaults documented on {@link IceConfig}. */
    public static final class Builder {
        // Shared: Duration is immutable, and a builder runs for every connection (idle heap).
        private static final Duration DEFAULT_TA = Duration.ofMillis(5);
        private static final Duration DEFAULT_CHECK_RTO_MIN = Duration.ofMillis(500);
        private static final Duration DEFAULT_CHECK_RTO_MAX = Duration.ofMillis(1600);
        private static final Duration DEFAULT_CONSENT_INTERVAL = Duration.ofMillis(2000);
        private static final Duration DEFAULT_DISCONNECTED_TIMEOUT = Duration.ofSeconds(5);
        private static final Duration DEFAULT_CONSENT_TIMEOUT = Duration.ofSeconds(30);
        private static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(15);
        private static final Duration DEFAULT_NOMINATION_DELAY = Duration.ofMillis(100);
        private static final Duration DEFAULT_CONTROLLED_CHECK_DELAY = Duration.ofMillis(50);
        private static final Duration DEFAULT_TURN_PERMISSION_REFRESH = Duration.ofMinutes(4);
        private static final Duration DEFAULT_TURN_CHANNEL_REFRESH = Duration.ofMinutes(9);
        private static final Duration DEFAULT_STUN_RTO = Duration.ofMillis(500);
        private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(2);

        private List<IceServer> servers = new ArrayList<>();
        private IceTransportPolicy policy = IceTransportPolicy.ALL;
        private List<InetAddress> bindAddresses = new ArrayList<>();
        private List<String> bindInterfaces = new ArrayList<>();
        private Duration ta = DEFAULT_TA;
        private Duration checkRtoMin = DEFAULT_CHECK_RTO_MIN;
        private Duration checkRtoMax = DEFAULT_CHECK_RTO_MAX;
        private int maxCheckTransmissions = 7;
        private boolean consentFreshness = true;
        private Duration consentInterval = DEFAULT_CONSENT_INTERVAL;
        private Duration disconnectedTimeout = DEFAULT_DISCONNECTED_TIMEOUT;
        private Duration consentTimeout = DEFAULT_CONSENT_TIMEOUT;
        private Duration keepaliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
        private NominationMode nomination = NominationMode.REGULAR;
        private Duration nominationDelay = DEFAULT_NOMINATION_DELAY;
        private Duration controlledCheckDelay = DEFAULT_CONTROLLED_CHECK_DELAY;
        private X509TrustManager turnTlsTrustManager;
        private RandomGenerator random;
        private int maxCheckListSize = 100;
        private int maxRemoteCandidates = 100;
        private Duration turnRequestedLifetime;
        private Duration turnPermissionRefresh = DEFAULT_TURN_PERMISSION_REFRESH;
        private Duration turnChannelRefresh = DEFAULT_TURN_CHANNEL_REFRESH;
        private boolean turnChannels = true;
        private Duration stunRto = DEFAULT_STUN_RTO;
        private int stunMaxTransmissions = 7;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private IceWriteObserver writeObserver;

        private Builder() {
        }

        public Builder servers(List<IceServer> v) { servers = new ArrayList<>(v); return this; }
        public Builder addServer(IceServer v) { servers.add(v); return this; }
        public Builder policy(IceTransportPolicy v) { policy = v; return this; }
        public Builder bindAddresses(List<InetAddress> v) { bindAddresses = new ArrayList<>(v); return this; }
        public Builder addBindAddress(InetAddress v) { bindAddresses.add(v); return this; }
        public Builder bindInterfaces(List<String> v) { bindInterfaces = new ArrayList<>(v); return this; }
        public Builder ta(Duration v) { ta = v; return this; }
        public Builder checkRtoMin(Duration v) { checkRtoMin = v; return this; }
        public Builder checkRtoMax(Duration v) { checkRtoMax = v; return this; }
        public Builder maxCheckTransmissions(int v) { maxCheckTransmissions = v; return this; }
        public Builder consentFreshness(boolean v) { consentFreshness = v; return this; }
        public Builder consentInterval(Duration v) { consentInterval = v; return this; }
        public Builder disconnectedTimeout(Duration v) { disconnectedTimeout = v; return this; }
        public Builder consentTimeout(Duration v) { consentTimeout = v; return this; }
        public Builder keepaliveInterval(Duration v) { keepaliveInterval = v; return this; }
        public Builder nomination(NominationMode v) { nomination = v; return this; }
        public Builder nominationDelay(Duration v) { nominationDelay = v; return this; }
        public Builder controlledCheckDelay(Duration v) { controlledCheckDelay = v; return this; }
        public Builder turnTlsTrustManager(X509TrustManager v) { turnTlsTrustManager = v; return this; }

        /** Trusts exactly these certificates (e.g. a self-signed TURN server's) for {@code turns:} servers. */
        public Builder turnTlsTrustedCertificates(java.security.cert.X509Certificate... certificates) {
            turnTlsTrustManager = trustManagerFor(certificates);
            return this;
        }
        public Builder random(RandomGenerator v) { random = v; return this; }
        public Builder maxCheckListSize(int v) { maxCheckListSize = v; return this; }
        public Builder maxRemoteCandidates(int v) { maxRemoteCandidates = v; return this; }
        public Builder turnRequestedLifetime(Duration v) { turnRequestedLifetime = v; return this; }
        public Builder turnPermissionRefresh(Duration v) { turnPermissionRefresh = v; return this; }
        public Builder turnChannelRefresh(Duration v) { turnChannelRefresh = v; return this; }
        public Builder turnChannels(boolean v) { turnChannels = v; return this; }
        public Builder stunRto(Duration v) { stunRto = v; return this; }
        public Builder stunMaxTransmissions(int v) { stunMaxTransmissions = v; return this; }
        public Builder closeTimeout(Duration v) { closeTimeout = v; return this; }
        /** See {@link IceConfig#writeObserver()}: for tests that prove where an edge sent its packets. */
        public Builder writeObserver(IceWriteObserver v) { writeObserver = v; return this; }

        public IceConfig build() {
            return new IceConfig(servers, policy, bindAddresses, bindInterfaces, ta, checkRtoMin, checkRtoMax,
                    maxCheckTransmissions, consentFreshness, consentInterval, disconnectedTimeout, consentTimeout,
                    keepaliveInterval, nomination, nominationDelay, controlledCheckDelay, turnTlsTrustManager,
                    random != null ? random : new SecureRandom(), maxCheckListSize, maxRemoteCandidates,
                    turnRequestedLifetime, turnPermissionRefresh, turnChannelRefresh, turnChannels, stunRto,
                    stunMaxTransmissions, closeTimeout, writeObserver);
        }
    }
}
