package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ice4j.message.Message;
import org.junit.jupiter.api.Test;

/**
 * Regular nomination: checks first, then USE-CANDIDATE on the chosen valid pair only. Aggressive: every check of
 * the controlling agent carries USE-CANDIDATE. In both modes the very first check leaves as soon as the agent knows
 * a remote candidate and the remote credentials (no pacing delay).
 */
class NominationFollowsTheConfiguredMode {

    private record Sent(long at, InetSocketAddress from, InetSocketAddress to, Message m) {
    }

    private List<Sent> run(NominationMode mode, int socketsOnB) {
        VirtualNetwork net = new VirtualNetwork(5);
        List<Sent> checks = new ArrayList<>();
        net.tap((now, from, to, data) -> {
            Message m = Pairing.stun(data);
            if (Pairing.isBindingRequest(m) && from.getPort() == 5000) {
                checks.add(new Sent(now, from, to, m));
            }
        });
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).nomination(mode).build(), TestAgents.creds(1));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(2).build(), TestAgents.creds(2));
        a.agent.setRole(IceRole.CONTROLLING);
        b.agent.setRole(IceRole.CONTROLLED);
        a.bind("10.0.0.1", 5000);
        for (int i = 0; i < socketsOnB; i++) {
            b.bind("10.0.0." + (2 + i), 6000 + i);
        }
        net.signal(a, b, Duration.ofMillis(20), true);
        Pairing.start(net, a, b);
        assertThat(net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(5))).isTrue();
        net.runFor(Duration.ofMillis(500));
        return checks;
    }

    @Test
    void regularNominationSendsUseCandidateOnlyOnTheChosenPair() {
        List<Sent> checks = run(NominationMode.REGULAR, 2);
        List<Sent> nominating = checks.stream().filter(s -> Pairing.hasUseCandidate(s.m())).toList();
        assertThat(nominating).isNotEmpty();
        assertThat(nominating.stream().map(Sent::to).distinct()).hasSize(1);
        // A check without USE-CANDIDATE went to the nominated pair first.
        InetSocketAddress chosen = nominating.get(0).to();
        Sent firstToChosen = checks.stream().filter(s -> s.to().equals(chosen)).findFirst().orElseThrow();
        assertThat(Pairing.hasUseCandidate(firstToChosen.m())).isFalse();
        assertThat(checks.stream().filter(s -> !Pairing.hasUseCandidate(s.m())).count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aggressiveNominationPutsUseCandidateInEveryCheck() {
        List<Sent> checks = run(NominationMode.AGGRESSIVE, 2);
        assertThat(checks).isNotEmpty().allMatch(s -> Pairing.hasUseCandidate(s.m()));
    }

    @Test
    void firstCheckLeavesImmediately() {
        VirtualNetwork net = new VirtualNetwork(6);
        List<Long> times = new ArrayList<>();
        net.tap((now, from, to, data) -> {
            if (Pairing.isBindingRequest(Pairing.stun(data)) && from.getPort() == 5000) {
                times.add(now);
            }
        });
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).build(), TestAgents.creds(1));
        a.bind("10.0.0.1", 5000);
        Pairing.start(net, a);
        a.agent.setRemoteCredentials(net.now(), TestAgents.creds(2));
        long t0 = net.now();
        a.agent.addRemoteCandidate(net.now(), IceCandidate.of("1", 1, IceProtocol.UDP, 2113937151L, "10.0.0.2", 6000, IceCandidateType.HOST));
        net.flush();
        assertThat(times).containsExactly(t0);
        // Pacing: the next new checks follow one Ta (5 ms) apart.
        a.agent.addRemoteCandidate(net.now(), IceCandidate.of("2", 1, IceProtocol.UDP, 2113937150L, "10.0.0.3", 6000, IceCandidateType.HOST));
        a.agent.addRemoteCandidate(net.now(), IceCandidate.of("3", 1, IceProtocol.UDP, 2113937149L, "10.0.0.4", 6000, IceCandidateType.HOST));
        net.runFor(Duration.ofMillis(12));
        assertThat(times).hasSize(3);
        assertThat(times.get(1) - times.get(0)).isEqualTo(Duration.ofMillis(5).toNanos());
        assertThat(times.get(2) - times.get(1)).isEqualTo(Duration.ofMillis(5).toNanos());
    }
}
