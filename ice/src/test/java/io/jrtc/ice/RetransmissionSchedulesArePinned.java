package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins, on the virtual clock, the retransmission times of the agent's own transactions to a peer or server that
 * never answers: a STUN gathering request (RFC 8489 §6.2.1: RTO doubling, then 16 * RTO before giving up), a TURN Allocate, and a
 * connectivity check (RFC 8445 §14.3: RTO doubling, capped at 1.6 s). The times are the defaults' schedule, so any change to
 * how these deadlines are kept must leave these numbers unchanged.
 */
class RetransmissionSchedulesArePinned {

    /** Send times (ms after the transaction's first send) of every transaction to {@code to}, by transaction id. */
    private static Map<String, List<Long>> record(VirtualNetwork net, InetSocketAddress to) {
        Map<String, List<Long>> byTx = new LinkedHashMap<>();
        Map<String, Long> starts = new LinkedHashMap<>();
        net.tap((now, from, dst, data) -> {
            if (!dst.equals(to) || data.length < 20 || (data[0] & 0xC0) != 0) {
                return;
            }
            String tid = Arrays.toString(Arrays.copyOfRange(data, 8, 20));
            long start = starts.computeIfAbsent(tid, k -> now);
            byTx.computeIfAbsent(tid, k -> new ArrayList<>()).add((now - start) / 1_000_000L);
        });
        return byTx;
    }

    @Test
    void stunGatheringRequestToASilentServer() {
        VirtualNetwork net = new VirtualNetwork(61);
        InetSocketAddress stun = VirtualNetwork.addr("192.0.2.99", 3478);
        Map<String, List<Long>> sends = record(net, stun);
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).addServer(IceServer.stun("stun:192.0.2.99:3478")).build(), TestAgents.creds(1));
        a.bind("10.0.0.1", 5000);
        long t0 = net.now();
        Pairing.start(net, a);
        assertThat(net.runUntil(() -> a.gathering() == IceGatheringState.COMPLETE, Duration.ofSeconds(60))).isTrue();
        assertThat(sends).hasSize(1);
        assertThat(sends.values().iterator().next()).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L);
        assertThat((net.now() - t0) / 1_000_000L).isEqualTo(39500L);
    }

    @Test
    void turnAllocateToASilentServer() {
        VirtualNetwork net = new VirtualNetwork(62);
        InetSocketAddress turn = VirtualNetwork.addr("192.0.2.10", 3478);
        Map<String, List<Long>> sends = record(net, turn);
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).addServer(IceServer.turn("turn:192.0.2.10:3478", "u", "p")).build(), TestAgents.creds(1));
        a.bind("10.0.0.1", 5000);
        long t0 = net.now();
        Pairing.start(net, a);
        assertThat(net.runUntil(() -> a.gathering() == IceGatheringState.COMPLETE, Duration.ofSeconds(60))).isTrue();
        assertThat(sends).hasSize(1);
        assertThat(sends.values().iterator().next()).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L);
        assertThat((net.now() - t0) / 1_000_000L).isEqualTo(39500L);
    }

    @Test
    void connectivityCheckToASilentPeer() {
        VirtualNetwork net = new VirtualNetwork(63);
        VirtualNetwork.Node[] n = Pairing.pair(net, TestAgents.config(1).build(), TestAgents.config(2).build(),
                IceRole.CONTROLLING, IceRole.CONTROLLED);
        n[1].silent = true;
        InetSocketAddress b = n[1].sockets.values().iterator().next();
        Map<String, List<Long>> sends = record(net, b);
        long t0 = net.now();
        Pairing.start(net, n);
        assertThat(net.runUntil(() -> n[0].state() == IceConnectionState.FAILED, Duration.ofSeconds(120))).isTrue();
        assertThat(sends).hasSize(1);
        assertThat(sends.values().iterator().next()).containsExactly(0L, 500L, 1500L, 3100L, 4700L, 6300L, 7900L);
        assertThat((net.now() - t0) / 1_000_000L).isEqualTo(9520L); // first check 20 ms after start, last wait one capped RTO (1600 ms)
    }
}
