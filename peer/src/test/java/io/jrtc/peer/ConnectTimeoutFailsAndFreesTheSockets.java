package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.ice.IceGatheringState;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link RtcLimits#connectTimeout()}: an answerer whose offerer never sends a candidate (nor receives the answer) fails
 * after the timeout, logs one WARN line naming the cause, releases the UDP ports it bound, and calls back nothing after
 * {@code FAILED}; a connection that comes up in time is not touched by the timer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectTimeoutFailsAndFreesTheSockets {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** For the pair that must connect in time: a loaded machine's first connection in a JVM can take over a second. */
    private static final Duration GENEROUS_TIMEOUT = Duration.ofSeconds(5);

    private PeerConnectionFactory factory;

    @BeforeAll
    void start() {
        factory = new PeerConnectionFactory(2);
        factory.prewarm().join();
    }

    @AfterAll
    void stop() {
        factory.close();
    }

    @Test
    void anOfferWhoseCandidatesNeverComeFailsAndReleasesItsPorts() throws Exception {
        PeerConnection offerer = factory.createPeerConnection(LoopbackPair.base().build());
        PeerConnection answerer = factory.createPeerConnection(LoopbackPair.base()
                .limits(RtcLimits.defaults().withConnectTimeout(TIMEOUT)).build());
        String logId = answerer.toString().substring(0, answerer.toString().indexOf('['));
        CapturedLog log = CapturedLog.start();
        try {
            List<Integer> ports = new CopyOnWriteArrayList<>();
            List<String> callbacks = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> gathered = new CompletableFuture<>();
            CompletableFuture<Long> failedAt = new CompletableFuture<>();
            CountDownLatch afterFailure = new CountDownLatch(1);
            java.util.function.Consumer<String> event = e -> {
                callbacks.add(e);
                if (failedAt.isDone()) {
                    afterFailure.countDown();
                }
            };
            answerer.onIceCandidate(c -> {
                event.accept("candidate " + c.candidate());
                if (!c.isEndOfCandidates() && c.candidate().toLowerCase(java.util.Locale.ROOT).contains(" udp ")) {
                    ports.add(Integer.parseInt(c.candidate().split(" ")[5]));
                }
            });
            answerer.onIceGatheringStateChange(s -> {
                event.accept("gathering " + s);
                if (s == IceGatheringState.COMPLETE) {
                    gathered.complete(null);
                }
            });
            answerer.onIceConnectionStateChange(s -> event.accept("ice " + s));
            answerer.onSignalingStateChange(s -> event.accept("signaling " + s));
            answerer.onDataChannel(ch -> event.accept("channel " + ch.label()));
            answerer.onConnectionStateChange(s -> {
                event.accept("connection " + s);
                if (s == RtcPeerConnectionState.FAILED) {
                    failedAt.complete(System.nanoTime());
                }
            });

            offerer.createDataChannel("never");
            RtcSessionDescription offer = offerer.createOffer().get(5, TimeUnit.SECONDS);
            offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
            long applied = System.nanoTime();
            answerer.setRemoteDescription(offer).get(5, TimeUnit.SECONDS);
            RtcSessionDescription answer = answerer.createAnswer().get(5, TimeUnit.SECONDS);
            answerer.setLocalDescription(answer).get(5, TimeUnit.SECONDS);
            // the answer never reaches the offerer, and no candidate of the offerer reaches the answerer

            gathered.get(5, TimeUnit.SECONDS);
            assertThat(ports).isNotEmpty();
            if (!failedAt.isDone()) {
                for (int port : ports) {
                    assertThat(bindable(port)).as("port %d while the connection holds it", port).isFalse();
                }
            }

            long failed = failedAt.get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(failed - applied)).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plusSeconds(3));
            assertThat(answerer.connectionState()).isEqualTo(RtcPeerConnectionState.FAILED);
            assertThat(factory.limitStats().connectTimeouts()).isEqualTo(1);
            assertThat(factory.limitStats().peerConnections()).as("the failed one gave its slot back").isEqualTo(1);

            // every port it bound is free again (the sockets close on the loop, just after the state change)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (int port : ports) {
                while (!bindable(port)) {
                    assertThat(System.nanoTime()).as("port %d still bound", port).isLessThan(deadline);
                    Thread.sleep(10);
                }
            }

            // nothing calls back after FAILED: no ICE, gathering, candidate or timer event (the ICE agent would
            // send checks and retransmit them, and DTLS/SCTP timers would fire, within this window)
            assertThat(afterFailure.await(2, TimeUnit.SECONDS)).as("callbacks after FAILED: %s", callbacks).isFalse();
            assertThat(callbacks.get(callbacks.size() - 1)).isEqualTo("connection FAILED");

            assertThatThrownBy(() -> answerer.createOffer().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(PeerConnectionException.InvalidState.class)
                    .hasMessageContaining("RtcLimits.connectTimeout");

            List<String> lines = log.messages("WARN", logId + ":");
            assertThat(lines).as("WARN lines of %s", logId).hasSize(1);
            assertThat(lines.get(0)).contains("not connected within 1000 ms of the first description",
                    "RtcLimits.connectTimeout", "connection failed, sockets and timers released");
        } finally {
            log.close();
            offerer.close();
            answerer.close();
        }
        assertThat(answerer.connectionState()).isEqualTo(RtcPeerConnectionState.CLOSED);
        assertThat(factory.limitStats().peerConnections()).isZero();
    }

    @Test
    void aConnectionUpInTimeKeepsRunningPastTheTimeout() throws Exception {
        long before = factory.limitStats().connectTimeouts();
        try (LoopbackPair p = new LoopbackPair(factory,
                b -> b.limits(RtcLimits.defaults().withConnectTimeout(GENEROUS_TIMEOUT)))) {
            p.answererEchoes();
            DataChannel ch = p.offerer.createDataChannel("in-time");
            List<RtcPeerConnectionState> later = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> connected = new CompletableFuture<>();
            CountDownLatch changed = new CountDownLatch(1);
            p.answerer.onConnectionStateChange(s -> {
                if (connected.isDone()) {
                    later.add(s);
                    changed.countDown();
                } else if (s == RtcPeerConnectionState.CONNECTED) {
                    connected.complete(null);
                }
            });
            long firstDescription = System.nanoTime();
            p.negotiate();
            connected.get(10, TimeUnit.SECONDS);
            ChannelTraffic.opened(p.offerer, ch).get(10, TimeUnit.SECONDS);
            // until a second past the timer's deadline: no state change, and traffic still flows
            long untilPastDeadline = firstDescription + GENEROUS_TIMEOUT.plusSeconds(1).toNanos() - System.nanoTime();
            assertThat(changed.await(untilPastDeadline, TimeUnit.NANOSECONDS)).as("changes %s", later).isFalse();
            p.assertConnected();
            ChannelTraffic.echoBinary(p.offerer, ch, 50, i -> 100 + i * 10, Duration.ofSeconds(10), i -> "echo " + i);
        }
        assertThat(factory.limitStats().connectTimeouts()).isEqualTo(before);
    }

    /** Whether a UDP socket can be bound to 127.0.0.1:{@code port} now (closed again at once). */
    private static boolean bindable(int port) throws SocketException {
        try (DatagramSocket s = new DatagramSocket(null)) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (BindException e) {
            return false;
        }
    }
}
