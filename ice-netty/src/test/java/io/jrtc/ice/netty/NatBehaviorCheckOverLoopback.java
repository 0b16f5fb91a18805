package io.jrtc.ice.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.nat.NatBehaviorDiscovery;
import io.jrtc.ice.nat.NatBehaviorResult;
import io.jrtc.ice.nat.NatTest;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Netty runner over real UDP on loopback, without a STUN server: a silent socket gets exactly Rc copies of test
 * I, and the discovery ends as unreachable after the retransmission schedule; cancelling the future closes the socket.
 */
class NatBehaviorCheckOverLoopback {

    static MultiThreadIoEventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    }

    @Test
    void silentServerIsUnreachableAfterRcTransmissions() throws Exception {
        NatBehaviorDiscovery.Config config = new NatBehaviorDiscovery.Config(Duration.ofMillis(50), 3, 2,
                new SplittableRandom(1));
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            long t0 = System.nanoTime();
            NatBehaviorResult r = NatBehaviorCheck.run(group.next(), (InetSocketAddress) silent.getLocalSocketAddress(),
                    null, config).get(10, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - t0;

            assertThat(r.status()).isEqualTo(NatBehaviorResult.Status.SERVER_UNREACHABLE);
            assertThat(r.outcome(NatTest.TEST_I).transmissions()).isEqualTo(3);
            assertThat(r.local().getAddress()).isEqualTo(InetAddress.getLoopbackAddress()); // the route source
            assertThat(elapsed).isGreaterThanOrEqualTo(config.testTimeout().toNanos()); // 50 + 100 + 100 ms

            silent.setSoTimeout(200);
            byte[] first = null;
            int copies = 0;
            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
            try {
                while (true) {
                    silent.receive(p);
                    byte[] data = java.util.Arrays.copyOf(p.getData(), p.getLength());
                    assertThat(p.getSocketAddress()).isEqualTo(r.local());
                    if (first == null) {
                        first = data;
                    }
                    assertThat(data).isEqualTo(first);
                    copies++;
                }
            } catch (SocketTimeoutException drained) {
                // all copies read
            }
            assertThat(copies).isEqualTo(3);
        }
    }

    @Test
    void aBindAddressOfAnotherFamilyIsRefusedAtOnce() throws Exception {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NatBehaviorCheck.run(group.next(),
                new InetSocketAddress(InetAddress.getByName("::1"), 3478), InetAddress.getLoopbackAddress(),
                NatBehaviorDiscovery.Config.defaults())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("family");
    }

    @Test
    void cancellingClosesTheSocket() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CompletableFuture<NatBehaviorResult> f = NatBehaviorCheck.run(group.next(),
                    (InetSocketAddress) silent.getLocalSocketAddress(), InetAddress.getLoopbackAddress(),
                    NatBehaviorDiscovery.Config.defaults());
            silent.setSoTimeout(5000);
            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
            silent.receive(p); // test I arrived: the socket is bound
            InetSocketAddress client = (InetSocketAddress) p.getSocketAddress();
            assertThat(f.cancel(true)).isTrue();
            // once closed, the client's port can be bound again
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                try (DatagramSocket again = new DatagramSocket(client)) {
                    assertThat(again.getLocalPort()).isEqualTo(client.getPort());
                    break;
                } catch (java.net.BindException stillOpen) {
                    if (System.nanoTime() > deadline) {
                        throw stillOpen;
                    }
                    Thread.onSpinWait();
                }
            }
        }
    }
}
