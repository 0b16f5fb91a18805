package io.jrtc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import io.jrtc.testkit.ProcessTree;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill E's command-line path, end to end, on the packaged jar: an operator signs a revocation of bob's key with
 * {@code ./jrtc revoke}, and {@code ./jrtc mesh} processes alice and carol start with the operator's public key and
 * the revocation file. bob (who trusts no operator) starts too, on the same signaling server. alice and carol link
 * with each other and refuse bob (each audits {@code link.refused_revoked} in its own log file), bob never gets a
 * neighbour, a line typed by alice reaches carol and a line typed by bob reaches nobody; alice's audit log verifies
 * with {@code ./jrtc audit verify} and records the revocation it applied at start.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ARevocationFromTheCommandLineShutsAnAgentOut {

    private static final Duration START = Duration.ofSeconds(90);

    @Test
    void theRevokedAgentFindsNoNeighbourAndIsHeardByNoOne(@TempDir Path dir) throws Exception {
        MeshProcess.requireJar();
        Identity operator = Identity.loadOrCreate(dir.resolve("operator.key"));
        Identity bobsKey = Identity.loadOrCreate(dir.resolve("bob.key"));
        Path revocations = dir.resolve("revoked.hex");
        jrtc(dir, "revoke", "revoke", "--operator-key", dir.resolve("operator.key").toString(), "--agent-key",
                dir.resolve("bob.key").toString(), "--reason", "drill E from the command line", "--out", revocations.toString());
        assertThat(Files.readAllLines(revocations)).hasSize(1);

        String secret = UUID.randomUUID().toString();
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().port(0).secret(secret).build());
        List<MeshProcess> agents = new ArrayList<>();
        try {
            server.start().get(20, TimeUnit.SECONDS);
            URI ws = URI.create("ws://127.0.0.1:" + server.boundPort() + "/ws");
            String op = HexFormat.of().formatHex(operator.publicKey());
            MeshProcess alice = MeshProcess.start(dir, "alice", ws, secret, "--degree", "2", "--bind", "127.0.0.1",
                    "--operator-key", op, "--revocations", revocations.toString());
            agents.add(alice);
            MeshProcess carol = MeshProcess.start(dir, "carol", ws, secret, "--degree", "2", "--bind", "127.0.0.1",
                    "--operator-key", op, "--revocations", revocations.toString());
            agents.add(carol);
            MeshProcess bob = MeshProcess.start(dir, "bob", ws, secret, "--degree", "2", "--bind", "127.0.0.1");
            agents.add(bob);
            for (MeshProcess a : agents) {
                a.awaitOut("registration", o -> MeshProcess.REGISTERED.matcher(o).find(), START);
            }
            assertThat(bob.agentId()).isEqualTo(bobsKey.agentId().toString());
            alice.awaitOut("carol as a neighbour", o -> o.contains("* neighbour up: " + carol.shown()), START);
            for (String name : List.of("alice", "carol")) {
                Path audit = dir.resolve(name + ".audit");
                awaitFile(audit, "refused_revoked", l -> l.contains("\"link.refused_revoked\"") && l.contains(bob.agentId()));
            }

            String fromAlice = "to everyone but bob " + UUID.randomUUID();
            alice.type(fromAlice);
            carol.awaitOut("alice's line", o -> o.contains(alice.shown() + " [1 hop]: " + fromAlice), START);
            String fromBob = "is anyone there " + UUID.randomUUID();
            bob.type(fromBob);
            bob.awaitOut("bob's console refusing it", o -> o.contains("! not broadcast: not connected"), Duration.ofSeconds(10));
            String marker = "after bob's line " + UUID.randomUUID();
            alice.type(marker);
            carol.awaitOut("alice's second line", o -> o.contains(marker), START); // bob's, had it been sent on, came first
            for (MeshProcess a : List.of(alice, carol)) {
                assertThat(a.out()).as("%s never linked with bob and never got his line", a.name)
                        .doesNotContain("* neighbour up: " + bob.shown()).doesNotContain(fromBob);
            }
            assertThat(bob.out()).as("bob never got a neighbour").doesNotContain("* neighbour up:").doesNotContain(fromAlice);
            assertThat(Files.readString(dir.resolve("alice.audit"))).contains("\"revocation\"");
        } finally {
            agents.forEach(MeshProcess::close);
            server.close();
        }
        assertThat(jrtc(dir, "verify", "audit", "verify", dir.resolve("alice.audit").toString(), "--key",
                dir.resolve("alice.key").toString())).contains("OK");
    }

    /**
     * Runs {@code ./jrtc ARGS} as {@link MeshProcess} runs the launcher (the jar as built, no class-data cache training),
     * output to {@code DIR/NAME.out}; asserts exit 0 within 60 s and returns the output.
     */
    private static String jrtc(Path dir, String name, String... args) throws Exception {
        java.util.List<String> cmd = new ArrayList<>(List.of(MeshProcess.launcher().toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve(name + ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("JRTC_NO_BUILD", "1");
        pb.environment().put("JRTC_CDS", "0");
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("jrtc %s ended", name).isTrue();
            assertThat(p.exitValue()).as(Files.readString(out)).isZero();
            return Files.readString(out);
        } finally {
            ProcessTree.stop(p);
        }
    }

    /** Waits (every 50 ms) until a line of {@code file} satisfies {@code line}. */
    private static void awaitFile(Path file, String what, java.util.function.Predicate<String> line) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            if (Files.exists(file) && Files.readAllLines(file, StandardCharsets.UTF_8).stream().anyMatch(line)) {
                return;
            }
            assertThat(System.nanoTime()).as("%s: %s within %s", file.getFileName(), what, START).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50); // polling interval of a condition with a deadline
        }
    }
}
