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
 * A private network made by the test itself: a named network namespace and a veth pair, one end in this (root)
 * namespace with {@code 10.77.N.1}, the other inside the namespace with {@code 10.77.N.2}. The JVM under test binds
 * {@link #hostAddress()}; the real peer (Chromium, werift) runs inside the namespace through {@link #command(String...)}.
 *
 * <p>Inside the namespace the only route besides the /24 is a default route to a neighbour that does not exist:
 * Chromium gathers no candidates at all without a default route, and anything sent to it dies unanswered on the veth,
 * so nothing it runs can reach any other address. The root namespace gets only the /24 on its veth end.
 *
 * <p>N is picked at random and taken only if both the namespace and the veth name are free, so concurrent test JVMs
 * never share or delete each other's networks. Needs root and iproute2; {@link #unavailableReason()} tells, so tests
 * can skip with a message.
 */
public final class PrivateNetwork implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateNetwork.class);

    private final String namespace;
    private final String hostIf;
    private final InetAddress hostAddress;
    private final InetAddress peerAddress;

    private PrivateNetwork(int n) throws IOException {
        this.namespace = "jrtc-it" + n;
        this.hostIf = "jrtc" + n + "a";
        String peerIf = "jrtc" + n + "b";
        this.hostAddress = InetAddress.getByName("10.77." + n + ".1");
        this.peerAddress = InetAddress.getByName("10.77." + n + ".2");
        run(true, "ip", "netns", "add", namespace);
        try {
            run(true, "ip", "link", "add", hostIf, "type", "veth", "peer", "name", peerIf);
        } catch (IOException e) {
            run(false, "ip", "netns", "del", namespace);
            throw e;
        }
        try {
            run(true, "ip", "link", "set", peerIf, "netns", namespace);
            run(true, "ip", "addr", "add", hostAddress.getHostAddress() + "/24", "dev", hostIf);
            run(true, "ip", "link", "set", hostIf, "up");
            run(true, "ip", "netns", "exec", namespace, "ip", "addr", "add", peerAddress.getHostAddress() + "/24", "dev", peerIf);
            run(true, "ip", "netns", "exec", namespace, "ip", "link", "set", peerIf, "up");
            run(true, "ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
            run(true, "ip", "netns", "exec", namespace, "ip", "route", "add", "default", "via", "10.77." + n + ".254", "dev", peerIf);
        } catch (IOException e) {
            close();
            throw e;
        }
        LOG.info("private network {}: host {} <-> {} inside the namespace", namespace, hostAddress.getHostAddress(),
                peerAddress.getHostAddress());
    }

    /** Creates a fresh namespace and veth pair on a free N. */
    public static PrivateNetwork create() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            int n = ThreadLocalRandom.current().nextInt(1, 251);
            if (Files.exists(Path.of("/run/netns", "jrtc-it" + n)) || Files.exists(Path.of("/sys/class/net", "jrtc" + n + "a"))) {
                continue;
            }
            try {
                return new PrivateNetwork(n);
            } catch (IOException e) {
                last = e; // raced with another JVM for this N: try another
            }
        }
        throw new IOException("could not create a private network namespace", last);
    }

    /** The answer of {@link #unavailableReason()}, probed once per JVM ("" = available). */
    private static volatile String probed;

    /**
     * Why private networks cannot be made here, or null when they can: not root, no iproute2, or {@code ip netns add}
     * refused (a container without the privilege). The last is probed once, with a namespace added and deleted.
     */
    public static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "interop tests need root to create a network namespace (running as " + System.getProperty("user.name") + ")";
        }
        if (List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip").stream().noneMatch(p -> Files.isExecutable(Path.of(p)))) {
            return "interop tests need iproute2 (the ip command)";
        }
        String answer = probed;
        if (answer == null) {
            synchronized (PrivateNetwork.class) { // tests running side by side probe once, not into each other
                answer = probed;
                if (answer == null) {
                    String probe = "jrtc-probe" + ProcessHandle.current().pid();
                    try {
                        run(true, "ip", "netns", "add", probe);
                        run(false, "ip", "netns", "del", probe);
                        answer = "";
                    } catch (IOException e) {
                        answer = "cannot create a network namespace here: " + e.getMessage();
                    }
                    probed = answer;
                }
            }
        }
        return answer.isEmpty() ? null : answer;
    }

    public static boolean available() {
        return unavailableReason() == null;
    }

    public InetAddress hostAddress() {
        return hostAddress;
    }

    public InetAddress peerAddress() {
        return peerAddress;
    }

    public String namespace() {
        return namespace;
    }

    /** A command line that runs {@code argv} inside the namespace. */
    public List<String> command(String... argv) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        cmd.addAll(List.of(argv));
        return cmd;
    }

    /** The namespace's UDP counters (InDatagrams ... RcvbufErrors ...), for diagnosing drops inside it. */
    public String udpCounters() {
        String[] lines = Shell.output(command("cat", "/proc/net/snmp").toArray(String[]::new)).split("\\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("Udp:") && lines[i + 1].startsWith("Udp:")) {
                return lines[i].substring(5) + " = " + lines[i + 1].substring(5);
            }
        }
        return "(no Udp line)";
    }

    @Override
    public void close() {
        LOG.info("private network {} UDP counters inside: {}", namespace, udpCounters());
        try {
            run(false, "ip", "link", "del", hostIf);
            run(false, "ip", "netns", "del", namespace);
        } catch (IOException e) {
            LOG.warn("could not remove private network {}: {}", namespace, e.getMessage());
        }
    }

    private static void run(boolean mustSucceed, String... argv) throws IOException {
        Shell.run(mustSucceed, argv);
    }
}
