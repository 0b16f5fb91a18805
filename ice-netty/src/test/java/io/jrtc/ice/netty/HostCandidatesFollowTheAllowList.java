package io.jrtc.ice.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceConfig;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Host candidates come only from the allow-list: explicit addresses, or the addresses of named interfaces (here
 * {@code lo}); and an IPv6-only allow-list ({@code ::1}) connects over IPv6.
 */
class HostCandidatesFollowTheAllowList {

    static MultiThreadIoEventLoopGroup group;

    @BeforeAll
    static void loops() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    }

    @Test
    void explicitAddressesAreUsedAsGiven() throws Exception {
        IceConfig c = IceConfig.builder().addBindAddress(InetAddress.getByName("127.0.0.1")).build();
        assertThat(IceTransport.bindAddresses(c)).containsExactly(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void namedInterfaceContributesItsAddressesOnly() throws Exception {
        IceConfig c = IceConfig.builder().bindInterfaces(List.of("lo")).build();
        List<InetAddress> addrs = IceTransport.bindAddresses(c);
        assertThat(addrs).isNotEmpty().allMatch(InetAddress::isLoopbackAddress);
        assertThat(IceTransport.bindAddresses(IceConfig.builder().bindInterfaces(List.of("no-such-if0")).build())).isEmpty();
    }

    @Test
    void ipv6LoopbackConnects() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        IceConfig c = IceConfig.builder().addBindAddress(v6).build();
        TransportPair p = new TransportPair(group, c, c);
        p.start();
        p.awaitConnected(5);
        assertThat(p.candidatesOfA).hasSize(1);
        IceCandidate cand = p.candidatesOfA.get(0);
        assertThat(InetAddress.getByName(cand.address())).isInstanceOf(Inet6Address.class);
        TransportPair.sendOnLoop(p.a, new byte[] {(byte) 0x80, 6});
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (p.receivedByB.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(p.receivedByB).hasSize(1);
        p.close();
    }
}
