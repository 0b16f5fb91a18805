package io.jrtc.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level {@code jrtc} command: only subcommands. */
@Command(name = "jrtc", mixinStandardHelpOptions = true, versionProvider = JrtcCommand.Version.class,
        description = "jrtc: a pure-Java WebRTC stack. Signaling server, echo agent, client agent, mesh agent, demos and a conformance probe.",
        subcommands = {SignalingCommand.class, EchoCommand.class, AgentCommand.class, DemoCommand.class,
                SctpDemoCommand.class, MeshCommand.class, MeshEmuCommand.class, AuditCommand.class,
                NatCheckCommand.class, MeshSimCommand.class, RevokeCommand.class, ProbeCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 runtime failure, 2 usage error.",
                "Logs go to standard error, one line per event; --verbose (-v) shows debug lines, -vv trace.",
                "Start with: jrtc demo"})
public final class JrtcCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More log lines: debug once, trace twice. Applied before anything logs.")
    boolean[] verbose = new boolean[0];

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: one of signaling, echo, agent, demo, sctp-demo, mesh, mesh-emu, audit, nat-check, mesh-sim, revoke, probe");
    }

    /** {@code jrtc <version>} from the jar's manifest. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = JrtcCommand.class.getPackage().getImplementationVersion();
            return new String[] {"jrtc " + (v == null ? "(development build)" : v),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
