package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.signaling.client.ConnectionState;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.client.SignalingMessage;
import io.jrtc.signaling.server.ErrorCode;
import io.jrtc.signaling.server.SignalingServer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 1,000 agents each send the echo agent one offer (a valid SDP whose candidates never come) while a healthy peer is
 * connected and echoing. The agent sheds what it cannot serve (a bye, no peer connection), is never cut off by the
 * server (it paces its own signaling), loses no echo of the healthy peer, stays under stated heap and thread bounds,
 * and serves a new peer normally once the flood has gone.
 */
class EchoAgentSurvivesAFloodOfOffersFromAThousandIds {

    private static final Logger LOG = LoggerFactory.getLogger(EchoAgentSurvivesAFloodOfOffersFromAThousandIds.class);
    private static final int FLOODERS = 1000;
    /**
     * Stated bounds, over the figures before the flood. The heap after GC includes the 1,000 flooding clients of this
     * JVM (each tracks the ~1,000 agents present), the server's 1,000 sessions and the echo agent; measured: +106 MiB
     * during the flood, +43 MiB once it has left.
     */
    private static final long MAX_HEAP_GROWTH_BYTES = 256L * 1024 * 1024;
    private static final long MAX_HEAP_GROWTH_AFTER_RECOVERY_BYTES = 128L * 1024 * 1024;
    private static final int MAX_THREAD_GROWTH = 64;

    private Loopback net;
    private SignalingServer server;
    private EchoAgent echo;
    private MultiThreadIoEventLoopGroup floodGroup;

