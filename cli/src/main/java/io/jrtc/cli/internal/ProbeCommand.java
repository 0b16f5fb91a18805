package io.jrtc.cli.internal;

import io.jrtc.probe.JrtcTarget;
import io.jrtc.probe.Probe;
import io.jrtc.probe.ProbeReport;
import io.jrtc.probe.ProbeTarget;
import io.jrtc.probe.Role;
import io.jrtc.probe.SdpStdioTarget;
import io.jrtc.probe.ServedPageTarget;
import io.jrtc.probe.SignalingTarget;
import io.jrtc.probe.Verdict;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jrtc probe}: the conformance probe (probe module) against another WebRTC stack. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Tests another WebRTC stack end to end (ICE, DTLS, SCTP, DCEP) with jrtc's own PeerConnection, "
                + "scenario by scenario, each tied to its RFC clause, injecting faults between SCTP and DTLS where a "
                + "scenario needs them, and writes a report: REPORT.json and a self-contained REPORT.html (scenario, "
                + "clause, role, verdict PASS / FAIL / DEVIATION / NOT_APPLICABLE, and the decoded packets as evidence).",
                "Routes to the target: --signaling URL --target ID (an agent on a jrtc signaling server, e.g. "
                        + "'jrtc echo'; jrtc offers), --sdp-stdio (descriptions exchanged by hand or by a script over "
                        + "standard input and output, one per scenario), or --self (jrtc itself, in this process: the "
                        + "reference run; --break makes it deliberately wrong), or --serve-page (a browser that opens "
                        + "the page the probe serves).",
                "Scenarios that need the target to act on command (open channels of each type, close a channel) are "
                        + "NOT_APPLICABLE over --signaling and --sdp-stdio."},
        footer = {"", "Examples:",
                "  jrtc probe --signaling ws://127.0.0.1:8080/ws --target echo-1 --report werift --fail-on fail",
                "  jrtc probe --sdp-stdio --role answerer < offers.txt",
                "  jrtc probe --serve-page --port 8090 --report chromium",
                "  jrtc probe --list",
                "Exit codes: 0 no verdict in --fail-on, 1 some verdict in --fail-on (or a runtime failure), 2 usage error."})
public final class ProbeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    static final class Route {
        @Option(names = "--signaling", paramLabel = "URL", description = "The signaling server's WebSocket URL (with --target).")
        URI signaling;

        @Option(names = "--sdp-stdio", description = "Print jrtc's description for each scenario and read the target's "
                + "from standard input (a description ends at an empty line).")
        boolean sdpStdio;

        @Option(names = "--self", description = "Probe jrtc itself, in this process, over loopback.")
        boolean self;

        @Option(names = "--serve-page", description = "Serve a page (and its WebSocket signaling) on 127.0.0.1, or on "
                + "the first --bind address; the browser that opens it is the target, in both roles, and opens and "
                + "closes channels on command. The URL goes to standard error.")
        boolean servePage;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Route route;

    @Option(names = "--port", paramLabel = "N", description = "With --serve-page: the page's port (default: any free port).")
    Integer port;

    @Option(names = "--page-wait", defaultValue = "600", paramLabel = "SECONDS",
            description = "With --serve-page: how long to wait for a browser to open the page (default: ${DEFAULT-VALUE}).")
    int pageWait;

    @Option(names = "--target", paramLabel = "ID", description = "The target agent's id on the signaling server.")
    String target;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The agent token the signaling server wants, if any.")
    String token;

    @Option(names = "--break", split = ",", paramLabel = "BREAK",
            description = "With --self: deliberately break the target (${COMPLETION-CANDIDATES}).")
    List<JrtcTarget.Break> breaks = new ArrayList<>();

    @Option(names = "--role", defaultValue = "both", paramLabel = "ROLE",
            description = "jrtc's role: offerer, answerer or both (default: ${DEFAULT-VALUE}; --signaling: offerer).")
    String role;

    @Option(names = "--only", split = ",", paramLabel = "ID", description = "Only these scenarios (see --list).")
    List<String> only = new ArrayList<>();

    @Option(names = "--fault", paramLabel = "SPEC", description = "Inject a fault on every scenario's connection "
            + "(repeatable): drop|duplicate|delay:CHUNK[:first|nth=N|every=K|ms=MS|in|out], e.g. drop:COOKIE_ECHO:first, "
            + "drop:DATA:every=10:in, delay:DATA:ms=200; CHUNK may name a DTLS or STUN message instead, acting on the "
            + "UDP datagrams that carry one: drop:DTLS_FINISHED:first, delay:DTLS_FINISHED:ms=2000, "
            + "drop:STUN_BINDING_REQUEST:every=1:in (default: jrtc's own packets, the first one).")
    List<String> faults = new ArrayList<>();

