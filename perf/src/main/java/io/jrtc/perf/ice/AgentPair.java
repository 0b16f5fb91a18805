package io.jrtc.perf.ice;

import io.jrtc.common.DatagramCore;
import io.jrtc.ice.IceAgent;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceCredentials;
import io.jrtc.ice.IceEvent;
import io.jrtc.ice.IceProtocol;
import io.jrtc.ice.IceRole;
import io.jrtc.ice.IceTransmit;
import io.jrtc.ice.SocketId;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Two sans-IO agents connected in memory (no sockets), on a hand-driven clock: the setup for core benchmarks. */
final class AgentPair {

    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 6000);
    static final SocketId SOCK = SocketId.udp(0);

    final IceAgent a;
    final IceAgent b;
    long now = 1_000_000_000L;

    AgentPair(long seed) {
        a = new IceAgent(config(seed), IceCredentials.random(new SplittableRandom(seed)));
        b = new IceAgent(config(seed + 1), IceCredentials.random(new SplittableRandom(seed + 1)));
        a.setRole(IceRole.CONTROLLING);
        b.setRole(IceRole.CONTROLLED);
        a.addLocalSocket(now, SOCK, A, IceProtocol.UDP);
        b.addLocalSocket(now, SOCK, B, IceProtocol.UDP);
        a.setRemoteCredentials(now, b.localCredentials());
        b.setRemoteCredentials(now, a.localCredentials());
        a.startGathering(now);
        b.startGathering(now);
        for (int i = 0; i < 10_000 && !(connected(a) && connected(b)); i++) {
            drain();
            long next = Math.min(a.pollTimeout(), b.pollTimeout());
            if (next != DatagramCore.NO_TIMEOUT && next > now) {
                now = next;
            }
            a.handleTimeout(now);
            b.handleTimeout(now);
        }
        if (!(connected(a) && connected(b))) {
            throw new IllegalStateException("agents did not connect in memory");
        }
        drain();
    }

    private static IceConfig config(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        RandomGenerator g = r::nextLong;
        return IceConfig.builder().random(g).build();
    }

    private static boolean connected(IceAgent x) {
        IceConnectionState s = x.connectionState();
        return s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED;
    }

    /** Moves everything queued between the two agents (candidates through "signalling", packets through "the wire"). */
    void drain() {
        boolean any = true;
        while (any) {
            any = false;
            any |= drain(a, b, A);
            any |= drain(b, a, B);
        }
    }

    private boolean drain(IceAgent from, IceAgent to, InetSocketAddress fromAddr) {
        boolean any = false;
        for (Optional<IceEvent> e = from.pollEvent(); e.isPresent(); e = from.pollEvent()) {
            any = true;
            if (e.get() instanceof IceEvent.LocalCandidate c) {
                IceCandidate cand = c.candidate();
                to.addRemoteCandidate(now, cand);
            }
        }
        for (Optional<IceTransmit> t = from.pollTransmit(); t.isPresent(); t = from.pollTransmit()) {
            any = true;
            to.handleInput(now, SOCK, fromAddr, t.get().data());
        }
        return any;
    }
}
