package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A network outage on the one path of a connection, shorter than the consent timeout: ICE goes {@code disconnected},
 * then {@code connected} again on the same pair when consent answers return. SCTP's T3-rtx timer backed off during
 * the outage (400 ms doubling: expiries 0.4, 1.2, 2.8, 6.0, 12.4 s after the first loss), so without being told it
 * would wait for the next expiry: 5 s and more after a 7 s outage. It is told (as on a path change) and retransmits
 * at once. Found by failover drill C (deploy-tests, {@code DrillCNetworkPartition}): two mesh agents cut apart for
 * 15 s took 10.5 s after healing to deliver again.
 *
 * <p>The two connections talk through a UDP middlebox in this test (each side is given only the middlebox's address
 * as the other's candidate), which drops everything while cut.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SctpResumesAtOnceWhenConsentReturns {

    @Test
    void echoesResumeWithin2sOfAPathOutageEndingWhileBothEndsStillHoldTheLink() throws Exception {
        IceConfig consent = IceConfig.builder().consentInterval(Duration.ofMillis(250))
                .disconnectedTimeout(Duration.ofSeconds(1)).consentTimeout(Duration.ofSeconds(30)).build();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2);
             Middlebox box = new Middlebox()) {
            PeerConnection offerer = factory.createPeerConnection(LoopbackPair.base().iceTuning(consent).build());
            PeerConnection answerer = factory.createPeerConnection(LoopbackPair.base().iceTuning(consent).build());
            LoopbackPair p = new LoopbackPair(offerer, answerer);
            offerer.onIceCandidate(c -> box.forOfferer(c).ifPresent(answerer::addIceCandidate)); // replaces the pair's
            answerer.onIceCandidate(c -> box.forAnswerer(c).ifPresent(offerer::addIceCandidate));
            p.answererEchoes();
            DataChannel ch = offerer.createDataChannel("echo");
            List<Long> echoes = new CopyOnWriteArrayList<>();
            ch.onMessage(m -> echoes.add(System.nanoTime()));
            List<IceConnectionState> states = new CopyOnWriteArrayList<>();
            offerer.onIceConnectionStateChange(states::add);
            p.negotiate();
            ChannelTraffic.opened(offerer, ch).get(10, TimeUnit.SECONDS);

            AtomicInteger sent = new AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                if (sending.get()) {
                    ch.send("m" + sent.getAndIncrement());
                    offerer.eventLoop().schedule(tick[0], 50, TimeUnit.MILLISECONDS);
                }
            };
            offerer.execute(tick[0]);
            assertThat(await(Duration.ofSeconds(5), () -> echoes.size() > 20)).isTrue();

            box.cut(true);
            long cutAt = System.nanoTime();
            assertThat(await(Duration.ofSeconds(5), () -> states.contains(IceConnectionState.DISCONNECTED)))
                    .as("ICE disconnected during the outage: %s", states).isTrue();
            TimeUnit.NANOSECONDS.sleep(cutAt + TimeUnit.SECONDS.toNanos(7) - System.nanoTime()); // the outage itself
            int before = echoes.size();
            box.cut(false);
            long healedAt = System.nanoTime();
            assertThat(await(Duration.ofSeconds(10), () -> echoes.size() > before)).as("echoes after the outage").isTrue();
            double resumed = (echoes.get(before) - healedAt) / 1e9;
            assertThat(states.getLast()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
            assertThat(offerer.selectedCandidatePair()).isPresent();
            System.out.printf(java.util.Locale.ROOT, "first echo %.3f s after a 7 s outage ended; ICE states %s%n",
                    resumed, states);
            assertThat(resumed).as("outage end to the first echo (s)").isLessThan(2.0);
            sending.set(false);
            offerer.close();
            answerer.close();
        }
    }

    private static boolean await(Duration timeout, java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (c.getAsBoolean()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(10); // polling interval of a condition with a deadline
        }
        return c.getAsBoolean();
    }

    /**
     * Two UDP sockets on 127.0.0.1: {@code towardsOfferer} stands for the answerer in the offerer's eyes and
     * {@code towardsAnswerer} for the offerer in the answerer's. What one receives leaves from the other to the
     * real address of the opposite connection (learnt from its candidates); nothing passes while cut.
     */
    private static final class Middlebox implements AutoCloseable {
        private final DatagramSocket towardsOfferer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        private final DatagramSocket towardsAnswerer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        private volatile SocketAddress offerer;
        private volatile SocketAddress answerer;
        private volatile boolean cut;

        Middlebox() throws SocketException {
            start(towardsOfferer, towardsAnswerer, true);
            start(towardsAnswerer, towardsOfferer, false);
        }

        void cut(boolean on) {
            cut = on;
        }

        /** The offerer's UDP host candidate, rewritten to the middlebox's socket the answerer sends to. */
        java.util.Optional<RtcIceCandidate> forOfferer(RtcIceCandidate c) {
            return rewrite(c, towardsAnswerer, a -> offerer = a);
        }

        java.util.Optional<RtcIceCandidate> forAnswerer(RtcIceCandidate c) {
            return rewrite(c, towardsOfferer, a -> answerer = a);
        }

        private static java.util.Optional<RtcIceCandidate> rewrite(RtcIceCandidate c, DatagramSocket via,
                java.util.function.Consumer<SocketAddress> real) {
            if (c.isEndOfCandidates()) {
                return java.util.Optional.of(c);
            }
            String[] f = c.candidate().split(" ");
            if (!f[2].equalsIgnoreCase("udp") || !c.candidate().contains(" typ host")) {
                return java.util.Optional.empty(); // the one path is through the middlebox
            }
            real.accept(new InetSocketAddress(f[4], Integer.parseInt(f[5])));
            f[4] = via.getLocalAddress().getHostAddress();
            f[5] = Integer.toString(via.getLocalPort());
            return java.util.Optional.of(new RtcIceCandidate(String.join(" ", f), c.sdpMid(), c.sdpMLineIndex(),
                    c.usernameFragment()));
        }

        private void start(DatagramSocket in, DatagramSocket out, boolean fromOfferer) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[2048];
                while (!in.isClosed()) {
                    DatagramPacket d = new DatagramPacket(buf, buf.length);
                    try {
                        in.receive(d);
                        SocketAddress to = fromOfferer ? answerer : offerer;
                        if (!cut && to != null) {
                            out.send(new DatagramPacket(d.getData(), d.getOffset(), d.getLength(), to));
                        }
                    } catch (java.io.IOException e) {
                        return; // closed
                    }
                }
            }, "middlebox");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            towardsOfferer.close();
            towardsAnswerer.close();
        }
    }
}
