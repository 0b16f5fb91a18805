package io.jrtc.ice.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.IceConfig;
import io.jrtc.ice.netty.LocalAddresses.DefaultRoutes;
import io.jrtc.ice.netty.LocalAddresses.Interface;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * With no allow-list, host candidates come only from the interfaces that carry a default route (per address family),
 * never from a docker bridge, a VPN tunnel or another interface the operator did not choose; {@code "*"} opts in to
 * every interface. The route tables are fixed texts in the kernel's {@code /proc/net/route} and
 * {@code /proc/net/ipv6_route} formats (the first ones copied from a real machine), so the parsing is checked
 * without depending on this machine's routes; {@link DefaultRouteInsideAPrivateNamespace} reads a real kernel's.
 */
class HostAddressesDefaultToTheDefaultRouteInterfaces {

    /** A real {@code /proc/net/route} (the kernel pads lines with spaces): the default route and eth0's /24. */
    static final String ROUTE_ONE_UPLINK = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT        \s
            eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0        \s
            eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0        \s
            """;

    /** A real {@code /proc/net/ipv6_route}: eth0's routes, the default via fd00::1, and the kernel's reject ::/0 on lo. */
    static final String IPV6_ROUTE_ONE_UPLINK = """
            fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
            fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000002 00000000 00000001     eth0
            00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000003 00000000 00000003     eth0
            00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000004 00000000 80200001       lo
            fd000000000000000000000000000002 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000004 00000000 80200001     eth0
            ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000002 00000000 00000001     eth0
            00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
            """;

    /**
     * A workstation: the uplink eth0, a docker bridge, a VPN tunnel with only its own /24 (split tunnel), an
     * unreachable default (flags RTF_UP|RTF_REJECT), and a stale default route that is not up.
     */
    static final String ROUTE_WORKSTATION = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
            eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
            docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
            tun0\t0000080A\t00000000\t0001\t0\t0\t50\t00FFFFFF\t0\t0\t0
            *\t00000000\t00000000\t0201\t0\t0\t4000\t00000000\t0\t0\t0
            wlan0\t00000000\t0102A8C0\t0002\t0\t0\t600\t00000000\t0\t0\t0
            """;

