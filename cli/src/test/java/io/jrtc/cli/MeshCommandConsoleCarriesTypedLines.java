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
import io.jrtc.signaling.server.SignalingServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
            SignalingServer server = net.startServer(0);
            URI uri = Loopback.ws(server);
            String[] names = {"alice", "bob", "carol"};
            List<MeshAgent> agents = new ArrayList<>();
            List<StringWriter> outs = new ArrayList<>();
            List<MeshConsole> consoles = new ArrayList<>();
            for (String name : names) {
                MeshAgent a = net.track(new MeshAgent(MeshConfig.builder(Identity.generate(), uri).name(name).degree(2)
                        .maxLinks(3).factory(net.factory)
                        .rtcTemplate(RtcConfiguration.builder().addBindAddress(Loopback.LOOPBACK).build()).build()));
                StringWriter w = new StringWriter();
                consoles.add(new MeshConsole(a, new PrintWriter(w)).attach());
                outs.add(w);
                agents.add(a);
                a.start().get(20, TimeUnit.SECONDS);
            }
            await(() -> agents.stream().allMatch(a -> !a.neighbours().isEmpty() && a.presentAgents().size() == 2));
            // three agents that each have a neighbour (links are symmetric) are one component

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
