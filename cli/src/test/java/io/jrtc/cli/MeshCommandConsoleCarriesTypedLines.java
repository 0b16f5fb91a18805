package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.cli.internal.MeshConsole;
import io.jrtc.ice.nat.FilteringBehavior;
import io.jrtc.ice.nat.MappingBehavior;
import io.jrtc.ice.nat.NatBehaviorResult;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshConfig;
import io.jrtc.peer.RtcConfiguration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jrtc mesh}'s console over three real agents: a typed line is broadcast and printed by the others with its
 * origin and hop count, {@code @name text} reaches one agent and is acknowledged, an unknown target is refused; the
 * command's own options are checked (usage errors exit 2).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MeshCommandConsoleCarriesTypedLines {

    @Test
    void linesAreBroadcastAndAtLinesGoToOneAgent() throws Exception {
        try (Loopback net = new Loopback()) {
            Three three = Three.start(net, Identity.generate(), null);
            List<MeshAgent> agents = three.agents;
            List<StringWriter> outs = three.outs;
            List<MeshConsole> consoles = three.consoles;

            consoles.get(0).handleLine("hello all");
            String alice = "alice (" + agents.get(0).id().shortString() + ")";
            await(() -> text(outs.get(1)).contains(alice + " [") && text(outs.get(2)).contains(alice + " ["),
                    () -> "outputs: " + outs + " stats: " + agents.stream().map(MeshAgent::stats).toList());
            assertThat(text(outs.get(1))).containsPattern("alice \\([0-9a-f]{8}\\) \\[[12] hops?\\]: hello all");
            assertThat(text(outs.get(2))).containsPattern("alice \\([0-9a-f]{8}\\) \\[[12] hops?\\]: hello all");
            assertThat(text(outs.get(0))).doesNotContain("hello all");

            consoles.get(0).handleLine("@carol psst, carol");
            await(() -> text(outs.get(0)).contains("* delivered to carol ("));
            assertThat(text(outs.get(2))).containsPattern("alice \\([0-9a-f]{8}\\) \\[[12] hops?, to you\\]: psst, carol");
            assertThat(text(outs.get(1))).doesNotContain("psst");

            consoles.get(1).handleLine("@" + agents.get(2).id().toString().substring(0, 6) + " by prefix");
            await(() -> text(outs.get(2)).contains(": by prefix"));

            consoles.get(0).handleLine("@nobody hi");
            assertThat(text(outs.get(0))).contains("! no single present agent matches 'nobody'");
        }
    }

    @Test
    void aRevocationFromJrtcRevokeTypedIntoOneConsoleCutsTheAgentOffEverywhere(@TempDir java.nio.file.Path dir)
            throws Exception {
        Identity operator = Identity.generate();
        java.nio.file.Path operatorFile = dir.resolve("operator.key");
        operator.store(operatorFile);
        try (Loopback net = new Loopback()) {
            Identity carolKey = Identity.generate();
            Three three = Three.start(net, carolKey, operator.publicKey());
            List<MeshAgent> agents = three.agents;
            List<StringWriter> outs = three.outs;
            List<MeshConsole> consoles = three.consoles;
            MeshAgent carol = agents.get(2);
            String carolShort = carol.id().shortString();
            MeshConsole alice = consoles.get(0);

            alice.handleLine("/revoked");
            alice.handleLine("/revoke 0badc0de");
            alice.handleLine("/frobnicate");
            alice.handleLine("//slash at the start");
            await(() -> text(outs.get(1)).contains("]: /slash at the start"));
            // signed by a key the agents do not trust: refused here, sent nowhere
            Identity stranger = Identity.generate();
            java.nio.file.Path strangerFile = dir.resolve("stranger.key");
            stranger.store(strangerFile);
            String hexCarol = java.util.HexFormat.of().formatHex(carolKey.publicKey());
            Run forged = Run.of("revoke", "--operator-key", strangerFile.toString(), "--agent-key", hexCarol);
            assertThat(forged.code()).as("%s", forged).isZero();
            alice.handleLine("/revoke " + forged.out().strip());
            assertThat(text(outs.get(0))).contains("* revoked: none", "! /revoke needs one revocation in hex",
                    "! unknown command '/frobnicate': /revoke HEX", "! revocation of carol (" + carolShort + ") refused: "
                    + "not signed by an operator key this agent trusts");
            assertThat(agents).allSatisfy(a -> assertThat(a.revoked()).isEmpty());

            // the operator's own line, as 'jrtc revoke' prints it
            Run signed = Run.of("revoke", "--operator-key", operatorFile.toString(), "--agent-key", hexCarol,
                    "--reason", "laptop stolen");
            assertThat(signed.code()).as("%s", signed).isZero();
            alice.handleLine("/revoke " + signed.out().strip());
            assertThat(text(outs.get(0))).contains("* revocation of carol (" + carolShort + ") published (laptop stolen)");
            await(() -> agents.get(0).revoked().contains(carol.id()) && agents.get(1).revoked().contains(carol.id())
                    && !agents.get(0).neighbours().contains(carol.id()) && !agents.get(1).neighbours().contains(carol.id()),
                    () -> "revoked " + agents.stream().map(MeshAgent::revoked).toList() + ", neighbours "
                            + agents.stream().map(MeshAgent::neighbours).toList());
            await(() -> text(outs.get(1)).contains("* revoked by the operator: ") && text(outs.get(1)).contains("(laptop stolen)"));
            consoles.get(1).handleLine("/revoked");
            await(() -> text(outs.get(1)).lines().anyMatch(l -> l.startsWith("* revoked: ") && l.contains(carolShort)));
        }
    }

    @Test
    void optionsAreChecked() {
        Run missingId = Run.of("mesh", "--signaling", "ws://127.0.0.1:9/ws");
        assertThat(missingId.code()).as("%s", missingId).isEqualTo(2);
        assertThat(missingId.err()).contains("--id");
        Run help = Run.of("mesh", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--degree", "--key", "@target text", "--metrics-port", "--audit", "--nat-check",
                "--paths");
        Run badPaths = Run.of("mesh", "--signaling", "ws://127.0.0.1:9/ws", "--id", "x", "--paths", "sideways");
        assertThat(badPaths.code()).as("%s", badPaths).isEqualTo(2);
        assertThat(badPaths.err()).contains("--paths must be direct-then-relay, relay-only or race, was 'sideways'");
        Run noKey = Run.of("mesh", "--signaling", "ws://127.0.0.1:9/ws", "--id", "x", "--key",
                "target/mesh-options-x.key", "--operator-key", "no-such-operator-key");
        assertThat(noKey.code()).as("%s", noKey).isEqualTo(1);
        assertThat(noKey.err()).contains("--operator-key no-such-operator-key: no such file, and not 64 hex digits");
        for (String bad : new String[] {"127.0.0.1:99999", "[::1", ":3478"}) {
            Run r = Run.of("mesh", "--signaling", "ws://127.0.0.1:9/ws", "--id", "x", "--nat-check", bad);
            assertThat(r.code()).as("--nat-check %s: %s", bad, r).isEqualTo(2);
            assertThat(r.err()).contains(bad);
        }
    }

    @Test
    void natLinesSayWhatTheCheckFound() throws Exception {
        java.net.InetSocketAddress server = new java.net.InetSocketAddress("192.0.2.1", 3478);
        java.net.InetSocketAddress local = new java.net.InetSocketAddress("10.0.0.2", 40000);
        java.net.InetSocketAddress mapped = new java.net.InetSocketAddress("198.51.100.7", 61000);
        NatBehaviorResult behind = new NatBehaviorResult(NatBehaviorResult.Status.COMPLETE, server, local, mapped,
                new java.net.InetSocketAddress("192.0.2.2", 3479), MappingBehavior.ADDRESS_AND_PORT_DEPENDENT,
                FilteringBehavior.ADDRESS_DEPENDENT, List.of(), "", 0);
        assertThat(MeshConsole.nat(new MeshEvent.NatDiscovered(behind, null))).isEqualTo("* nat: behind a NAT (mapped "
                + "198.51.100.7:61000), mapping address-and-port-dependent, filtering address-dependent (192.0.2.1:3478, "
                + "RFC 5780)");
        NatBehaviorResult plain = new NatBehaviorResult(NatBehaviorResult.Status.NO_RFC5780_SUPPORT, server, local, local,
                null, MappingBehavior.ENDPOINT_INDEPENDENT, FilteringBehavior.UNKNOWN, List.of(), "", 0);
        assertThat(MeshConsole.nat(new MeshEvent.NatDiscovered(plain, null))).isEqualTo("* nat: no NAT, mapping "
                + "endpoint-independent, filtering unknown (192.0.2.1:3478, the server lacks RFC 5780 support)");
        NatBehaviorResult silent = new NatBehaviorResult(NatBehaviorResult.Status.SERVER_UNREACHABLE, server, local, null,
                null, MappingBehavior.UNKNOWN, FilteringBehavior.UNKNOWN, List.of(), "", 0);
        assertThat(MeshConsole.nat(new MeshEvent.NatDiscovered(silent, null)))
                .isEqualTo("! nat: no answer from the STUN server 192.0.2.1:3478");
        assertThat(MeshConsole.nat(new MeshEvent.NatDiscovered(null, "no route to 192.0.2.1:3478")))
                .isEqualTo("! nat: the check could not run: no route to 192.0.2.1:3478");
    }

    /** alice, bob and carol (with {@code carolKey}), each with a console, linked into one component. */
    private record Three(List<MeshAgent> agents, List<StringWriter> outs, List<MeshConsole> consoles) {

        /** {@code operatorKey}: trusted for revocations, or null for none. */
        static Three start(Loopback net, Identity carolKey, byte[] operatorKey) throws Exception {
            URI uri = Loopback.ws(net.startServer(0));
            Three t = new Three(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (String name : new String[] {"alice", "bob", "carol"}) {
                MeshConfig.Builder b = MeshConfig.builder(name.equals("carol") ? carolKey : Identity.generate(), uri)
                        .name(name).degree(2).maxLinks(3).factory(net.factory)
                        .rtcTemplate(RtcConfiguration.builder().addBindAddress(Loopback.LOOPBACK).build());
                if (operatorKey != null) {
                    b.operatorKey(operatorKey);
                }
                MeshAgent a = net.track(new MeshAgent(b.build()));
                StringWriter w = new StringWriter();
                t.consoles.add(new MeshConsole(a, new PrintWriter(w)).attach());
                t.outs.add(w);
                t.agents.add(a);
                a.start().get(20, TimeUnit.SECONDS);
            }
            // three agents that each have a neighbour (links are symmetric) are one component
            await(() -> t.agents.stream().allMatch(a -> !a.neighbours().isEmpty() && a.presentAgents().size() == 2));
            return t;
        }
    }

    private static String text(StringWriter w) {
        synchronized (w.getBuffer()) {
            return w.toString();
        }
    }

    private static void await(BooleanSupplier c) throws InterruptedException {
        await(c, () -> "");
    }

    private static void await(BooleanSupplier c, java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 40 s; " + state.get());
            }
            Thread.sleep(50);
        }
    }
}
