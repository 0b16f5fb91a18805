package io.jrtc.peer;

import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.dtls.DtlsConfig;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceServer;
import io.jrtc.ice.IceTransportPolicy;
import io.jrtc.sctp.SctpConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * W3C {@code RTCConfiguration}, plus what a server-side stack needs to control: which local addresses ICE may bind
 * (an allow-list), the advertised SCTP {@code max-message-size}, and optional low-level tuning of ICE and DTLS.
 *
 * @param iceServers         STUN and TURN servers ({@code urls}, {@code username}, {@code credential})
 * @param iceTransportPolicy {@code ALL}, or {@code RELAY}: only relay candidates are signalled and used
 * @param bundlePolicy       accepted for compatibility; jrtc always bundles (max-bundle)
 * @param certificates       the DTLS identity; empty means the factory's default certificate
 * @param bindAddresses      host candidates only on these addresses (allow-list). Every socket of ICE binds to the
 *                           allow-list: the UDP sockets (host candidates, STUN, TURN over UDP) and the TCP/TLS
 *                           connections to TURN servers (from an allowed address of the server's family, ephemeral
 *                           port; without one, that server is not contacted). With {@code bindInterfaces} empty too,
 *                           ICE uses only the interfaces that carry a default route (on Linux, per address family,
 *                           from {@code /proc/net/route} and {@code /proc/net/ipv6_route}; elsewhere every up,
 *                           non-loopback interface), as Chromium does without media permission: docker bridges, VPN
 *                           tunnels and other interfaces the operator did not name never reach the remote peer
 * @param bindInterfaces     host candidates on the addresses of these interfaces (by name);
 *                           {@link IceConfig#EVERY_INTERFACE} ({@code "*"}) means every up, non-loopback interface
 * @param maxMessageSize     the largest message we accept, advertised as {@code a=max-message-size}
 * @param iceTuning          a template for ICE timers and limits (pacing, consent, nomination); null for defaults.
 *                           Servers, policy and bind addresses above override the template's.
 * @param dtlsTuning         DTLS timers and SRTP profiles; null for defaults
 * @param sctpTuning         a template for SCTP timers, limits and options (RTOs, init retransmissions, zero checksum
 *                           and its INIT fallback, pacing); null for defaults. {@code maxMessageSize} above overrides
 *                           the template's, and the template's receive window must hold it.
 * @param limits             bounds on what the remote can make this connection hold (connect timeout, data channels,
 *                           remote description size and candidates, send buffer): see {@link RtcLimits}. Null: the
 *                           factory's ({@link PeerConnectionFactory#limits()}). {@code limits.maxBufferedBytes}
 *                           overrides {@code sctpTuning}'s send buffer.
 * @param iceCandidatePoolSize W3C {@code iceCandidatePoolSize} (0-255, default 0). Above 0, the connection gathers its
 *                           candidates when it is created instead of at {@code setLocalDescription}, and holds them:
 *                           they are announced ({@code onIceCandidate}, {@code iceGatheringState}) only after
 *                           {@code setLocalDescription}, as in browsers. jrtc gathers one candidate set, whatever the
 *                           size above 0. A server that answers offers can keep such a connection ready, so that
 *                           its answer carries candidates at once (what {@code ./jrtc echo} does).
 * @param packetTap          an observation and fault-injection point on the plaintext SCTP packets (conformance
 *                           probes, tests): see {@link PacketTap}. Null (the default): none, and no cost.
 */
public record RtcConfiguration(List<IceServer> iceServers, IceTransportPolicy iceTransportPolicy,
        RtcBundlePolicy bundlePolicy, List<DtlsCertificate> certificates, List<InetAddress> bindAddresses,
        List<String> bindInterfaces, long maxMessageSize, IceConfig iceTuning, DtlsConfig dtlsTuning,
        SctpConfig sctpTuning, RtcLimits limits, int iceCandidatePoolSize, PacketTap packetTap) {

    /** The default {@code max-message-size}: 256 KiB, what Chromium advertises. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 256 * 1024;

    public RtcConfiguration {
        iceServers = List.copyOf(iceServers);
        Objects.requireNonNull(iceTransportPolicy, "iceTransportPolicy");
        bundlePolicy = bundlePolicy == null ? RtcBundlePolicy.MAX_BUNDLE : bundlePolicy;
        certificates = List.copyOf(certificates);
        bindAddresses = List.copyOf(bindAddresses);
        bindInterfaces = List.copyOf(bindInterfaces);
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("maxMessageSize must be positive, was " + maxMessageSize);
        }
        if (iceCandidatePoolSize < 0 || iceCandidatePoolSize > 255) {
            throw new IllegalArgumentException("iceCandidatePoolSize must be 0-255 (W3C: an octet), was " + iceCandidatePoolSize);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.iceServers.addAll(iceServers);
        b.policy = iceTransportPolicy;
        b.bundlePolicy = bundlePolicy;
        b.certificates.addAll(certificates);
        b.bindAddresses.addAll(bindAddresses);
        b.bindInterfaces.addAll(bindInterfaces);
        b.maxMessageSize = maxMessageSize;
        b.iceTuning = iceTuning;
        b.dtlsTuning = dtlsTuning;
        b.sctpTuning = sctpTuning;
        b.limits = limits;
        b.iceCandidatePoolSize = iceCandidatePoolSize;
        b.packetTap = packetTap;
        return b;
    }

    /** Builder with W3C defaults: no servers, policy {@code all}, max-bundle. */
    public static final class Builder {
        private final List<IceServer> iceServers = new ArrayList<>();
        private IceTransportPolicy policy = IceTransportPolicy.ALL;
        private RtcBundlePolicy bundlePolicy = RtcBundlePolicy.MAX_BUNDLE;
        private final List<DtlsCertificate> certificates = new ArrayList<>();
        private final List<InetAddress> bindAddresses = new ArrayList<>();
        private final List<String> bindInterfaces = new ArrayList<>();
        private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private IceConfig iceTuning;
        private DtlsConfig dtlsTuning;
        private SctpConfig sctpTuning;
        private RtcLimits limits;
        private int iceCandidatePoolSize;
        private PacketTap packetTap;

        public Builder iceServers(List<IceServer> v) {
            iceServers.clear();
            iceServers.addAll(v);
            return this;
        }

        public Builder addIceServer(IceServer v) {
            iceServers.add(v);
            return this;
        }

        public Builder iceTransportPolicy(IceTransportPolicy v) {
            policy = v;
            return this;
        }

        public Builder bundlePolicy(RtcBundlePolicy v) {
            bundlePolicy = v;
            return this;
        }

        public Builder certificate(DtlsCertificate v) {
            certificates.clear();
            certificates.add(v);
            return this;
        }

        public Builder bindAddresses(List<InetAddress> v) {
            bindAddresses.clear();
            bindAddresses.addAll(v);
            return this;
        }

        public Builder addBindAddress(InetAddress v) {
            bindAddresses.add(v);
            return this;
        }

        public Builder bindInterfaces(List<String> v) {
            bindInterfaces.clear();
            bindInterfaces.addAll(v);
            return this;
        }

        public Builder maxMessageSize(long v) {
            maxMessageSize = v;
            return this;
        }

        public Builder iceTuning(IceConfig v) {
            iceTuning = v;
            return this;
        }

        public Builder dtlsTuning(DtlsConfig v) {
            dtlsTuning = v;
            return this;
        }

        public Builder sctpTuning(SctpConfig v) {
            sctpTuning = v;
            return this;
        }

        /** This connection's limits; null (the default) means the factory's. */
        public Builder limits(RtcLimits v) {
            limits = v;
            return this;
        }

        /** W3C {@code iceCandidatePoolSize}: above 0, gather at creation (see the record's description). */
        public Builder iceCandidatePoolSize(int v) {
            iceCandidatePoolSize = v;
            return this;
        }

        /** A {@link PacketTap} between SCTP and DTLS (probes, tests); null (the default) for none. */
        public Builder packetTap(PacketTap v) {
            packetTap = v;
            return this;
        }

        public RtcConfiguration build() {
            return new RtcConfiguration(iceServers, policy, bundlePolicy, certificates, bindAddresses, bindInterfaces,
                    maxMessageSize, iceTuning, dtlsTuning, sctpTuning, limits, iceCandidatePoolSize, packetTap);
        }
    }
}