    @Option(names = "--list", description = "List the scenarios (id, clause, what passes) and exit.")
    boolean list;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "Run each scenario N times; above 1 the report says whether the target behaved deterministically.")
    int repeat;

    @Option(names = "--report", paramLabel = "BASE", description = "Write BASE.json and BASE.html (default: probe-<target>).")
    Path report;

    @Option(names = "--fail-on", defaultValue = "fail", paramLabel = "VERDICTS",
            description = "Comma-separated verdicts that make the exit code 1: fail, deviation, not-applicable, pass "
                    + "(default: ${DEFAULT-VALUE}).")
    String failOn;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Gather ICE candidates only on this address (repeatable).")
    List<InetAddress> bind = new ArrayList<>();

    @Option(names = "--connect-timeout", defaultValue = "20", paramLabel = "SECONDS",
            description = "How long a scenario's connection may take to open its first channel (default: ${DEFAULT-VALUE}).")
    int connectTimeout;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            for (String[] s : Probe.catalogue()) {
                out.println(s[0] + "  (" + s[1] + ")");
                out.println("    " + s[2]);
            }
            for (String[] s : Probe.longRunningCatalogue()) {
                out.println(s[0] + "  (" + s[1] + "; long, runs only with --only)");
                out.println("    " + s[2]);
            }
            out.flush();
            return 0;
        }
        Set<Verdict> failOnSet;
        try {
            failOnSet = Probe.parseFailOn(failOn);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--fail-on: one or more of pass, fail, deviation, not-applicable");
        }
        if (route == null) {
            throw new ParameterException(spec.commandLine(), "choose a route: --signaling URL --target ID, --sdp-stdio, "
                    + "--serve-page or --self");
        }
        if (route.signaling != null && target == null) {
            throw new ParameterException(spec.commandLine(), "--signaling needs --target ID");
        }
        if (!route.servePage && port != null) {
            throw new ParameterException(spec.commandLine(), "--port only applies to --serve-page");
        }
        if (route.servePage && (port != null && (port < 0 || port > 65535) || pageWait <= 0)) {
            throw new ParameterException(spec.commandLine(), "--port: 0 to 65535; --page-wait: above 0");
        }
        if (target != null && route.signaling == null) {
            throw new ParameterException(spec.commandLine(), "--target only applies to --signaling");
        }
        if (!breaks.isEmpty() && !route.self) {
            throw new ParameterException(spec.commandLine(), "--break only applies to --self");
        }
        List<Role> roles = switch (role.toLowerCase(Locale.ROOT)) {
            case "offerer" -> List.of(Role.OFFERER);
            case "answerer" -> List.of(Role.ANSWERER);
            case "both" -> route.signaling != null ? List.of(Role.OFFERER) : List.of(Role.OFFERER, Role.ANSWERER);
            default -> throw new ParameterException(spec.commandLine(), "--role: offerer, answerer or both");
        };
        if (route.signaling != null && roles.contains(Role.ANSWERER)) {
            throw new ParameterException(spec.commandLine(), "--signaling: jrtc can only be the offerer (an agent does not offer)");
        }
        for (String f : faults) {
            try {
                Probe.checkFault(f);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--fault: " + e.getMessage());
            }
        }
        Probe.Builder pb;
        try {
            pb = Probe.builder().roles(roles).only(only).repeats(repeat).connectTimeout(Duration.ofSeconds(connectTimeout))
                    .faults(faults).progress(line -> {
                        err.println(line);
                        err.flush();
                    });
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage() + " (see --list)");
        }
        ProbeReport r;
        try (ProbeTarget t = target()) {
            if (t instanceof ServedPageTarget page) {
                err.println("probe: open " + page.url() + " in the browser to test (waiting " + pageWait + " s)");
                err.flush();
                try {
                    err.println("probe: page connected: " + page.awaitPage(Duration.ofSeconds(pageWait)));
                    err.flush();
                } catch (Exception e) {
                    err.println("probe: no page connected within " + pageWait + " s");
                    err.flush();
                    return 1;
                }
            }
            r = pb.build().run(t);
        }
        Path base = report != null ? report : Path.of("probe-" + r.target().replaceAll("[^A-Za-z0-9._-]", "_"));
        r.write(base);
        err.println("probe " + r.target() + ": " + r.counts() + "; deterministic: "
                + (r.deterministic() == null ? "unknown (one run; --repeat 2 tells)" : r.deterministic())
                + "; report " + base + ".json, " + base + ".html");
        err.flush();
        return r.exitCode(failOnSet.isEmpty() ? EnumSet.noneOf(Verdict.class) : failOnSet);
    }

    private ProbeTarget target() {
        if (route.self) {
            return new JrtcTarget(breaks.isEmpty() ? EnumSet.noneOf(JrtcTarget.Break.class) : EnumSet.copyOf(breaks));
        }
        if (route.servePage) {
            InetAddress at = bind.isEmpty() ? InetAddress.getLoopbackAddress() : bind.get(0);
            return new ServedPageTarget(new InetSocketAddress(at, port == null ? 0 : port), bind);
        }
        if (route.sdpStdio) {
            return new SdpStdioTarget(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    spec.commandLine().getOut(), bind);
        }
        return new SignalingTarget(route.signaling, target, token, bind);
    }
}
