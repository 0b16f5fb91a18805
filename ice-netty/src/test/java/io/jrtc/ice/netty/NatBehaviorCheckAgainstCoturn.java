package io.jrtc.ice.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.nat.FilteringBehavior;
import io.jrtc.ice.nat.MappingBehavior;
import io.jrtc.ice.nat.NatBehaviorDiscovery;
import io.jrtc.ice.nat.NatBehaviorResult;
import io.jrtc.ice.nat.NatTest;
import io.jrtc.ice.nat.NatTestOutcome;
import io.jrtc.testkit.Coturn;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 5780 discovery against a real coturn (4.6.1) on loopback. With two listening addresses (127.0.0.1 and
 * 127.0.0.2; coturn enables RFC 5780 when it has two of one family, and its alternative port is the listening port
 * plus one) the discovery finds the server's OTHER-ADDRESS, gets filtering test II's answer from that other IP and
 * port, and classifies loopback as no NAT with endpoint-independent filtering. With one address coturn sends no
 * OTHER-ADDRESS: no RFC 5780 support. Skips without coturn, fails then under {@code JRTC_REQUIRE_INTEROP=1}.
 */
class NatBehaviorCheckAgainstCoturn {

    static MultiThreadIoEventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    }

    static NatBehaviorResult check(Coturn coturn) throws Exception {
        return NatBehaviorCheck.run(group.next(), coturn.address(), InetAddress.getLoopbackAddress(),
                NatBehaviorDiscovery.Config.defaults()).get(60, TimeUnit.SECONDS);
    }

    @Test
    void twoAddressCoturnShowsItsOtherAddressAndLoopbackHasNoNat() throws Exception {
        try (Coturn coturn = Coturn.longTerm("nat-rfc5780", "--listening-ip=127.0.0.2")) {
            InetSocketAddress primary = coturn.address();
            InetSocketAddress other = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), primary.getPort() + 1);
            NatBehaviorResult r = check(coturn);

            assertThat(r.status()).as("%s", r).isEqualTo(NatBehaviorResult.Status.COMPLETE);
            assertThat(r.otherAddress()).isEqualTo(other);
            assertThat(r.noNat()).isTrue();
            assertThat(r.mappedAddress()).isEqualTo(r.local());
            assertThat(r.local().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(r.mapping()).isEqualTo(MappingBehavior.ENDPOINT_INDEPENDENT);
            assertThat(r.filtering()).isEqualTo(FilteringBehavior.ENDPOINT_INDEPENDENT);
            assertThat(r.tests()).extracting(NatTestOutcome::test)
                    .containsExactly(NatTest.TEST_I, NatTest.FILTERING_TEST_II);

            NatTestOutcome i = r.outcome(NatTest.TEST_I);
            assertThat(i.responseSource()).isEqualTo(primary);
            assertThat(i.responseOrigin()).isEqualTo(primary);
            assertThat(i.transmissions()).isEqualTo(1);
            NatTestOutcome f2 = r.outcome(NatTest.FILTERING_TEST_II);
            assertThat(f2.kind()).isEqualTo(NatTestOutcome.Kind.ANSWERED);
            assertThat(f2.responseSource()).isEqualTo(other); // the datagram really came from the other IP and port
            assertThat(f2.responseOrigin()).isEqualTo(other);
            assertThat(f2.mapped()).isEqualTo(r.local());
            assertThat(r.ignoredDatagrams()).isZero();
        }
    }

    @Test
    void singleAddressCoturnLacksRfc5780Support() throws Exception {
        try (Coturn coturn = Coturn.longTerm("nat-single")) {
            NatBehaviorResult r = check(coturn);
            assertThat(r.status()).as("%s", r).isEqualTo(NatBehaviorResult.Status.NO_RFC5780_SUPPORT);
            assertThat(r.otherAddress()).isNull();
            assertThat(r.noNat()).isTrue();
            assertThat(r.mapping()).isEqualTo(MappingBehavior.ENDPOINT_INDEPENDENT);
            assertThat(r.filtering()).isEqualTo(FilteringBehavior.UNKNOWN);
            assertThat(r.tests()).hasSize(1);
        }
    }
}