    @BeforeEach
    void start() throws Exception {
        net = new Loopback();
        server = net.startServer(0);
        echo = net.echo(server, "echo");
        floodGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() throws Exception {
        net.close();
        floodGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static long heapUsed() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static int threadCount() {
        return Thread.getAllStackTraces().size();
    }

    @Test
    void floodOfOffersIsShedWhileTheHealthyPeerKeepsItsEchoes() throws Exception {
        List<ConnectionState> echoStates = new java.util.concurrent.CopyOnWriteArrayList<>();
        echo.onSignalingStateChange(echoStates::add);
        RawOfferer healthy = net.track(new RawOfferer(net.factory, Loopback.config(server, "healthy").build(), "echo"));
        DataChannel ch = healthy.newSession();
        assertThat(healthy.roundTrip(ch, "before")).isEqualTo("before");

        // one valid offer SDP (a real one, from a connection that is then closed): its candidates never come
        PeerConnection donor = net.factory.createPeerConnection(RtcConfiguration.builder()
                .addBindAddress(Loopback.LOOPBACK).build());
        donor.createDataChannel("x");
        String sdp = donor.createOffer(false).get(5, TimeUnit.SECONDS).sdp();
        donor.close();

        System.gc();
        long heapBefore = heapUsed();
        int threadsBefore = threadCount();

        List<SignalingClient> flooders = new ArrayList<>();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        Set<String> byes = ConcurrentHashMap.newKeySet();
        AtomicInteger errors = new AtomicInteger();
        java.util.Map<String, Integer> errorCodes = new ConcurrentHashMap<>();
        Set<String> responded = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < FLOODERS; i++) {
            String id = "flood-" + i;
            SignalingClient c = new SignalingClient(SignalingClientConfig.builder(Loopback.ws(server), id)
                    .eventLoopGroup(floodGroup).build());
            c.onMessage(m -> {
                switch (m) {
                    case SignalingMessage.Answer a -> {
                        answered.add(id);
                        responded.add(id);
                    }
                    case SignalingMessage.Bye b -> {
                        byes.add(id);
                        responded.add(id);
                    }
                    case SignalingMessage.Error e -> {
                        errors.incrementAndGet();
                        errorCodes.merge(e.code(), 1, Integer::sum);
                    }
                    default -> { }
                }
            });
            flooders.add(c);
        }
        long t0 = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<?>> regs = new ArrayList<>();
        for (SignalingClient c : flooders) {
            regs.add(c.connect().thenCompose(r -> c.sendOffer("echo", sdp)));
        }
        // during the flood the healthy peer keeps echoing: every message comes back
        int echoes = 0;
        long peakHeap = 0;
        int peakThreads = 0;
        while (!java.util.concurrent.CompletableFuture.allOf(regs.toArray(java.util.concurrent.CompletableFuture[]::new))
                .isDone() || echoes < 50) {
            String text = "during-" + echoes;
            assertThat(healthy.roundTrip(ch, text)).as("echo %d during the flood", echoes).isEqualTo(text);
            echoes++;
            peakHeap = Math.max(peakHeap, heapUsed());
            peakThreads = Math.max(peakThreads, threadCount());
            assertThat(System.nanoTime() - t0).as("flood sent within 180 s").isLessThan(180_000_000_000L);
        }
        // every flooder gets an answer or a bye, unless its bye was shed for lack of queue room (counted)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (responded.size() + echo.shedOffersWithoutBye() < FLOODERS
                && System.nanoTime() < deadline) {
            String text = "after-" + echoes;
            assertThat(healthy.roundTrip(ch, text)).isEqualTo(text);
            echoes++;
            peakHeap = Math.max(peakHeap, heapUsed());
            peakThreads = Math.max(peakThreads, threadCount());
        }
        double floodSeconds = (System.nanoTime() - t0) / 1e9;
        System.gc();
        long heapAfterGc = heapUsed();
        LOG.info("FLOOD: {} offers in {} s: {} with a response ({} answered, {} byes, some both: answered, then closed "
                        + "unconnected after 30 s), {} shed without bye, errors to flooders {}; {} echoes of the healthy "
                        + "peer, none lost; heap after GC {} MiB before, {} MiB after the flood ({} MiB peak used incl. "
                        + "garbage); threads {} before, {} peak; echo agent signaling states {}; server rate_limited {}",
                FLOODERS, String.format("%.1f", floodSeconds), responded.size(), answered.size(), byes.size(),
                echo.shedOffersWithoutBye(), errorCodes, echoes, heapBefore >> 20, heapAfterGc >> 20, peakHeap >> 20,
                threadsBefore, peakThreads, echoStates,
                server.meterRegistry().get("jrtc.signaling.errors").tag("code", ErrorCode.RATE_LIMITED.wire())
                        .counter().count());
        assertThat(responded.size() + echo.shedOffersWithoutBye())
                .as("every offer answered, refused with a bye, or counted as shed").isEqualTo(FLOODERS);
        assertThat(echoStates).as("the echo agent is never cut off signaling").isEmpty();
        assertThat(echo.signalingState()).isEqualTo(ConnectionState.REGISTERED);
        assertThat(server.meterRegistry().get("jrtc.signaling.errors").tag("code", ErrorCode.RATE_LIMITED.wire())
                .counter().count()).isZero();
        assertThat(heapAfterGc - heapBefore).as("heap growth after GC").isLessThan(MAX_HEAP_GROWTH_BYTES);
        assertThat(peakThreads - threadsBefore).as("thread growth").isLessThan(MAX_THREAD_GROWTH);

        // the flood goes: its connecting peers go with it, and a new peer is served normally
        for (SignalingClient c : flooders) {
            c.closeAsync();
        }
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (echo.stats().peersCreated() - echo.stats().peersClosed() != 1) {
            assertThat(System.nanoTime()).as("only the healthy peer left within 30 s: %s", echo.stats()).isLessThan(until);
            assertThat(healthy.roundTrip(ch, "draining")).isEqualTo("draining"); // also paces this loop
        }
        assertThat(healthy.roundTrip(ch, "after the flood")).isEqualTo("after the flood");
        RawOfferer late = net.track(new RawOfferer(net.factory, Loopback.config(server, "late").build(), "echo"));
        DataChannel lateCh = late.newSession();
        assertThat(late.roundTrip(lateCh, "new peer after the flood")).isEqualTo("new peer after the flood");
        System.gc();
        long heapRecovered = heapUsed();
        LOG.info("FLOOD: after recovery heap {} MiB, threads {}", heapRecovered >> 20, threadCount());
        assertThat(heapRecovered - heapBefore).as("heap growth after recovery").isLessThan(MAX_HEAP_GROWTH_AFTER_RECOVERY_BYTES);
        assertThat(threadCount() - threadsBefore).as("threads after recovery").isLessThan(MAX_THREAD_GROWTH);
    }
}
