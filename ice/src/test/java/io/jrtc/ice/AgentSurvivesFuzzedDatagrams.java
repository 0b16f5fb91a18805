package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.internal.ChannelData;
import io.jrtc.ice.internal.Stun;
import io.jrtc.ice.internal.StunScan;
import io.jrtc.ice.internal.StreamFramer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and mutated datagrams (bit flips, truncations, length and type edits of real checks,
 * responses, TURN messages and ChannelData) thrown at connected agents, at a TURN client and at a TURN stream: no
 * exception escapes, drops are counted, and the agents stay connected and keep carrying data.
 */
class AgentSurvivesFuzzedDatagrams {

    private static final int ROUNDS = 20_000;

    private static byte[] mutate(SplittableRandom r, byte[] seed) {
        byte[] b = seed.clone();
        switch (r.nextInt(7)) {
            case 0 -> {
                for (int i = 0, n = 1 + r.nextInt(4); i < n && b.length > 0; i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 2 -> {
                if (b.length >= 4) {
                    int len = r.nextInt(0x10000);
                    b[2] = (byte) (len >> 8);
                    b[3] = (byte) len;
                }
            }
            case 3 -> {
                if (b.length >= 24) {
                    int off = 20 + 4 * r.nextInt((b.length - 20) / 4);
                    if (off + 4 <= b.length) {
                        b[off] = (byte) r.nextInt(256);
                        b[off + 1] = (byte) r.nextInt(256);
                        b[off + 2] = (byte) r.nextInt(256);
                        b[off + 3] = (byte) r.nextInt(256);
                    }
                }
            }
            case 4 -> {
                byte[] g = new byte[b.length + 1 + r.nextInt(64)];
                System.arraycopy(b, 0, g, 0, b.length);
                for (int i = b.length; i < g.length; i++) {
                    g[i] = (byte) r.nextInt(256);
                }
                b = g;
            }
            case 5 -> {
                b = new byte[r.nextInt(120)];
                r.nextBytes(b);
                if (b.length > 8 && r.nextBoolean()) {
                    b[0] = (byte) r.nextInt(4);
                    b[4] = 0x21;
                    b[5] = 0x12;
                    b[6] = (byte) 0xa4;
                    b[7] = 0x42;
                }
            }
            default -> {
                b = new byte[4 + r.nextInt(40)];
                r.nextBytes(b);
                b[0] = (byte) (0x40 + r.nextInt(16));
            }
        }
        return b;
    }

    @Test
    void connectedAgentsShrugOffFuzz() {
        VirtualNetwork net = new VirtualNetwork(77);
        List<byte[]> seeds = new ArrayList<>();
        net.tap((now, from, to, data) -> {
            if (seeds.size() < 200) {
                seeds.add(data.clone());
            }
        });
        InetSocketAddress turnAddr = VirtualNetwork.addr("192.0.2.10", 3478);
        net.addService(turnAddr, new FakeTurnServer(turnAddr, "alice", "secret", "192.0.2.10"));
        IceServer turn = IceServer.turn("turn:192.0.2.10:3478", "alice", "secret");
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).addServer(turn).build(), TestAgents.creds(1));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(2).addServer(turn).build(), TestAgents.creds(2));
        a.agent.setRole(IceRole.CONTROLLING);
        b.agent.setRole(IceRole.CONTROLLED);
        a.bind("10.0.0.1", 5000);
        b.bind("10.0.0.2", 6000);
        net.signal(a, b, Duration.ofMillis(5), true);
        Pairing.start(net, a, b);
        assertThat(net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(5))).isTrue();
        net.runFor(Duration.ofSeconds(3));
        assertThat(seeds).hasSizeGreaterThan(20);

        SplittableRandom r = new SplittableRandom(1234);
        InetSocketAddress[] sources = {VirtualNetwork.addr("10.0.0.2", 6000), turnAddr, VirtualNetwork.addr("10.6.6.6", 666)};
        for (int i = 0; i < ROUNDS; i++) {
            byte[] d = mutate(r, seeds.get(r.nextInt(seeds.size())));
            long now = net.now() + i;
            a.agent.handleInput(now, SocketId.udp(0), sources[r.nextInt(sources.length)], ByteBuffer.wrap(d));
            // Direct parsers too: never anything but their checked/expected outcomes.
            StunScan s = StunScan.scan(d, d.length);
            if (s.ok()) {
                Stun.decode(d, d.length);
            }
            try {
                ChannelData.parse(ByteBuffer.wrap(d));
            } catch (io.jrtc.common.ParseException expected) {
                // fine
            }
        }
        while (a.agent.pollEvent().isPresent()) {
            // discard whatever fuzz produced (e.g. junk that passed as data on the valid pair)
        }
        while (a.agent.pollTransmit().isPresent()) {
            // answers to fuzz (401/400) are not sent
        }
        IceStats st = a.agent.stats();
        long drops = st.drops().values().stream().mapToLong(Long::longValue).sum();
        assertThat(drops).isGreaterThan(ROUNDS / 4);
        // Still working afterwards.
        a.received.clear();
        b.received.clear();
        net.runFor(Duration.ofSeconds(2));
        assertThat(a.connected()).isTrue();
        a.send(new byte[] {(byte) 0x80, 7});
        b.send(new byte[] {(byte) 0x80, 8});
        net.runFor(Duration.ofMillis(100));
        assertThat(b.received).containsExactly(new byte[] {(byte) 0x80, 7});
        assertThat(a.received).containsExactly(new byte[] {(byte) 0x80, 8});
    }

    @Test
    void turnStreamShrugsOffFuzz() {
        SplittableRandom r = new SplittableRandom(99);
        for (int round = 0; round < 200; round++) {
            IceAgent agent = new IceAgent(TestAgents.config(round).addServer(IceServer.turn("turn:192.0.2.10:3478?transport=tcp", "u", "p")).build(),
                    TestAgents.creds(round));
            agent.addLocalSocket(0, SocketId.udp(0), VirtualNetwork.addr("10.0.0.1", 5000), IceProtocol.UDP);
            agent.startGathering(0);
            SocketId stream = null;
            for (var e = agent.pollEvent(); e.isPresent(); e = agent.pollEvent()) {
                if (e.get() instanceof IceEvent.OpenStream o) {
                    stream = o.id();
                }
            }
            assertThat(stream).isNotNull();
            agent.streamConnected(1, stream, VirtualNetwork.addr("10.0.0.1", 40000));
            for (int i = 0; i < 50; i++) {
                byte[] chunk = new byte[r.nextInt(100)];
                r.nextBytes(chunk);
                if (chunk.length > 0 && r.nextBoolean()) {
                    chunk[0] = (byte) (r.nextBoolean() ? 0x01 : 0x40);
                }
                agent.handleInput(2 + i, stream, VirtualNetwork.addr("192.0.2.10", 3478), ByteBuffer.wrap(chunk));
            }
            agent.handleTimeout(1_000_000_000_000L);
            while (agent.pollEvent().isPresent()) {
                // drain
            }
        }
    }

    @Test
    void streamFramerNeverThrows() {
        SplittableRandom r = new SplittableRandom(5);
        for (int round = 0; round < 2000; round++) {
            StreamFramer f = new StreamFramer(4096);
            for (int i = 0; i < 20; i++) {
                byte[] chunk = new byte[r.nextInt(300)];
                r.nextBytes(chunk);
                if (!f.append(ByteBuffer.wrap(chunk), frame -> { })) {
                    break;
                }
            }
        }
    }
}
