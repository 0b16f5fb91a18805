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
        List<IceConnectionState> states = outage(false);
        assertThat(states).contains(IceConnectionState.DISCONNECTED).doesNotContain(IceConnectionState.FAILED);
    }

    /**
     * The outage outlasts the consent timeout: ICE fails, and the offerer restarts ICE (as the mesh's link recovery
     * does) while the path is still dead. The restart connects again over the same pair once the outage ends (ICE
     * {@code failed}, {@code checking}, {@code connected}; no new selected pair): SCTP, whose T3-rtx timer backed off
     * all along, is told as well. Found by drill C: six mesh agents cut 3+3 for 30 s took 20.9 s after healing to
     * deliver across (the seventh T3 expiry, 50.8 s after the first loss), though every ICE restart had connected.
     */
    @Test
    void echoesResumeWithin2sOfAnOutageEndingAfterConsentExpiredAndIceWasRestarted() throws Exception {
        List<IceConnectionState> states = outage(true);
        assertThat(states).containsSubsequence(IceConnectionState.FAILED, IceConnectionState.CHECKING);
    }

    /**
     * Echoes every 50 ms through a middlebox cut for 7 s (with {@code restartAfterFailure}: consent times out after
     * 3 s, then ICE is restarted during the outage); asserts the first echo of a message sent during the outage within 2 s of its end.
     */
    private static List<IceConnectionState> outage(boolean restartAfterFailure) throws Exception {
        IceConfig consent = IceConfig.builder().consentInterval(Duration.ofMillis(250))
                .disconnectedTimeout(Duration.ofSeconds(1))
                .consentTimeout(Duration.ofSeconds(restartAfterFailure ? 3 : 30)).build();
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
            // echoes of messages sent since the cut: they need the offerer's own SCTP to retransmit (an echo the
            // answerer sent before the cut and retransmits would not tell)
            List<Long> late = new CopyOnWriteArrayList<>();
            AtomicInteger firstLate = new AtomicInteger(Integer.MAX_VALUE);
            ch.onMessage(m -> {
                echoes.add(System.nanoTime());
                if (Integer.parseInt(m.text().substring(1)) >= firstLate.get()) {
                    late.add(System.nanoTime());
                }
            });
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
            firstLate.set(sent.get());
            long cutAt = System.nanoTime();
            assertThat(await(Duration.ofSeconds(5), () -> states.contains(IceConnectionState.DISCONNECTED)))
                    .as("ICE disconnected during the outage: %s", states).isTrue();
            if (restartAfterFailure) {
                assertThat(await(Duration.ofSeconds(5), () -> states.contains(IceConnectionState.FAILED)))
                        .as("ICE failed (consent expired) during the outage: %s", states).isTrue();
                offerer.restartIce();
                restart(offerer, answerer, box); // signaling still works; the restart's checks go nowhere until the end
            }
            TimeUnit.NANOSECONDS.sleep(cutAt + TimeUnit.SECONDS.toNanos(7) - System.nanoTime()); // the outage itself
            assertThat(late).as("echoes of messages sent during the outage, before its end").isEmpty();
            box.cut(false);
            long healedAt = System.nanoTime();
            assertThat(await(Duration.ofSeconds(10), () -> !late.isEmpty()))
                    .as("echoes of messages sent during the outage; ICE states %s", states).isTrue();
            double resumed = (late.getFirst() - healedAt) / 1e9;
            assertThat(await(Duration.ofSeconds(5), () -> states.getLast() == IceConnectionState.CONNECTED
                    || states.getLast() == IceConnectionState.COMPLETED)).as("ICE states %s", states).isTrue();
            assertThat(offerer.selectedCandidatePair()).isPresent();
            System.out.printf(java.util.Locale.ROOT, "first echo of the outage's messages %.3f s after a 7 s outage "
                    + "ended; ICE states %s%n",
                    resumed, states);
            assertThat(resumed).as("outage end to the first echo (s); ICE states %s", states).isLessThan(2.0);
            sending.set(false);
            offerer.close();
            answerer.close();
            return states;
        }
    }

    /**
     * Offer/answer of an ICE restart. The restart's candidates were gathered already, so the descriptions carry them:
     * rewritten through the middlebox like the trickled ones (they would name the real addresses, around it).
     */
    private static void restart(PeerConnection offerer, PeerConnection answerer, Middlebox box) throws Exception {
        RtcSessionDescription offer = offerer.createOffer().get(5, TimeUnit.SECONDS);
        offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
        answerer.setRemoteDescription(RtcSessionDescription.offer(through(offer.sdp(), box::forOfferer)))
                .get(5, TimeUnit.SECONDS);
        RtcSessionDescription answer = answerer.createAnswer().get(5, TimeUnit.SECONDS);
        answerer.setLocalDescription(answer).get(5, TimeUnit.SECONDS);
        offerer.setRemoteDescription(RtcSessionDescription.answer(through(answer.sdp(), box::forAnswerer)))
                .get(5, TimeUnit.SECONDS);
    }

    private static String through(String sdp, java.util.function.Function<RtcIceCandidate,
            java.util.Optional<RtcIceCandidate>> rewrite) {
        StringBuilder b = new StringBuilder();
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=candidate:")) {
                rewrite.apply(new RtcIceCandidate(line.substring(2), "0", 0))
                        .ifPresent(c -> b.append("a=").append(c.candidate()).append("\r\n"));
            } else {
                b.append(line).append("\r\n");
            }
        }
        return b.toString();
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
