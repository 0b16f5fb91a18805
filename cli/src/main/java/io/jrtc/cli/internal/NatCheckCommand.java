package io.jrtc.cli.internal;

import io.jrtc.ice.IceWarmUp;
import io.jrtc.ice.nat.NatBehaviorDiscovery;
import io.jrtc.ice.nat.NatBehaviorResult;
import io.jrtc.ice.nat.NatTestOutcome;
import io.jrtc.ice.netty.NatBehaviorCheck;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jrtc nat-check}: RFC 5780 NAT behaviour discovery against one STUN server ({@link NatBehaviorCheck}). */
@Command(name = "nat-check", mixinStandardHelpOptions = true,
        description = {"Discovers this host's NAT mapping and filtering behaviour (RFC 5780) with Binding requests to a "
                + "STUN server that supports it (one with two addresses, e.g. coturn with two --listening-ip), and "
                + "prints both behaviours and the evidence: each test's destination, answer and mapped address.",
            "Exit code 0 when the server answered (also when it lacks RFC 5780 support: then only the presence of a NAT "
                + "is known), 1 when it did not answer or answered with an error."})
public final class NatCheckCommand implements Callable<Integer> {

    static final int DEFAULT_PORT = 3478;

    @Spec
    CommandSpec spec;

    @Option(names = "--stun", required = true, paramLabel = "HOST[:PORT]",
            description = "The STUN server: host name or IP, optional port (default 3478); [v6]:port for IPv6; a stun: prefix is accepted.")
    String stun;

    @Option(names = "--bind", paramLabel = "ADDRESS", converter = Converters.AddressConverter.class,
            description = "Local IP address to send from (default: the source the routing table picks for the server).")
    InetAddress bind;

    @Option(names = "--rto", paramLabel = "DURATION", defaultValue = "500ms", converter = Converters.DurationConverter.class,
            description = "Initial retransmission timeout, RTO (default: ${DEFAULT-VALUE}).")
    Duration rto;

    @Option(names = "--max-transmissions", paramLabel = "RC", defaultValue = "4",
            description = "Transmissions per test, Rc (default: ${DEFAULT-VALUE}; RFC 8489 says 7).")
    int maxTransmissions;

    @Option(names = "--rm", paramLabel = "RM", defaultValue = "4",
            description = "Wait Rm x RTO after the last transmission (default: ${DEFAULT-VALUE}; RFC 8489 says 16). "
                    + "With the defaults an unanswered test takes 5.5 s; RFC 8489's values make it 39.5 s.")
    int rm;

