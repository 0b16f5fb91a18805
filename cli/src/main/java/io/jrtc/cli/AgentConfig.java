package io.jrtc.cli;

import io.jrtc.ice.IceServer;
import io.jrtc.ice.IceTransportPolicy;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.signaling.client.SignalingClientConfig;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What an agent ({@link EchoAgent}, {@link ClientAgent}) needs: where the signaling server is, who it is, and how its
 * peer connections gather candidates.
 *
 * @param signaling        {@code ws://host:port/ws} or {@code wss://…}
 * @param agentId          the id registered with the signaling server
 * @param tokenSupplier    asked for a token on every (re)connect; null for an open server
 * @param iceServers       STUN/TURN servers used in addition to the {@code ice_servers} of the {@code registered} reply
 * @param relayOnly        W3C {@code iceTransportPolicy: "relay"}: only TURN relay candidates are used
 * @param bindAddresses    host candidates only on these addresses (allow-list); empty means the addresses of the
 *                         interfaces that carry a default route (ice/README.md), as Chromium does without media permission
 * @param signalingTuning  adjusts the signaling client's configuration (backoff, timeouts); identity by default
 */
public record AgentConfig(URI signaling, String agentId, Supplier<String> tokenSupplier, List<IceServer> iceServers,
        boolean relayOnly, List<InetAddress> bindAddresses, UnaryOperator<SignalingClientConfig.Builder> signalingTuning) {

    public AgentConfig {
        Objects.requireNonNull(signaling, "signaling");
        Objects.requireNonNull(agentId, "agentId");
        iceServers = List.copyOf(iceServers);
        bindAddresses = List.copyOf(bindAddresses);
        signalingTuning = signalingTuning == null ? UnaryOperator.identity() : signalingTuning;
    }

    /** A configuration with no token, no extra ICE servers, policy {@code all} and every interface. */
    public static Builder builder(URI signaling, String agentId) {
        return new Builder(signaling, agentId);
    }

    /** The signaling client configuration for this agent. */
    public SignalingClientConfig signalingConfig() {
        return signalingConfig(null);
    }

    /**
     * The signaling client configuration for this agent, on {@code group} (a peer connection factory's, say) unless
     * the signaling tuning names a group of its own; null = the client makes its own loop.
     */
    public SignalingClientConfig signalingConfig(io.netty.channel.EventLoopGroup group) {
        SignalingClientConfig.Builder b = SignalingClientConfig.builder(signaling, agentId);
        if (tokenSupplier != null) {
            b.tokenSupplier(tokenSupplier);
        }
        if (group != null) {
            b.eventLoopGroup(group);
        }
        return signalingTuning.apply(b).build();
    }

    /** The peer connection configuration: {@code fromServer} (the {@code registered} reply's) plus our own servers. */
    public RtcConfiguration rtcConfiguration(List<IceServer> fromServer) {
        RtcConfiguration.Builder b = RtcConfiguration.builder()
                .iceTransportPolicy(relayOnly ? IceTransportPolicy.RELAY : IceTransportPolicy.ALL)
                .bindAddresses(bindAddresses);
        List<IceServer> all = new ArrayList<>(fromServer);
        all.addAll(iceServers);
        return b.iceServers(all).build();
    }

    /** Mutable builder. Not thread-safe. */
    public static final class Builder {
        private final URI signaling;
        private final String agentId;
        private Supplier<String> tokenSupplier;
        private final List<IceServer> iceServers = new ArrayList<>();
        private boolean relayOnly;
        private final List<InetAddress> bindAddresses = new ArrayList<>();
        private UnaryOperator<SignalingClientConfig.Builder> signalingTuning = UnaryOperator.identity();

        private Builder(URI signaling, String agentId) {
            this.signaling = signaling;
            this.agentId = agentId;
        }

        public Builder tokenSupplier(Supplier<String> v) {
            tokenSupplier = v;
            return this;
        }

        public Builder addIceServer(IceServer v) {
            iceServers.add(v);
            return this;
        }

        public Builder iceServers(List<IceServer> v) {
            iceServers.clear();
            iceServers.addAll(v);
            return this;
        }

        public Builder relayOnly(boolean v) {
            relayOnly = v;
            return this;
        }

        public Builder addBindAddress(InetAddress v) {
            bindAddresses.add(v);
            return this;
        }

        public Builder bindAddresses(List<InetAddress> v) {
            bindAddresses.clear();
            bindAddresses.addAll(v);
            return this;
        }

        public Builder signalingTuning(UnaryOperator<SignalingClientConfig.Builder> v) {
            signalingTuning = v;
            return this;
        }

        public AgentConfig build() {
            return new AgentConfig(signaling, agentId, tokenSupplier, iceServers, relayOnly, bindAddresses, signalingTuning);
        }
    }
}
