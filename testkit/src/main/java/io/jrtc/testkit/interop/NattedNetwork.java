package io.jrtc.testkit.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Linux NAT between this process and a "public" network, all made of network namespaces the test owns: this
 * (root) namespace gets {@code 10.81.N.2} on a veth to a router namespace ({@code 10.81.N.1}), whose other veth
 * ({@code 10.82.N.1}) leads to a public namespace holding {@code 10.82.N.2} and {@code 10.82.N.3} (two addresses, for
 * an RFC 5780 server). The router forwards and masquerades (nftables, Linux conntrack) what leaves towards the public
 * side, so a datagram from {@code 10.81.N.2:p} arrives there from {@code 10.82.N.1}, and an answer comes back only
 * from where the request went.
 *
 * <p>Three kinds: {@link Kind#PORT_PRESERVING} (plain {@code masquerade}: Linux keeps the source port when it can, one
 * mapping for every destination: endpoint-independent mapping, address-and-port-dependent filtering),
 * {@link Kind#RANDOM_PORT_PER_FLOW} ({@code masquerade random,fully-random}: a new port for every destination,
 * address-and-port-dependent mapping, the "symmetric NAT" of RFC 3489) and {@link Kind#FULL_CONE} (port-preserving,
 * and what arrives unasked is forwarded inside: endpoint-independent filtering). The first two drop UDP that arrives
 * unasked for the router itself, as a home router's firewall does: otherwise Linux keeps a connection-tracking entry
 * for such a datagram, and the inside host's own flow to that sender later gets another port (two port-preserving NATs
 * whose hosts both send first then never meet; with the drop they do).
 *
 * <p>The only route added to this namespace is {@code 10.82.N.0/24} via the router; nothing leaves the namespaces
 * made here. Needs root, iproute2 and nftables ({@link #unavailableReason()}).
 */
public final class NattedNetwork implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NattedNetwork.class);
    private static final Path NFT = Path.of("/usr/sbin/nft");

    /** How the router maps. */
    public enum Kind {
        /** Plain masquerade: endpoint-independent mapping, address-and-port-dependent filtering. */
        PORT_PRESERVING("masquerade", false),
        /** A new random port per destination: address-and-port-dependent mapping ("symmetric"). */
        RANDOM_PORT_PER_FLOW("masquerade random,fully-random", false),
        /**
         * Port-preserving masquerade, and every UDP datagram that arrives unasked at the NAT's public address is
         * forwarded to the inside address, same port (a "DMZ host"): endpoint-independent filtering, a full cone.
         */
        FULL_CONE("masquerade", true);

        final String rule;
        final boolean forwardsEverything;

        Kind(String rule, boolean forwardsEverything) {
            this.rule = rule;
            this.forwardsEverything = forwardsEverything;
        }

        /** The router's nftables table: masquerade out of {@code outIf}, and for a full cone the way back in. */
        String table(String outIf, String inside) {
            String t = "add table ip jrtcnat { chain post { type nat hook postrouting priority srcnat; policy accept; "
                    + "oifname \"" + outIf + "\" " + rule + "; }; ";
            if (forwardsEverything) {
                t += "chain pre { type nat hook prerouting priority dstnat; policy accept; iifname \"" + outIf
                        + "\" udp dport 1024-65535 dnat to " + inside + "; }; ";
            } else {
                // a home router's firewall: UDP that arrives unasked for the router itself is dropped. Without it the
                // kernel would keep a connection-tracking entry for that datagram, and the inside host's later flow to
                // the same sender would be given another port (the entry's reply tuple holds this one)
                t += "chain in { type filter hook input priority filter; policy accept; iifname \"" + outIf
                        + "\" meta l4proto udp ct state new drop; }; ";
            }
            return t + "}";
        }
    }

    private final int n;
    private final Kind kind;
    private final String router;
    private final String pub;
    private final String hostIf;

    private NattedNetwork(int n, Kind kind) throws IOException {
        this.n = n;
        this.kind = kind;
        this.router = "jrtc-nr" + n;
        this.pub = "jrtc-np" + n;
        this.hostIf = "jrtc" + n + "r";
        String routerIn = "jrtc" + n + "s";
        String routerOut = "jrtc" + n + "t";
        String pubIf = "jrtc" + n + "u";
        run(true, "ip", "netns", "add", router);
        try {
            run(true, "ip", "netns", "add", pub);
            run(true, "ip", "link", "add", hostIf, "type", "veth", "peer", "name", routerIn);
            run(true, "ip", "link", "set", routerIn, "netns", router);
            run(true, "ip", "addr", "add", "10.81." + n + ".2/24", "dev", hostIf);
            run(true, "ip", "link", "set", hostIf, "up");
            run(true, "ip", "route", "add", "10.82." + n + ".0/24", "via", "10.81." + n + ".1", "dev", hostIf);
            inRouter("ip", "addr", "add", "10.81." + n + ".1/24", "dev", routerIn);
            inRouter("ip", "link", "set", routerIn, "up");
            inRouter("ip", "link", "set", "lo", "up");
            run(true, "ip", "link", "add", routerOut, "netns", router, "type", "veth", "peer", "name", pubIf, "netns", pub);
            inRouter("ip", "addr", "add", "10.82." + n + ".1/24", "dev", routerOut);
            inRouter("ip", "link", "set", routerOut, "up");
            inRouter("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            inRouter(NFT.toString(), kind.table(routerOut, "10.81." + n + ".2"));
            inPublic("ip", "addr", "add", "10.82." + n + ".2/24", "dev", pubIf);
            inPublic("ip", "addr", "add", "10.82." + n + ".3/24", "dev", pubIf);
            inPublic("ip", "link", "set", pubIf, "up");
            inPublic("ip", "link", "set", "lo", "up");
        } catch (IOException e) {
            close();
            throw e;
        }
        LOG.info("natted network {}: {} -> router {} ({}) -> public {} ({}, {})", n, clientAddress().getHostAddress(),
                router, kind, pub, publicAddress().getHostAddress(), secondPublicAddress().getHostAddress());
    }

    /** Creates a fresh NAT of {@code kind} on a free N. */
    public static NattedNetwork create(Kind kind) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            int n = ThreadLocalRandom.current().nextInt(1, 251);
            if (Files.exists(Path.of("/run/netns", "jrtc-nr" + n)) || Files.exists(Path.of("/run/netns", "jrtc-np" + n))
                    || Files.exists(Path.of("/sys/class/net", "jrtc" + n + "r"))) {
                continue;
            }
            try {
                return new NattedNetwork(n, kind);
            } catch (IOException e) {
                last = e; // raced with another JVM for this N, or a step failed: the next N
            }
        }
        throw new IOException("could not create a natted network", last);
    }

    /** Why a NAT cannot be made here, or null: what {@link PrivateNetwork} needs, and nftables. */
    public static String unavailableReason() {
        String why = PrivateNetwork.unavailableReason();
        if (why != null) {
            return why;
        }
        return Files.isExecutable(NFT) ? null : "a NAT test needs nftables (apt-get install nftables)";
    }

    /** This namespace's address behind the NAT. */
    public InetAddress clientAddress() {
        return address("10.81." + n + ".2");
    }

    /** The NAT's public address: where the client's datagrams appear to come from. */
    public InetAddress natAddress() {
        return address("10.82." + n + ".1");
    }

    /** The public namespace's first address. */
    public InetAddress publicAddress() {
        return address("10.82." + n + ".2");
    }

    /** The public namespace's second address. */
    public InetAddress secondPublicAddress() {
        return address("10.82." + n + ".3");
    }

    /** A command line that runs {@code argv} in the public namespace. */
    public List<String> inPublicCommand(String... argv) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", pub));
        cmd.addAll(List.of(argv));
        return cmd;
    }

    /** The router's NAT table (its conntrack entries are not listed: no conntrack tool is needed). */
    public String routerTable() {
        return Shell.output("ip", "netns", "exec", router, NFT.toString(), "list", "table", "ip", "jrtcnat").trim();
    }

    @Override
    public String toString() {
        return "NAT " + n + " (" + kind + ": " + clientAddress().getHostAddress() + " -> "
                + natAddress().getHostAddress() + ")";
    }

    @Override
    public void close() {
        try {
            run(false, "ip", "link", "del", hostIf); // its route goes with it
            run(false, "ip", "netns", "del", pub);
            run(false, "ip", "netns", "del", router);
        } catch (IOException e) {
            LOG.warn("could not remove natted network {}: {}", n, e.getMessage());
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void inRouter(String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", router));
        cmd.addAll(List.of(argv));
        run(true, cmd.toArray(String[]::new));
    }

    private void inPublic(String... argv) throws IOException {
        run(true, inPublicCommand(argv).toArray(String[]::new));
    }

    private static void run(boolean mustSucceed, String... argv) throws IOException {
        Shell.run(mustSucceed, argv);
    }
}
