package io.jrtc.ice.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.IceCandidateType;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceStats;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real UDP sockets on 127.0.0.1 only: two {@link IceTransport}s on a shared two-thread loop group gather host
 * candidates, connect, and exchange data byte-exact both ways; every datagram went to the peer's socket; close
 * releases the sockets.
 */
class TwoTransportsConnectOverLoopback {

    static MultiThreadIoEventLoopGroup group;

    @BeforeAll
    static void loops() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    }

    static IceConfig loopbackConfig() {
        return IceConfig.builder().addBindAddress(InetAddress.getLoopbackAddress()).build();
    }

    @Test
    void connectAndExchangeDataByteExact() throws Exception {
        TransportPair p = new TransportPair(group, loopbackConfig(), loopbackConfig());
        p.start();
        p.awaitConnected(5);
        assertThat(p.candidatesOfA).hasSize(1).allMatch(c -> c.type() == IceCandidateType.HOST && c.address().equals("127.0.0.1"));
        InetSocketAddress aAddr = p.a.localAddresses().get(0);
        InetSocketAddress bAddr = p.b.localAddresses().get(0);
        assertThat(aAddr.getAddress().isLoopbackAddress()).isTrue();

        List<byte[]> fromA = new ArrayList<>();
        List<byte[]> fromB = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] x = ByteBuffer.allocate(4 + i).put((byte) 0x80).put((byte) i).array();
            byte[] y = ByteBuffer.allocate(8 + i).put((byte) 0x81).putInt(i).array();
            fromA.add(x);
            fromB.add(y);
            TransportPair.sendOnLoop(p.a, x);
            TransportPair.sendOnLoop(p.b, y);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((p.receivedByB.size() < 200 || p.receivedByA.size() < 200) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
        assertThat(p.receivedByB).containsExactlyElementsOf(fromA);
        assertThat(p.receivedByA).containsExactlyElementsOf(fromB);
        // Off-loop send hops onto the loop.
        assertThat(p.a.send(ByteBuffer.wrap(new byte[] {(byte) 0x80, 1}))).isTrue();

        IceStats sa = p.a.stats();
        assertThat(sa.selectedPair().local().port()).isEqualTo(aAddr.getPort());
        assertThat(sa.selectedPair().remote().port()).isEqualTo(bAddr.getPort());
        assertThat(sa.traffic(IceStats.Wire.UDP).packetsSent()).isGreaterThanOrEqualTo(200);
        assertThat(sa.drops()).isEmpty();
        assertThat(p.writesOfA.snapshot().keySet()).containsExactly(bAddr);
        assertThat(p.writesOfB.snapshot().keySet()).containsExactly(aAddr);

        p.close();
        assertThat(p.a.connectionState()).isEqualTo(IceConnectionState.CLOSED);
        // The port is free again. NIO releases a closed channel's socket when its selector next flushes cancelled keys
        // (the loop's next select), so the port may stay taken a moment after the close future completes: wait for it.
        long freeBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(aAddr)) {
                assertThat(s.getLocalPort()).isEqualTo(aAddr.getPort());
                break;
            } catch (java.net.BindException e) {
                assertThat(System.nanoTime()).as("port %d released within 5 s of the close", aAddr.getPort()).isLessThan(freeBy);
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
    }
}