    @Override
    public Integer call() throws Exception {
        InetSocketAddress server = parseServer(spec.commandLine(), stun);
        NatBehaviorDiscovery.Config config;
        try {
            config = new NatBehaviorDiscovery.Config(rto, maxTransmissions, rm, new SplittableRandom());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        IceWarmUp.run(); // ice4j's one-time initialisation, so that test I's time is the network's
        if (bind != null && bind.getClass() != server.getAddress().getClass()) {
            throw new ParameterException(spec.commandLine(), "--bind " + bind.getHostAddress()
                    + " is not of the server's address family (" + server.getAddress().getHostAddress() + ")");
        }
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        NatBehaviorResult r;
        try {
            // at most five tests run one after another
            long limit = 5 * config.testTimeout().toMillis() + 10_000;
            r = NatBehaviorCheck.run(group.next(), server, bind, config).get(limit, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new CliFailure("cannot run the check against " + addr(server) + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new CliFailure("the check against " + addr(server) + " did not finish");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        PrintWriter out = spec.commandLine().getOut();
        print(out, r);
        out.flush();
        return switch (r.status()) {
            case COMPLETE, NO_RFC5780_SUPPORT -> 0;
            case SERVER_UNREACHABLE, SERVER_ERROR -> throw new CliFailure(r.status() == NatBehaviorResult.Status.SERVER_ERROR
                    ? "the STUN server " + addr(server) + " answered with an error" : "no answer from the STUN server " + addr(server));
        };
    }

    /** {@code [stun:]HOST[:PORT]} (IPv6 in brackets), resolved; a malformed value is a usage error of {@code cl}. */
    static InetSocketAddress parseServer(CommandLine cl, String value) {
        String v = value.trim();
        if (v.regionMatches(true, 0, "stun:", 0, 5)) {
            v = v.substring(5);
        }
        String host = v;
        int port = DEFAULT_PORT;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) {
                throw new ParameterException(cl, "'" + value + "': missing ']'");
            }
            host = v.substring(1, end);
            if (end + 1 < v.length()) {
                if (v.charAt(end + 1) != ':') {
                    throw new ParameterException(cl, "'" + value + "' is not HOST[:PORT]");
                }
                port = port(cl, value, v.substring(end + 2));
            }
        } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')) {
            host = v.substring(0, v.indexOf(':'));
            port = port(cl, value, v.substring(v.indexOf(':') + 1));
        }
        if (host.isEmpty()) {
            throw new ParameterException(cl, "'" + value + "' has no host");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new CliFailure("cannot resolve '" + host + "': " + e.getMessage());
        }
    }

    private static int port(CommandLine cl, String value, String p) {
        try {
            int port = Integer.parseInt(p);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(cl, "'" + value + "': bad port '" + p + "'");
    }

    static void print(PrintWriter out, NatBehaviorResult r) {
        out.println("nat-check: " + addr(r.local()) + " -> " + addr(r.server()));
        out.println("server: " + switch (r.status()) {
            case COMPLETE -> "supports RFC 5780, other address " + addr(r.otherAddress());
            case NO_RFC5780_SUPPORT -> r.otherAddress() == null ? "lacks RFC 5780 support (no OTHER-ADDRESS)"
                    : "lacks RFC 5780 support (OTHER-ADDRESS " + addr(r.otherAddress()) + " shares the primary IP or port)";
            case SERVER_UNREACHABLE -> "no answer";
            case SERVER_ERROR -> "error answer";
        });
        if (r.mappedAddress() != null) {
            out.println("mapped address: " + addr(r.mappedAddress())
                    + (r.noNat() ? " (no NAT: the mapped address is the local address)" : " (behind a NAT)"));
        }
        out.println("mapping: " + r.mapping().label() + (r.noNat() ? " (no NAT)" : ""));
        out.println("filtering: " + r.filtering().label());
        out.println("evidence:");
        for (NatTestOutcome o : r.tests()) {
            StringBuilder s = new StringBuilder("  ").append(testName(o)).append(" -> ").append(addr(o.destination()))
                    .append(": ");
            switch (o.kind()) {
                case ANSWERED, UNUSABLE_RESPONSE -> s.append(o.kind() == NatTestOutcome.Kind.ANSWERED ? "answered" : "unusable answer")
                        .append(" from ").append(addr(o.responseSource()));
                case ERROR_RESPONSE -> s.append("error ").append(o.errorCode()).append(" from ").append(addr(o.responseSource()));
                case TIMED_OUT -> s.append("no answer");
            }
            s.append(" after ").append(o.transmissions()).append(o.transmissions() == 1 ? " transmission" : " transmissions")
                    .append(String.format(Locale.ROOT, " (%.1f ms)", o.elapsedNanos() / 1e6));
            if (o.mapped() != null) {
                s.append(", mapped ").append(addr(o.mapped()));
            }
            if (o.responseOrigin() != null) {
                s.append(", response-origin ").append(addr(o.responseOrigin()));
            }
            if (o.otherAddress() != null) {
                s.append(", other-address ").append(addr(o.otherAddress()));
            }
            out.println(s);
        }
        out.println("how: " + r.detail());
    }

    private static String testName(NatTestOutcome o) {
        return switch (o.test()) {
            case TEST_I -> "test I";
            case FILTERING_TEST_II -> "filtering test II (change IP and port)";
            case FILTERING_TEST_III -> "filtering test III (change port)";
            case MAPPING_TEST_II -> "mapping test II (other IP)";
            case MAPPING_TEST_III -> "mapping test III (other IP and port)";
        };
    }

    private static String addr(InetSocketAddress a) {
        if (a == null) {
            return "-";
        }
        String ip = a.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }
}
