package io.jrtc.ice.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.nat.FilteringBehavior;
import io.jrtc.ice.nat.MappingBehavior;
import io.jrtc.ice.nat.NatBehaviorDiscovery;
import io.jrtc.ice.nat.NatBehaviorResult;
import io.jrtc.ice.nat.NatTest;
import io.jrtc.ice.nat.NatTestOutcome;
import io.jrtc.testkit.Coturn;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.NattedNetwork;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 5780 discovery from behind a real Linux NAT (testkit's {@link NattedNetwork}: network namespaces, nftables
 * masquerade, conntrack) against a real coturn with two addresses on the public side. Loopback (the other coturn
 * test) can only ever show "no NAT"; here the discovery must see through an actual translation:
 * <ul>
 *   <li>plain masquerade: a mapped address that is the NAT's, not ours; the same mapping towards the server's other
 *       address (endpoint-independent mapping); no answer from the other address or port, as conntrack admits only
 *       replies from where the request went (address-and-port-dependent filtering);</li>
 *   <li>masquerade with a random port per flow: a new mapping towards the other address and again towards the other
 *       port (address-and-port-dependent mapping, the "symmetric NAT");</li>
 *   <li>a full cone (port-preserving, and what arrives unasked is let in): the answer from the other address and port
 *       comes through (endpoint-independent filtering).</li>
 * </ul>
 * Unanswered tests are given up after 0.2 + 0.4 + 0.8 s and 2 RTO (the RFC's 39.5 s is the default elsewhere). Skips
 * without root, nftables or coturn; fails then under {@code JRTC_REQUIRE_INTEROP=1}.
 */
class NatBehaviorCheckBehindARealNat {

    static MultiThreadIoEventLoopGroup group;

    /** RTO 200 ms, 3 transmissions, Rm 2: an unanswered test ends after 1.0 s. */
    static final NatBehaviorDiscovery.Config QUICK =
            new NatBehaviorDiscovery.Config(Duration.ofMillis(200), 3, 2, new SplittableRandom(7));

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    }

    private static void requireNat() {
        Interop.require("a NAT (network namespaces and nftables)", NattedNetwork.unavailableReason());
        Interop.requireExecutable("coturn", Coturn.TURNSERVER, "apt-get install coturn");
    }

    private static NatBehaviorResult check(NattedNetwork net, Coturn coturn) throws Exception {
        NatBehaviorResult r = NatBehaviorCheck.run(group.next(), coturn.address(), net.clientAddress(), QUICK)
                .get(60, TimeUnit.SECONDS);
        org.slf4j.LoggerFactory.getLogger(NatBehaviorCheckBehindARealNat.class).info("behind {}: {}", net, r);
        return r;
    }

    @Test
    void portPreservingMasqueradeMapsOnceAndFiltersByAddressAndPort() throws Exception {
        requireNat();
        try (NattedNetwork net = NattedNetwork.create(NattedNetwork.Kind.PORT_PRESERVING);
                Coturn coturn = Coturn.longTermBehind(net, "nat-masquerade")) {
            NatBehaviorResult r = check(net, coturn);
            String why = r + "\n" + net.routerTable();
            assertThat(r.status()).as(why).isEqualTo(NatBehaviorResult.Status.COMPLETE);
            assertThat(r.otherAddress()).as(why)
                    .isEqualTo(new InetSocketAddress(net.secondPublicAddress(), coturn.address().getPort() + 1));
            assertThat(r.local().getAddress()).isEqualTo(net.clientAddress());
            assertThat(r.behindNat()).as(why).isTrue();
            assertThat(r.mappedAddress().getAddress()).as("the NAT's address, not ours").isEqualTo(net.natAddress());
            assertThat(r.mappedAddress().getPort()).as("Linux keeps a free source port").isEqualTo(r.local().getPort());
            assertThat(r.mapping()).as(why).isEqualTo(MappingBehavior.ENDPOINT_INDEPENDENT);
            assertThat(r.filtering()).as(why).isEqualTo(FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT);
            // the other address saw the same mapping; the answers from elsewhere never came through
            NatTestOutcome ii = r.outcome(NatTest.MAPPING_TEST_II);
            assertThat(ii.kind()).as(why).isEqualTo(NatTestOutcome.Kind.ANSWERED);
            assertThat(ii.mapped()).isEqualTo(r.mappedAddress());
            assertThat(r.outcome(NatTest.FILTERING_TEST_II).kind()).as(why).isEqualTo(NatTestOutcome.Kind.TIMED_OUT);
            assertThat(r.outcome(NatTest.FILTERING_TEST_III).kind()).as(why).isEqualTo(NatTestOutcome.Kind.TIMED_OUT);
        }
    }

    @Test
    void aFullConeLetsTheServersOtherAddressAndPortAnswer() throws Exception {
        requireNat();
        try (NattedNetwork net = NattedNetwork.create(NattedNetwork.Kind.FULL_CONE);
                Coturn coturn = Coturn.longTermBehind(net, "nat-full-cone")) {
            NatBehaviorResult r = check(net, coturn);
            String why = r + "\n" + net.routerTable();
            assertThat(r.status()).as(why).isEqualTo(NatBehaviorResult.Status.COMPLETE);
            assertThat(r.behindNat()).as(why).isTrue();
            assertThat(r.mappedAddress()).isEqualTo(new InetSocketAddress(net.natAddress(), r.local().getPort()));
            assertThat(r.mapping()).as(why).isEqualTo(MappingBehavior.ENDPOINT_INDEPENDENT);
            assertThat(r.filtering()).as(why).isEqualTo(FilteringBehavior.ENDPOINT_INDEPENDENT);
            NatTestOutcome f2 = r.outcome(NatTest.FILTERING_TEST_II);
            assertThat(f2.kind()).as(why).isEqualTo(NatTestOutcome.Kind.ANSWERED);
            assertThat(f2.responseSource()).as("it came from the other address and port, let in by the NAT")
                    .isEqualTo(r.otherAddress());
        }
    }

    @Test
    void aRandomPortPerFlowIsAddressAndPortDependentMapping() throws Exception {
        requireNat();
        try (NattedNetwork net = NattedNetwork.create(NattedNetwork.Kind.RANDOM_PORT_PER_FLOW);
                Coturn coturn = Coturn.longTermBehind(net, "nat-symmetric")) {
            NatBehaviorResult r = check(net, coturn);
            String why = r + "\n" + net.routerTable();
            assertThat(r.status()).as(why).isEqualTo(NatBehaviorResult.Status.COMPLETE);
            assertThat(r.behindNat()).as(why).isTrue();
            assertThat(r.mappedAddress().getAddress()).isEqualTo(net.natAddress());
            assertThat(r.mapping()).as(why).isEqualTo(MappingBehavior.ADDRESS_AND_PORT_DEPENDENT);
            NatTestOutcome ii = r.outcome(NatTest.MAPPING_TEST_II);
            NatTestOutcome iii = r.outcome(NatTest.MAPPING_TEST_III);
            assertThat(ii.mapped()).as(why).isNotEqualTo(r.mappedAddress());
            assertThat(iii.mapped()).as(why).isNotEqualTo(ii.mapped()).isNotEqualTo(r.mappedAddress());
            assertThat(r.filtering()).as(why).isEqualTo(FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT);
        }
    }
}