    /** The private namespace of ../shared/INTEROP.md: a veth with a /24 and a default route via a missing neighbour. */
    static final String ROUTE_INTEROP_NAMESPACE = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            v0\t00000000\tFE004D0A\t0003\t0\t0\t0\t00000000\t0\t0\t0
            v0\t00004D0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            """;

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static Interface iface(String name, boolean up, boolean loopback, String... addresses) {
        return new Interface(name, up, loopback, List.of(addresses).stream().map(HostAddressesDefaultToTheDefaultRouteInterfaces::ip).toList());
    }

    /** The workstation's interfaces: what a permissive default would leak. */
    static final List<Interface> WORKSTATION = List.of(
            iface("lo", true, true, "127.0.0.1", "::1"),
            iface("eth0", true, false, "192.168.1.23", "2001:db8::23", "fe80::1:23"),
            iface("docker0", true, false, "172.17.0.1", "fe80::42:1"),
            iface("tun0", true, false, "10.8.0.6", "fd12::6"),
            iface("wlan0", false, false, "192.168.2.5"));

    static final DefaultRoutes WORKSTATION_ROUTES = new DefaultRoutes(
            LocalAddresses.defaultRouteInterfacesV4(ROUTE_WORKSTATION),
            LocalAddresses.defaultRouteInterfacesV6(IPV6_ROUTE_ONE_UPLINK));

    @Test
    void theIpv4DefaultRouteIsFoundInTheKernelsTable() {
        assertThat(LocalAddresses.defaultRouteInterfacesV4(ROUTE_ONE_UPLINK)).containsExactly("eth0");
        assertThat(LocalAddresses.defaultRouteInterfacesV4(ROUTE_INTEROP_NAMESPACE)).containsExactly("v0");
        // The docker bridge and the tunnel carry no default route; the reject route and the route that is down do not count.
        assertThat(LocalAddresses.defaultRouteInterfacesV4(ROUTE_WORKSTATION)).containsExactly("eth0");
    }

    @Test
    void everyInterfaceWithAnUpDefaultRouteCounts() {
        String twoUplinks = ROUTE_ONE_UPLINK + "wwan0\t00000000\t0100000A\t0003\t0\t0\t700\t00000000\t0\t0\t0\n";
        assertThat(LocalAddresses.defaultRouteInterfacesV4(twoUplinks)).containsExactly("eth0", "wwan0");
    }

    @Test
    void theIpv6DefaultRouteIsFoundAndTheLoopbackRejectRouteIsNot() {
        assertThat(LocalAddresses.defaultRouteInterfacesV6(IPV6_ROUTE_ONE_UPLINK)).containsExactly("eth0");
        // Without its default route, the same table has none (the reject ::/0 on lo is not one).
        String withoutDefault = IPV6_ROUTE_ONE_UPLINK.lines()
                .filter(l -> !l.contains("fd000000000000000000000000000001"))
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(LocalAddresses.defaultRouteInterfacesV6(withoutDefault)).isEmpty();
    }

    @Test
    void emptyOrMalformedTablesGiveNoRouteAndNoException() {
        assertThat(LocalAddresses.defaultRouteInterfacesV4("")).isEmpty();
        assertThat(LocalAddresses.defaultRouteInterfacesV6("")).isEmpty();
        String garbage = "Iface\tDestination\neth0\t00000000\nbad\tzzzzzzzz\t0\t0003\t0\t0\t0\t00000000\n"
                + "eth1\t00000000\t0\tnot-hex\t0\t0\t0\t00000000\t0\t0\t0\n"
                + "eth2\t00000000\t0\t0003\t0\t0\t0\t11111111111111111111\t0\t0\t0\n";
        assertThat(LocalAddresses.defaultRouteInterfacesV4(garbage)).isEmpty();
        assertThat(LocalAddresses.defaultRouteInterfacesV6("00 00 00\n" + "0".repeat(32) + " zz " + "0".repeat(32)
                + " 00 " + "0".repeat(32) + " 0 0 0 00000001 eth0\n")).isEmpty();
    }

    @Test
    void byDefaultOnlyTheDefaultRouteInterfacesAddressesOfTheirFamilyAreUsed() {
        List<InetAddress> chosen = LocalAddresses.select(IceConfig.builder().build(), WORKSTATION, WORKSTATION_ROUTES);
        // Not docker0's 172.17.0.1, not tun0's 10.8.0.6 / fd12::6, not the loopback, not a link-local address.
        assertThat(chosen).containsExactly(ip("192.168.1.23"), ip("2001:db8::23"));

        // Only an IPv4 default route: eth0's IPv6 address stays out.
        DefaultRoutes v4Only = new DefaultRoutes(Set.of("eth0"), Set.of());
        assertThat(LocalAddresses.select(IceConfig.builder().build(), WORKSTATION, v4Only)).containsExactly(ip("192.168.1.23"));

        // A default route through the tunnel (a full VPN): its addresses, and not eth0's.
        DefaultRoutes fullVpn = new DefaultRoutes(Set.of("tun0"), Set.of("tun0"));
        assertThat(LocalAddresses.select(IceConfig.builder().build(), WORKSTATION, fullVpn))
                .containsExactly(ip("10.8.0.6"), ip("fd12::6"));

        // No default route at all: nothing (the edge warns once), as Chromium gathers nothing.
        assertThat(LocalAddresses.select(IceConfig.builder().build(), WORKSTATION, new DefaultRoutes(Set.of(), Set.of()))).isEmpty();
        // A default route on an interface that is down, or on the loopback, gives nothing either.
        assertThat(LocalAddresses.select(IceConfig.builder().build(), WORKSTATION,
                new DefaultRoutes(Set.of("wlan0", "lo"), Set.of("lo")))).isEmpty();
    }

    @Test
    void everyInterfaceOnlyWhenAskedForOrWhereNoRouteTableExists() {
        IceConfig every = IceConfig.builder().bindInterfaces(List.of(IceConfig.EVERY_INTERFACE)).build();
        List<InetAddress> all = List.of(ip("192.168.1.23"), ip("2001:db8::23"), ip("172.17.0.1"), ip("10.8.0.6"), ip("fd12::6"));
        assertThat(LocalAddresses.select(every, WORKSTATION, WORKSTATION_ROUTES)).containsExactlyElementsOf(all);
        // No Linux route table (another OS): the previous behaviour, every up, non-loopback interface.
        assertThat(LocalAddresses.select(IceConfig.builder().build(), WORKSTATION, null)).containsExactlyElementsOf(all);
    }

    @Test
    void anExplicitAllowListIgnoresTheRoutes() {
        IceConfig docker = IceConfig.builder().bindInterfaces(List.of("docker0")).build();
        assertThat(LocalAddresses.select(docker, WORKSTATION, WORKSTATION_ROUTES)).containsExactly(ip("172.17.0.1"));
        IceConfig one = IceConfig.builder().addBindAddress(ip("10.8.0.6")).build();
        assertThat(LocalAddresses.select(one, WORKSTATION, WORKSTATION_ROUTES)).containsExactly(ip("10.8.0.6"));
        IceConfig both = IceConfig.builder().addBindAddress(ip("127.0.0.1")).bindInterfaces(List.of("tun0", "nope0")).build();
        assertThat(LocalAddresses.select(both, WORKSTATION, WORKSTATION_ROUTES))
                .containsExactly(ip("127.0.0.1"), ip("10.8.0.6"), ip("fd12::6"));
    }

    @Test
    void aTurnStreamTakesItsSourceFromTheAllowListInTheServersFamily() {
        InetAddress server = ip("127.0.0.1");
        // Only 127.0.0.2 is allowed; the kernel would pick 127.0.0.1: the allowed one wins.
        assertThat(LocalAddresses.streamSource(List.of(ip("127.0.0.2")), server, ip("127.0.0.1"))).isEqualTo(ip("127.0.0.2"));
        // The kernel's choice, when allowed, is kept.
        assertThat(LocalAddresses.streamSource(List.of(ip("10.0.0.5"), ip("192.0.2.7")), ip("192.0.2.1"), ip("192.0.2.7")))
                .isEqualTo(ip("192.0.2.7"));
        // Else an address whose loopback-ness matches the server's.
        assertThat(LocalAddresses.streamSource(List.of(ip("10.77.3.1"), ip("127.0.0.3")), server, null)).isEqualTo(ip("127.0.0.3"));
        assertThat(LocalAddresses.streamSource(List.of(ip("127.0.0.3"), ip("10.77.3.1")), ip("10.77.3.2"), null))
                .isEqualTo(ip("10.77.3.1"));
        // Never an address of the other family: no source at all, so no connection.
        assertThat(LocalAddresses.streamSource(List.of(ip("::1"), ip("2001:db8::23")), server, ip("127.0.0.1"))).isNull();
        assertThat(LocalAddresses.streamSource(List.of(ip("127.0.0.1")), ip("::1"), ip("::1"))).isNull();
        assertThat(LocalAddresses.streamSource(List.of(), server, server)).isNull();
        assertThat(LocalAddresses.streamSource(List.of(ip("127.0.0.1"), ip("::1")), ip("::1"), null)).isEqualTo(ip("::1"));
    }

    @Test
    void theKernelsRouteLookupSendsNothingAndNamesASourceOfTheServersFamily() {
        assertThat(LocalAddresses.routeSource(new java.net.InetSocketAddress(ip("127.0.0.1"), 9))).isEqualTo(ip("127.0.0.1"));
        assertThat(LocalAddresses.routeSource(new java.net.InetSocketAddress(ip("::1"), 9))).isEqualTo(ip("::1"));
    }
}
