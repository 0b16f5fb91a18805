package io.jrtc.mesh;

import io.jrtc.ice.nat.NatBehaviorDiscovery;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Whether and where a {@link MeshAgent} discovers its NAT's behaviour (RFC 5780: mapping and filtering) once it has
 * registered. The discovery runs once per start and again on {@link MeshAgent#checkNat()}, over a UDP socket of its
 * own on the agent loop, bound to the first bind address of the agent's {@code rtcTemplate} of the server's family
 * (else the address the routing table picks for the server). Its result is reported as a
 * {@link MeshEvent.NatDiscovered} event, by {@link MeshAgent#natBehavior()}, in the audit log
 * ({@code nat.behaviour}), as the {@code jrtc_mesh_nat_behaviour} gauge and in a log line at INFO.
 *
 * <p>Only a server that supports RFC 5780 (its Binding responses carry OTHER-ADDRESS and it honours CHANGE-REQUEST,
 * e.g. coturn with two listening addresses of one family) yields both behaviours; against any other STUN server the
 * result says {@code NO_RFC5780_SUPPORT} and only whether a NAT is in the path is known.
 *
 * @param mode      where the server comes from
 * @param server    the STUN server for {@link Mode#SERVER}; null otherwise
 * @param discovery the retransmission settings (default: RTO 500 ms, 4 transmissions, Rm 4, i.e. 5.5 s until a test
 *                  counts as unanswered; RFC 8489's 7 and 16 would make it 39.5 s)
 */
public record NatCheck(Mode mode, InetSocketAddress server, NatBehaviorDiscovery.Config discovery) {

    /** Where the STUN server of the discovery comes from. */
    public enum Mode {
        /** No discovery. */
        OFF,
        /**
         * The first UDP {@code stun:} or {@code turn:} server among the ICE servers the agent uses (its config's, or
         * else those the signaling server hands out; a TURN server answers Binding requests on its port). No such
         * server: no discovery, logged at DEBUG.
         */
        ICE_SERVERS,
        /** The server given. */
        SERVER
    }

    public NatCheck {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(discovery, "discovery");
        if ((mode == Mode.SERVER) != (server != null)) {
            throw new IllegalArgumentException("a server goes with Mode.SERVER, and only with it: " + mode + ", " + server);
        }
        if (server != null && server.isUnresolved()) {
            throw new IllegalArgumentException("the NAT check's server must be resolved: " + server);
        }
    }

    /** RTO 500 ms, 4 transmissions per test, Rm 4. */
    public static NatBehaviorDiscovery.Config defaultDiscovery() {
        return new NatBehaviorDiscovery.Config(NatBehaviorDiscovery.Config.RTO_INITIAL, 4, 4, new SplittableRandom());
    }

    /** No discovery. */
    public static NatCheck off() {
        return new NatCheck(Mode.OFF, null, defaultDiscovery());
    }

    /** The default: against the first UDP STUN or TURN server of the agent's ICE servers, if there is one. */
    public static NatCheck iceServers() {
        return new NatCheck(Mode.ICE_SERVERS, null, defaultDiscovery());
    }

    /** Against {@code server} (resolved). */
    public static NatCheck server(InetSocketAddress server) {
        return new NatCheck(Mode.SERVER, Objects.requireNonNull(server, "server"), defaultDiscovery());
    }

    /** The same check with other retransmission settings (tests shorten them). */
    public NatCheck withDiscovery(NatBehaviorDiscovery.Config v) {
        return new NatCheck(mode, server, v);
    }

    /** The same check with an initial RTO of {@code rto}, {@code transmissions} per test and Rm {@code rm}. */
    public NatCheck withTimers(Duration rto, int transmissions, int rm) {
        return withDiscovery(new NatBehaviorDiscovery.Config(rto, transmissions, rm, new SplittableRandom()));
    }
}
