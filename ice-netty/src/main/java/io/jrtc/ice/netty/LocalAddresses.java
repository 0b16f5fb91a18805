package io.jrtc.ice.netty;

import io.jrtc.ice.IceConfig;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which local addresses the edge may use: the allow-list of {@link IceConfig#bindAddresses()} and
 * {@link IceConfig#bindInterfaces()}, or, when both are empty, the addresses of the interfaces that carry a default
 * route (what Chromium gathers on without media permission). On Linux the default routes are read from
 * {@code /proc/net/route} (IPv4) and {@code /proc/net/ipv6_route} (IPv6); where those files do not exist the edge
 * falls back to every up, non-loopback interface. {@link IceConfig#EVERY_INTERFACE} ({@code "*"}) in
 * {@code bindInterfaces} asks for every up, non-loopback interface explicitly.
 *
 * <p>Also picks the source address of a TURN TCP/TLS connection among the allowed addresses, so that no socket of
 * the edge, stream or datagram, uses an address the operator did not allow.
 */
final class LocalAddresses {

    private static final Logger LOG = LoggerFactory.getLogger(LocalAddresses.class);

    static final Path PROC_NET_ROUTE = Path.of("/proc/net/route");
    static final Path PROC_NET_IPV6_ROUTE = Path.of("/proc/net/ipv6_route");

    /** {@code RTF_UP} and {@code RTF_REJECT} of {@code <linux/route.h>} / {@code <linux/ipv6_route.h>}. */
    static final long RTF_UP = 0x0001;
    static final long RTF_REJECT = 0x0200;

    private static final AtomicBoolean WARNED_NO_DEFAULT_ROUTE = new AtomicBoolean();
    private static final AtomicBoolean NOTED_NO_ROUTE_TABLE = new AtomicBoolean();

    private LocalAddresses() {
    }

    /** One network interface as far as the choice of addresses goes. */
    record Interface(String name, boolean up, boolean loopback, List<InetAddress> addresses) {
        Interface {
            addresses = List.copyOf(addresses);
        }

        static Interface of(NetworkInterface ni) throws SocketException {
            return new Interface(ni.getName(), ni.isUp(), ni.isLoopback(), Collections.list(ni.getInetAddresses()));
        }
    }

    /** The names of the interfaces that carry a default route, per family. */
    record DefaultRoutes(Set<String> ipv4, Set<String> ipv6) {
        DefaultRoutes {
            ipv4 = Set.copyOf(ipv4);
            ipv6 = Set.copyOf(ipv6);
        }
    }

    /** The addresses to bind for {@code config}, from this machine's interfaces and route tables. */
    static List<InetAddress> select(IceConfig config) throws SocketException {
        List<Interface> interfaces = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            interfaces.add(Interface.of(ni));
        }
        for (String name : config.bindInterfaces()) {
            // A virtual sub-interface (an alias such as eth0:1) is not listed at the top level, but can be named.
            if (interfaces.stream().noneMatch(i -> i.name().equals(name))) {
                NetworkInterface ni = NetworkInterface.getByName(name);
                if (ni != null) {
                    interfaces.add(Interface.of(ni));
                }
            }
        }
        boolean needRoutes = config.bindAddresses().isEmpty() && config.bindInterfaces().isEmpty();
        DefaultRoutes routes = needRoutes ? readDefaultRoutes() : null;
        List<InetAddress> out = select(config, interfaces, routes);
        if (needRoutes && routes != null && out.isEmpty() && WARNED_NO_DEFAULT_ROUTE.compareAndSet(false, true)) {
            LOG.warn("ICE: no interface carries a default route, so there is no host address to bind; name the "
                    + "addresses or interfaces to use (bindAddresses, bindInterfaces, \"*\" for every interface)");
        }
        return out;
    }

    /**
     * The pure choice: explicit addresses first, then the addresses of each named interface ({@code "*"}: of every
     * up, non-loopback one), and only when both lists are empty, the addresses of the up, non-loopback interfaces
     * that carry a default route of the address's family. {@code routes} null means no route table is known: every
     * up, non-loopback interface. IPv6 link-local addresses are never chosen.
     */
    static List<InetAddress> select(IceConfig config, List<Interface> interfaces, DefaultRoutes routes) {
        Set<InetAddress> out = new LinkedHashSet<>(config.bindAddresses());
        for (String name : config.bindInterfaces()) {
            if (IceConfig.EVERY_INTERFACE.equals(name)) {
                for (Interface i : interfaces) {
                    if (i.up() && !i.loopback()) {
                        addUsable(out, i, true, true);
                    }
                }
                continue;
            }
            Interface found = interfaces.stream().filter(i -> i.name().equals(name)).findFirst().orElse(null);
            if (found == null) {
                LOG.warn("ICE bind interface {} does not exist", name);
                continue;
            }
            addUsable(out, found, true, true);
        }
        if (config.bindAddresses().isEmpty() && config.bindInterfaces().isEmpty()) {
            for (Interface i : interfaces) {
                if (!i.up() || i.loopback()) {
                    continue;
                }
                if (routes == null) {
                    addUsable(out, i, true, true);
                } else {
                    addUsable(out, i, routes.ipv4().contains(i.name()), routes.ipv6().contains(i.name()));
                }
            }
        }
        return List.copyOf(out);
    }

    private static void addUsable(Set<InetAddress> out, Interface i, boolean v4, boolean v6) {
        for (InetAddress a : i.addresses()) {
            boolean usable = a instanceof Inet4Address ? v4 : (v6 && !a.isLinkLocalAddress());
            if (usable) {
                out.add(a);
            }
        }
    }

    /** This machine's default routes, or null where there is no Linux route table to read. */
    static DefaultRoutes readDefaultRoutes() {
        String v4;
        try {
            v4 = Files.readString(PROC_NET_ROUTE);
        } catch (IOException | RuntimeException e) {
            if (NOTED_NO_ROUTE_TABLE.compareAndSet(false, true)) {
                LOG.info("ICE: no readable {} ({}); host candidates come from every up, non-loopback interface",
                        PROC_NET_ROUTE, e.toString());
            }
            return null;
        }
        String v6;
        try {
            v6 = Files.readString(PROC_NET_IPV6_ROUTE);
        } catch (IOException | RuntimeException e) {
            v6 = ""; // IPv6 disabled: no IPv6 default route
        }
        return new DefaultRoutes(defaultRouteInterfacesV4(v4), defaultRouteInterfacesV6(v6));
    }

    /**
     * Interfaces with an IPv4 default route in {@code /proc/net/route} text: destination and mask 0, {@code RTF_UP}
     * set, {@code RTF_REJECT} clear. Columns: Iface, Destination, Gateway, Flags, RefCnt, Use, Metric, Mask, ... (hex
     * numbers). The header and malformed lines are skipped.
     */
    static Set<String> defaultRouteInterfacesV4(String procNetRoute) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : procNetRoute.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) {
                continue;
            }
            Long destination = hex(f[1]);
            Long flags = hex(f[3]);
            Long mask = hex(f[7]);
            if (destination == null || flags == null || mask == null) {
                continue;
            }
            if (destination == 0 && mask == 0 && (flags & RTF_UP) != 0 && (flags & RTF_REJECT) == 0) {
                out.add(f[0]);
            }
        }
        return out;
    }

    /**
     * Interfaces with an IPv6 default route in {@code /proc/net/ipv6_route} text: destination {@code ::/0},
     * {@code RTF_UP} set, {@code RTF_REJECT} clear (the kernel keeps a reject {@code ::/0} route on {@code lo}).
     * Columns: destination, its prefix length, source, its prefix length, next hop, metric, refcnt, use, flags,
     * device (hex numbers).
     */
    static Set<String> defaultRouteInterfacesV6(String procNetIpv6Route) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : procNetIpv6Route.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || f[0].length() != 32) {
                continue;
            }
            Long prefix = hex(f[1]);
            Long flags = hex(f[8]);
            if (prefix == null || flags == null || !f[0].chars().allMatch(c -> c == '0')) {
                continue;
            }
            if (prefix == 0 && (flags & RTF_UP) != 0 && (flags & RTF_REJECT) == 0) {
                out.add(f[9]);
            }
        }
        return out;
    }

    private static Long hex(String s) {
        if (s.isEmpty() || s.length() > 16) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(s, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The source address for a stream to {@code server}: among {@code allowed} addresses of the server's family, the
     * one the kernel would pick itself ({@code kernelChoice}, may be null) if it is allowed, else the first whose
     * loopback-ness matches the server's, else the first. Null when no allowed address has the server's family.
     */
    static InetAddress streamSource(List<InetAddress> allowed, InetAddress server, InetAddress kernelChoice) {
        List<InetAddress> sameFamily = allowed.stream()
                .filter(a -> (a instanceof Inet6Address) == (server instanceof Inet6Address))
                .toList();
        if (sameFamily.isEmpty()) {
            return null;
        }
        if (kernelChoice != null && sameFamily.contains(kernelChoice)) {
            return kernelChoice;
        }
        return sameFamily.stream()
                .filter(a -> a.isLoopbackAddress() == server.isLoopbackAddress())
                .findFirst()
                .orElse(sameFamily.get(0));
    }

    /**
     * The source address the kernel's routing would pick for {@code server}, found by connecting an unbound UDP
     * socket (a route lookup; nothing is sent), or null.
     */
    static InetAddress routeSource(InetSocketAddress server) {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(server);
            return ((InetSocketAddress) ch.getLocalAddress()).getAddress();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
