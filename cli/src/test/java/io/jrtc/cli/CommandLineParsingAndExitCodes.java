package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conventions of the command line: {@code --help} everywhere (exit 0), usage errors exit 2 with a message and the
 * usage, runtime failures exit 1 with one line saying what failed.
 */
class CommandLineParsingAndExitCodes {

    @Test
    void topLevelHelpListsEveryCommandAndExitsZero() {
        Run r = Run.of("--help");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).contains("signaling", "echo", "agent", "demo", "sctp-demo", "--verbose",
                "Exit codes: 0 success, 1 runtime failure, 2 usage error.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"signaling", "echo", "agent", "demo", "sctp-demo"})
    void everyCommandHasHelp(String command) {
        Run r = Run.of(command, "--help");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).startsWith("Usage: jrtc " + command).contains("--help", "--verbose");
        Run viaHelp = Run.of("help", command);
        assertThat(viaHelp.code()).isZero();
        assertThat(viaHelp.out()).isEqualTo(r.out());
    }

    @Test
    void helpShowsTheOptionsTheIssueNames() {
        assertThat(Run.of("signaling", "--help").out())
                .contains("--port", "--redis", "--secret", "--tls-cert", "--tls-key", "--turn-url", "--turn-secret");
        assertThat(Run.of("echo", "--help").out())
                .contains("--signaling", "--id", "--relay-only", "--ice-server", "--bind");
        assertThat(Run.of("agent", "--help").out()).contains("--to", "--count", "--throughput");
    }

    @Test
    void versionExitsZero() {
        Run r = Run.of("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("jrtc ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",                                                        // no command
            "launch",                                                  // unknown command
            "demo --bogus",                                            // unknown option
            "demo --count 0",                                          // out of range
            "demo --count many",                                       // not a number
            "demo --throughput forever",                               // not a duration
            "demo --size 8",                                           // too small to carry a sequence number
            "echo",                                                    // --signaling is required
            "echo --signaling http://127.0.0.1:8080/ws",               // not ws:// or wss://
            "echo --signaling ws://127.0.0.1:1/ws --bind example.org", // --bind takes address literals only
            "echo --signaling ws://127.0.0.1:1/ws --ice-server turn:127.0.0.1:3478", // TURN without credentials
            "echo --signaling ws://127.0.0.1:1/ws --ice-server http://x",             // not STUN/TURN
            "agent --signaling ws://127.0.0.1:1/ws",                   // --to is required
            "agent --signaling ws://127.0.0.1:1/ws --to e --window 10",// window smaller than a message
            "signaling --port 70000",                                  // port out of range
            "signaling --duplicate-ids maybe",
            "signaling --idle-timeout soon",
            "signaling --turn-url turn:127.0.0.1:3478",                // TURN URLs need a TURN secret
            "signaling --tls-cert only-cert.pem",                      // TLS needs both files
            "sctp-demo --loss 1.5",
            "sctp-demo --rtt 0s",
    })
    void usageErrorsExitTwoWithAMessage(String line) {
        Run r = Run.of(line.isEmpty() ? new String[0] : line.split(" "));
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        // picocli prints the usage, or for a mistyped command its closest matches
        assertThat(r.err()).as("%s", r).containsAnyOf("Usage: jrtc", "Did you mean: jrtc");
        assertThat(r.err().lines().findFirst().orElse("")).as("first line says what is wrong").isNotBlank();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnreachableSignalingServerIsARuntimeFailure() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Run r = Run.of("agent", "--signaling", "ws://127.0.0.1:" + closedPort + "/ws", "--to", "echo", "--timeout", "1500ms",
                "--bind", "127.0.0.1");
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).contains("jrtc agent: could not register at ws://127.0.0.1:" + closedPort + "/ws within 1500 ms");
        assertThat(r.err()).doesNotContain("Usage:");
    }

    @Test
    void anAbsentRemoteAgentIsARuntimeFailure() throws Exception {
        try (Loopback net = new Loopback()) {
            var server = net.startServer(0);
            Run r = Run.of("agent", "--signaling", Loopback.ws(server).toString(), "--to", "nobody", "--timeout", "1s",
                    "--bind", "127.0.0.1");
            assertThat(r.code()).as("%s", r).isEqualTo(1);
            assertThat(r.err()).contains("jrtc agent: timed out after 1000 ms waiting for agent nobody to be present");
        }
    }

    @Test
    void verbosityCountsEveryVerboseFlag() {
        assertThat(Main.verbosity(new String[] {"demo"})).isZero();
        assertThat(Main.verbosity(new String[] {"-v", "demo"})).isEqualTo(1);
        assertThat(Main.verbosity(new String[] {"demo", "--verbose", "-vv"})).isEqualTo(3);
        assertThat(Main.verbosity(new String[] {"echo", "--", "-v"})).isZero();
        assertThat(Run.of("demo", "--help", "-v").code()).isZero();
    }
}
