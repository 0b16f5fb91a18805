package io.jrtc.ice.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceCredentials;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edge's life cycle on 127.0.0.1: closing while sockets are still being bound, and an ICE restart of two
 * connected transports while numbered messages keep flowing (nothing lost, order kept, a new pair selected).
 */
class EdgeLifecycleOnLoopback {

    static MultiThreadIoEventLoopGroup group;

    @BeforeAll
    static void loops() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    }

    static IceConfig config() {
        return IceConfig.builder().addBindAddress(InetAddress.getLoopbackAddress()).build();
    }

    @Test
    void closeDuringGatheringCompletesCleanly() throws Exception {
        for (int i = 0; i < 20; i++) {
            IceTransport t = new IceTransport(group.next(), config());
            CompletableFuture<Void> gathering = t.startGathering();
            CompletableFuture<Void> closed = t.close();
            closed.get(5, TimeUnit.SECONDS);
            gathering.get(5, TimeUnit.SECONDS);
            assertThat(t.connectionState()).isEqualTo(IceConnectionState.CLOSED);
        }
    }

    @Test
    void restartWhileDataFlowsLosesNothing() throws Exception {
        TransportPair p = new TransportPair(group, config(), config());
        List<Object> selectedA = new CopyOnWriteArrayList<>();
        p.a.onSelectedPairChange(selectedA::add);
        p.start();
        p.awaitConnected(5);
        int total = 600;
        CompletableFuture<Void> sent = new CompletableFuture<>();
        // One message per millisecond from each side, from their own loops.
        int[] counter = {0};
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            int k = counter[0]++;
            p.a.send(ByteBuffer.allocate(8).putInt(0x80000000).putInt(k).flip());
            p.b.eventLoop().execute(() -> p.b.send(ByteBuffer.allocate(8).putInt(0x81000000).putInt(k).flip()));
            if (counter[0] < total) {
                p.a.eventLoop().schedule(tick[0], 1, TimeUnit.MILLISECONDS);
            } else {
                sent.complete(null);
            }
        };
        p.a.eventLoop().execute(tick[0]);
        Thread.sleep(150);
        IceCredentials aNew = p.a.restart().get(5, TimeUnit.SECONDS);
        p.b.setRemoteCredentials(aNew);
        IceCredentials bNew = p.b.restart().get(5, TimeUnit.SECONDS);
        p.a.setRemoteCredentials(bNew);
        sent.get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((p.receivedByB.size() < total || p.receivedByA.size() < total) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(p.receivedByB).hasSize(total);
        assertThat(p.receivedByA).hasSize(total);
        for (int i = 0; i < total; i++) {
            assertThat(ByteBuffer.wrap(p.receivedByB.get(i)).getInt(4)).isEqualTo(i);
            assertThat(ByteBuffer.wrap(p.receivedByA.get(i)).getInt(4)).isEqualTo(i);
        }
        // Wait for the new generation's selection (it may land after the last message).
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (selectedA.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(selectedA).hasSizeGreaterThanOrEqualTo(2);
        assertThat(p.a.localCredentials()).isEqualTo(aNew);
        assertThat(p.a.connectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
        p.close();
    }
}
