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
 * Two sites, each behind its own real Linux NAT, and a public network between them, all made of network namespaces
 * the test owns. Site 1 is {@code 10.81.N.2} in this (root) namespace behind router namespace 1 (public side
 * {@code 10.83.N.1}); site 2 is {@code 10.84.N.2} behind router namespace 2 ({@code 10.85.N.1}). The public namespace
 * joins the two routers' outer links and holds the server addresses {@code 10.82.N.2} and {@code 10.82.N.3} (on its
 * loopback). Each router masquerades with nftables, port-preserving or with a random port per flow
 * ({@link NattedNetwork.Kind}).
 *
 * <p>This namespace routes by source: what leaves from a site's address goes to that site's router (policy rules and
 * two routing tables holding only the lab's subnets), and the main table sends the server subnet through site 1 (for
 * sockets bound to no address, e.g. a probe of the server's port). Two processes of this namespace bound to the two
 * site addresses thus reach each other only through both NATs, except by their host addresses, which the kernel
 * joins directly: a test must keep host candidates out. Nothing is routed outside the namespaces made here.
 */
public final class TwoNats implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TwoNats.class);
    private static final Path NFT = Path.of("/usr/sbin/nft");

    private final int n;
    private final String pub;
    private final List<String> routers = new ArrayList<>();
    private final List<String> hostIfs = new ArrayList<>();
    private final List<String> rules = new ArrayList<>();
    private final NattedNetwork.Kind kind1;
    private final NattedNetwork.Kind kind2;

    private TwoNats(int n, NattedNetwork.Kind kind1, NattedNetwork.Kind kind2) throws IOException {
        this.n = n;
        this.kind1 = kind1;
        this.kind2 = kind2;
        this.pub = "jrtc-np" + n;
        try {
            run(true, "ip", "netns", "add", pub);
            inNs(pub, "ip", "link", "set", "lo", "up");
            inNs(pub, "ip", "addr", "add", "10.82." + n + ".2/32", "dev", "lo");
            inNs(pub, "ip", "addr", "add", "10.82." + n + ".3/32", "dev", "lo");
            inNs(pub, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            site(1, 81, 83, kind1);
            site(2, 84, 85, kind2);
            // count what the public network forwards from one NAT straight to the other (not through the server)
            inNs(pub, NFT.toString(), "add table ip jrtclab { chain lab { type filter hook forward priority 0; "
                    + "policy accept; ip saddr 10.83." + n + ".1 ip daddr 10.85." + n + ".1 counter; "
                    + "ip saddr 10.85." + n + ".1 ip daddr 10.83." + n + ".1 counter; }; }");
            // the main table: the server subnet through site 1
            run(true, "ip", "route", "add", "10.82." + n + ".0/24", "via", "10.81." + n + ".1", "dev", hostIfs.get(0));
        } catch (IOException e) {
            close();
            throw e;
        }
        LOG.info("{}", this);
    }

    /** Site {@code i}: inside {@code 10.<in>.N.0/24}, router outside {@code 10.<out>.N.1/24}, public side .254. */
    private void site(int i, int in, int out, NattedNetwork.Kind kind) throws IOException {
        String router = "jrtc-nr" + n + "x" + i;
        String hostIf = "jrtc" + n + "h" + i;
        String routerIn = "jrtc" + n + "i" + i;
        String routerOut = "jrtc" + n + "o" + i;
        String pubIf = "jrtc" + n + "p" + i;
        run(true, "ip", "netns", "add", router);
        routers.add(router);
        run(true, "ip", "link", "add", hostIf, "type", "veth", "peer", "name", routerIn);
        hostIfs.add(hostIf);
        run(true, "ip", "link", "set", routerIn, "netns", router);
        run(true, "ip", "addr", "add", "10." + in + "." + n + ".2/24", "dev", hostIf);
        run(true, "ip", "link", "set", hostIf, "up");
        inNs(router, "ip", "addr", "add", "10." + in + "." + n + ".1/24", "dev", routerIn);
        inNs(router, "ip", "link", "set", routerIn, "up");
        inNs(router, "ip", "link", "set", "lo", "up");
        run(true, "ip", "link", "add", routerOut, "netns", router, "type", "veth", "peer", "name", pubIf, "netns", pub);
        inNs(router, "ip", "addr", "add", "10." + out + "." + n + ".1/24", "dev", routerOut);
        inNs(router, "ip", "link", "set", routerOut, "up");
        inNs(pub, "ip", "addr", "add", "10." + out + "." + n + ".254/24", "dev", pubIf);
        inNs(pub, "ip", "link", "set", pubIf, "up");
        inNs(router, "ip", "route", "add", "default", "via", "10." + out + "." + n + ".254");
        inNs(router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        inNs(router, NFT.toString(), kind.table(routerOut, "10." + in + "." + n + ".2"));
        // this namespace: what leaves from the site's address goes to its router, for the lab's subnets only
        int table = 20000 + n * 4 + i;
        for (String subnet : List.of("10.82." + n + ".0/24", "10.83." + n + ".0/24", "10.85." + n + ".0/24")) {
            run(true, "ip", "route", "add", subnet, "via", "10." + in + "." + n + ".1", "dev", hostIf, "table", "" + table);
        }
        String from = "10." + in + "." + n + ".2";
        run(true, "ip", "rule", "add", "from", from, "table", "" + table, "priority", "" + table);
        rules.add(from + " " + table);
    }

    /** Creates two NATs of the given kinds on a free N. */
    public static TwoNats create(NattedNetwork.Kind site1, NattedNetwork.Kind site2) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            int n = ThreadLocalRandom.current().nextInt(1, 251);
            if (Files.exists(Path.of("/run/netns", "jrtc-np" + n)) || Files.exists(Path.of("/sys/class/net", "jrtc" + n + "h1"))
                    || Files.exists(Path.of("/run/netns", "jrtc-nr" + n))) {
                continue;
            }
            try {
                return new TwoNats(n, site1, site2);
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("could not create two natted sites", last);
    }

    /** The address of site {@code i} (1 or 2) in this namespace, behind its NAT. */
    public InetAddress siteAddress(int i) {
        return address(i == 1 ? "10.81." + n + ".2" : "10.84." + n + ".2");
    }

    /** The public address of site {@code i}'s NAT. */
    public InetAddress natAddress(int i) {
        return address(i == 1 ? "10.83." + n + ".1" : "10.85." + n + ".1");
    }

    /** The public namespace's server address. */
    public InetAddress serverAddress() {
        return address("10.82." + n + ".2");
    }

    /** The public namespace's second server address, for a second server beside the one on {@link #serverAddress()}. */
    public InetAddress secondServerAddress() {
        return address("10.82." + n + ".3");
    }

    /**
     * The packets the public network has forwarded from one NAT's address straight to the other's, both ways added up:
     * traffic that went site to site through both NATs, not by way of the server.
     */
    public long packetsBetweenTheNats() {
        String out = Shell.output(inPublicCommand(NFT.toString(), "list", "table", "ip", "jrtclab").toArray(String[]::new));
        long sum = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(out);
        int found = 0;
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
            found++;
        }
        if (found != 2) {
            throw new IllegalStateException("the public namespace's counters are not readable: " + out);
        }
        return sum;
    }

    /**
     * Cuts the public network between the two NATs ({@code true}: everything it would forward from one NAT's address
     * to the other's is dropped, both ways) or joins it again ({@code false}). The server stays reachable from both
     * sites, and the NATs' own mappings are left as they are: what the sites send still leaves through them. The
     * dropped packets are not counted by {@link #packetsBetweenTheNats()}. Idempotent.
     */
    public void cutBetweenTheNats(boolean cut) throws IOException {
        String a = natAddress(1).getHostAddress();
        String b = natAddress(2).getHostAddress();
        if (cut) {
            inNs(pub, NFT.toString(), "add table ip jrtccut { chain cut { type filter hook forward priority -10; "
                    + "policy accept; ip saddr " + a + " ip daddr " + b + " drop; ip saddr " + b + " ip daddr " + a
                    + " drop; }; }");
        } else {
            List<String> cmd = inPublicCommand(NFT.toString(), "delete", "table", "ip", "jrtccut");
            run(false, cmd.toArray(String[]::new));
        }
        LOG.info("{}: the public network between the NATs is {}", this, cut ? "cut" : "joined again");
    }

    /**
     * Makes the public network between the two NATs lossy: each packet it would forward from one NAT's address to the
     * other's is dropped with probability {@code percent}/100, independently, both ways (nftables' random number
     * generator; {@code 0} removes the loss). The dropped packets are counted by {@link #packetsLost()}, not by
     * {@link #packetsBetweenTheNats()}. The kernel here has no netem, so there is loss but no added delay.
     */
    public void lossBetweenTheNats(int percent) throws IOException {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent " + percent);
        }
        run(false, inPublicCommand(NFT.toString(), "delete", "table", "ip", "jrtcloss").toArray(String[]::new));
        if (percent > 0) {
            String a = natAddress(1).getHostAddress();
            String b = natAddress(2).getHostAddress();
            inNs(pub, NFT.toString(), "add table ip jrtcloss { chain loss { type filter hook forward priority -20; "
                    + "policy accept; ip saddr " + a + " ip daddr " + b + " numgen random mod 100 < " + percent
                    + " counter drop; ip saddr " + b + " ip daddr " + a + " numgen random mod 100 < " + percent
                    + " counter drop; }; }");
        }
        LOG.info("{}: {} % loss between the NATs", this, percent);
    }

    /** The packets {@link #lossBetweenTheNats} has dropped since it was last set. */
    public long packetsLost() {
        return counted("jrtcloss");
    }

    /**
     * Makes the public network TCP-only ({@code true}: every UDP datagram it would take in from a NAT, forward, or send
     * out to one is dropped and counted; the servers stay reachable over TCP, and a TURN server still relays between
     * its own relay addresses) or opens it to UDP again ({@code false}). Idempotent.
     */
    public void blockUdp(boolean block) throws IOException {
        if (block) {
            inNs(pub, NFT.toString(), "add table ip jrtcudp { "
                    + "chain udpin { type filter hook input priority -10; policy accept; iifname != \"lo\" meta l4proto udp counter drop; }; "
                    + "chain udpfwd { type filter hook forward priority -10; policy accept; meta l4proto udp counter drop; }; "
                    + "chain udpout { type filter hook output priority -10; policy accept; oifname != \"lo\" meta l4proto udp counter drop; }; }");
        } else {
            run(false, inPublicCommand(NFT.toString(), "delete", "table", "ip", "jrtcudp").toArray(String[]::new));
        }
        LOG.info("{}: UDP in the public network is {}", this, block ? "dropped" : "let through again");
    }

    /** The UDP datagrams {@link #blockUdp} has dropped since it was last switched on. */
    public long udpDropped() {
        return counted("jrtcudp");
    }

    /** The packets counted by the rules of the public namespace's table {@code table}, added up. */
    private long counted(String table) {
        String out = Shell.output(inPublicCommand(NFT.toString(), "list", "table", "ip", table).toArray(String[]::new));
        long sum = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(out);
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    /** A command line that runs {@code argv} in the public namespace. */
    public List<String> inPublicCommand(String... argv) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", pub));
        cmd.addAll(List.of(argv));
        return cmd;
    }

    @Override
    public String toString() {
        return "two NATs " + n + ": site 1 " + siteAddress(1).getHostAddress() + " -> " + natAddress(1).getHostAddress()
                + " (" + kind1 + "), site 2 " + siteAddress(2).getHostAddress() + " -> " + natAddress(2).getHostAddress()
                + " (" + kind2 + "), server " + serverAddress().getHostAddress();
    }

    @Override
    public void close() {
        try {
            for (String r : rules) {
                String[] f = r.split(" ");
                run(false, "ip", "rule", "del", "from", f[0], "table", f[1]);
                run(false, "ip", "route", "flush", "table", f[1]);
            }
            for (String h : hostIfs) {
                run(false, "ip", "link", "del", h);
            }
            for (String r : routers) {
                run(false, "ip", "netns", "del", r);
            }
            run(false, "ip", "netns", "del", pub);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", this, e.getMessage());
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void inNs(String ns, String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(argv));
        run(true, cmd.toArray(String[]::new));
    }

    private static void run(boolean mustSucceed, String... argv) throws IOException {
        Shell.run(mustSucceed, argv);
    }
}
