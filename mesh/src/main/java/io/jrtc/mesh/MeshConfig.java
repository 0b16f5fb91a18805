package io.jrtc.mesh;

import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.ice.IceServer;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.netty.channel.EventLoopGroup;
import io.jrtc.mesh.quality.QualityConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How a {@link MeshAgent} is built. Immutable; make one with {@link #builder(Identity, URI)}.
 *
 * @param identity          the agent's Ed25519 key pair; its {@link AgentId} is the agent's id on the mesh
 * @param signalingUri      {@code ws://} or {@code wss://} URI of the signaling server
 * @param name              an optional display name: the signaling id becomes {@code name + "." + agentId} (at most
 *                          31 characters of {@code A-Z a-z 0-9 _ ~ @ -}); null: the signaling id is the agent id
 * @param tokenSupplier     signaling token for every (re)connect; null when the server has no secret
 * @param iceServers        ICE servers to use instead of the signaling server's {@code ice_servers}; null: the
 *                          server's. Those of {@code rtcTemplate} are used in addition either way
 * @param overlay           the overlay core's knobs: degree, {@code maxLinks}, timers, seed (see {@link OverlayConfig});
 *                          its {@code initialSequence} is replaced by wall-clock microseconds at start unless
 *                          {@link #keepInitialSequence}
 * @param keepInitialSequence use {@code overlay.initialSequence} as is (tests); otherwise an agent restarting with the
 *                          same key starts above its old sequences (by its wall clock, and by {@code sequenceFile})
 * @param sequenceFile      where the agent keeps the sequences it may use ahead of it across restarts, so that one
 *                          whose wall clock went back (a box without a real-time clock, an NTP step) does not restart
 *                          below its old sequences, which receivers would drop as replays; put it beside the key file
 *                          (`./jrtc mesh` does: {@code NAME.seq}); null: the wall clock alone
 * @param audit             where security and topology events are recorded
 * @param factory           the PeerConnection factory; share one between agents so that their connections share its
 *                          event loops and the platform thread count stays flat; null: the agent makes (and closes)
 *                          its own
 * @param signalingGroup    the Netty group of the signaling client; null: the factory's group
 * @param rtcTemplate       the base of every link's {@link RtcConfiguration} (bind addresses, tuning, limits); the
 *                          agent sets the ICE servers and the certificate
 * @param certificate       the DTLS certificate of this agent's links; null: a fresh ECDSA P-256 certificate per agent
 * @param highWaterBytes    a link channel whose {@code bufferedAmount} exceeds this is reported blocked to the core
 * @param lowWaterBytes     ... and unblocked when {@code onBufferedAmountLow} reports it at or below this
 * @param linkSetupTimeout  a link not up (ICE, DTLS, SCTP, channels and HELLO both ways) within this is closed
 * @param signalingIdOverride registers under this id instead of {@link #signalingId()}: only for tests of the HELLO
 *                          check (an agent claiming another agent's id is refused by everyone it links with); null
 * @param quality           each link's quality tracker (PING interval, evaluation interval: 2 s, thresholds,
 *                          hysteresis); a link report goes to signaling after each evaluation interval
 * @param recovery          how links are opened and repaired: direct first, relay-only (TURN) when direct is not up
 *                          within {@code directTimeoutNanos} (5 s), ICE restart then rebuilds with backoff
 * @param metricsAddress    where {@code GET /metrics} (Prometheus) is served from {@link MeshAgent#start()}; null: no
 *                          endpoint ({@link MeshAgent#startMetrics} may start one later)
 * @param revocations       operator revocations known beforehand, applied at start (those not signed by an
 *                          operator key of {@code overlay} are refused and audited)
 * @param revocationFile    where accepted revocations are kept (one hex line each, appended) and read back at start;
 *                          null: not kept
 * @param candidateFilter   tests only: ICE candidate lines ({@code candidate:...}, without {@code a=}) that fail it are
 *                          neither sent to nor taken from the remote, in trickle and in descriptions, as a network
 *                          that blocks those paths would; null: every candidate
 * @param certificates      certificate lifetime, rotation and the check of neighbours' certificate dates
 *                          ({@link CertificatePolicy#defaults()}: 365-day certificates, checked)
 * @param sharedVerification a memo of signatures verified by the agents of this process, shared with them (see
 *                          {@link SharedVerification}); null: this agent verifies every signature itself
 * @param natCheck          whether and against which STUN server the agent discovers its NAT's behaviour (RFC 5780)
 *                          after registering ({@link NatCheck#iceServers()} by default; null: the default)
 */
public record MeshConfig(Identity identity, URI signalingUri, String name, Supplier<String> tokenSupplier,
        List<IceServer> iceServers, OverlayConfig overlay, boolean keepInitialSequence, AuditSink audit,
        PeerConnectionFactory factory, EventLoopGroup signalingGroup, RtcConfiguration rtcTemplate,
        DtlsCertificate certificate, long highWaterBytes, long lowWaterBytes, Duration linkSetupTimeout,
        String signalingIdOverride, QualityConfig quality, LinkRecovery.Config recovery,
        InetSocketAddress metricsAddress, Predicate<String> candidateFilter, List<Revocation> revocations,
        java.nio.file.Path revocationFile, CertificatePolicy certificates, SharedVerification sharedVerification,
        NatCheck natCheck, java.nio.file.Path sequenceFile) {

    public MeshConfig {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(signalingUri, "signalingUri");
        Objects.requireNonNull(overlay, "overlay");
        audit = audit == null ? AuditSink.NONE : audit;
        rtcTemplate = rtcTemplate == null ? RtcConfiguration.builder().build() : rtcTemplate;
        iceServers = iceServers == null ? null : List.copyOf(iceServers);
        if (name != null && (name.isEmpty() || name.length() > 31 || !name.matches("[A-Za-z0-9_~@-]+"))) {
            throw new IllegalArgumentException("a mesh name has 1-31 of A-Z a-z 0-9 _ ~ @ -: " + name);
        }
        if (lowWaterBytes < 0 || highWaterBytes <= lowWaterBytes) {
            throw new IllegalArgumentException("need 0 <= lowWater < highWater: " + lowWaterBytes + ", " + highWaterBytes);
        }
        Objects.requireNonNull(linkSetupTimeout, "linkSetupTimeout");
        quality = quality == null ? QualityConfig.defaults() : quality;
        recovery = recovery == null ? LinkRecovery.Config.defaults() : recovery;
        revocations = revocations == null ? List.of() : List.copyOf(revocations);
        certificates = certificates == null ? CertificatePolicy.defaults() : certificates;
        natCheck = natCheck == null ? NatCheck.iceServers() : natCheck;
    }

    public static Builder builder(Identity identity, URI signalingUri) {
        return new Builder(identity, signalingUri);
    }

    /** The id this agent registers with at the signaling server. */
    public String signalingId() {
        if (signalingIdOverride != null) {
            return signalingIdOverride;
        }
        String hex = identity.agentId().toString();
        return name == null ? hex : name + "." + hex;
    }

    public static final class Builder {
        private final Identity identity;
        private final URI signalingUri;
        private String name;
        private Supplier<String> tokenSupplier;
        private List<IceServer> iceServers;
        private OverlayConfig.Builder overlay = OverlayConfig.builder();
        private boolean keepInitialSequence;
        private AuditSink audit = AuditSink.NONE;
        private PeerConnectionFactory factory;
        private EventLoopGroup signalingGroup;
        private RtcConfiguration rtcTemplate;
        private DtlsCertificate certificate;
        private long highWaterBytes = 1L << 20;
        private long lowWaterBytes = 256L * 1024;
        private Duration linkSetupTimeout = Duration.ofSeconds(10);
        private String signalingIdOverride;
        private QualityConfig quality = QualityConfig.defaults();
        private LinkRecovery.Config recovery = LinkRecovery.Config.defaults();
        private InetSocketAddress metricsAddress;
        private Predicate<String> candidateFilter;
        private final java.util.ArrayList<Revocation> revocations = new java.util.ArrayList<>();
        private java.nio.file.Path revocationFile;
        private java.nio.file.Path sequenceFile;
        private CertificatePolicy certificates = CertificatePolicy.defaults();
        private SharedVerification sharedVerification;
        private NatCheck natCheck = NatCheck.iceServers();

        private Builder(Identity identity, URI signalingUri) {
            this.identity = identity;
            this.signalingUri = signalingUri;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder tokenSupplier(Supplier<String> v) { tokenSupplier = v; return this; }
        public Builder iceServers(List<IceServer> v) { iceServers = v; return this; }
        /** Replaces the overlay knobs; {@link #degree}, {@link #maxLinks} and {@link #seed} apply on top. */
        public Builder overlay(OverlayConfig v) { overlay = v.toBuilder(); return this; }
        /** Target degree; also moves {@code maxLinks} to {@code degree + 2} unless set after. */
        public Builder degree(int d) { overlay.degree(d); return this; }
        public Builder maxLinks(int n) { overlay.maxLinks(n); return this; }
        public Builder seed(long s) { overlay.seed(s); return this; }
        /** See {@link OverlayConfig#lazyFanout}. */
        public Builder lazyFanout(int n) { overlay.lazyFanout(n); return this; }
        /** Trusts revocations signed by this operator key (raw Ed25519, 32 bytes); see {@link Revocation}. */
        public Builder operatorKey(byte[] rawPublicKey) { overlay.operatorKey(rawPublicKey); return this; }
        /** A revocation known beforehand, applied at start. */
        public Builder revocation(Revocation r) { revocations.add(r); return this; }
        /** Keeps accepted revocations in this file and applies them again at start. */
        public Builder revocationFile(java.nio.file.Path f) { revocationFile = f; return this; }
        /** Keep the sequences ahead of this agent in {@code f} across restarts: see {@link MeshConfig#sequenceFile()}. */
        public Builder sequenceFile(java.nio.file.Path f) { sequenceFile = f; return this; }
        public Builder keepInitialSequence(boolean v) { keepInitialSequence = v; return this; }
        public Builder audit(AuditSink v) { audit = v; return this; }
        public Builder factory(PeerConnectionFactory v) { factory = v; return this; }
        public Builder signalingGroup(EventLoopGroup v) { signalingGroup = v; return this; }
        public Builder rtcTemplate(RtcConfiguration v) { rtcTemplate = v; return this; }
        public Builder certificate(DtlsCertificate v) { certificate = v; return this; }
        public Builder certificates(CertificatePolicy v) { certificates = v; return this; }
        /** Certificates valid {@code lifetime}, each replaced {@code margin} before it expires (drill D). */
        public Builder certificateLifetime(Duration lifetime, Duration margin) {
            certificates = certificates.withLifetime(lifetime, margin);
            return this;
        }
        public Builder waterMarks(long low, long high) { lowWaterBytes = low; highWaterBytes = high; return this; }
        public Builder linkSetupTimeout(Duration v) { linkSetupTimeout = v; return this; }
        /** Tests only: register under {@code id} (see {@link MeshConfig#signalingIdOverride()}). */
        public Builder signalingIdOverride(String id) { signalingIdOverride = id; return this; }

        public Builder quality(QualityConfig v) { quality = v; return this; }
        /** How often each link is rated (and its PINGs sent), and a link report sent to signaling: 2 s by default. */
        public Builder qualityInterval(Duration v) { quality = quality.withInterval(v, v); return this; }
        public Builder recovery(LinkRecovery.Config v) { recovery = v; return this; }
        /** A direct attempt not up within this falls back to relay-only through TURN (5 s by default). */
        public Builder relayFallbackAfter(Duration v) { recovery = recovery.withDirectTimeout(v); return this; }
        public Builder metricsAddress(InetSocketAddress v) { metricsAddress = v; return this; }
        /** Tests only: see {@link MeshConfig#candidateFilter()}. */
        public Builder candidateFilter(Predicate<String> v) { candidateFilter = v; return this; }

        /** Share a memo of verified signatures with the other agents of this process: see {@link SharedVerification}. */
        public Builder sharedVerification(SharedVerification v) { sharedVerification = v; return this; }

        /** NAT behaviour discovery after registering: see {@link NatCheck} ({@link NatCheck#iceServers()} by default). */
        public Builder natCheck(NatCheck v) { natCheck = v; return this; }

        public MeshConfig build() {
            return new MeshConfig(identity, signalingUri, name, tokenSupplier, iceServers, overlay.build(),
                    keepInitialSequence, audit, factory, signalingGroup, rtcTemplate, certificate, highWaterBytes,
                    lowWaterBytes, linkSetupTimeout, signalingIdOverride, quality, recovery, metricsAddress,
                    candidateFilter, revocations, revocationFile, certificates, sharedVerification, natCheck, sequenceFile);
        }
    }
}
