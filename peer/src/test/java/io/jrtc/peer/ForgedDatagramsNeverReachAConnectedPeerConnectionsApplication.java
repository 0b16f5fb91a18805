package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpSender;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Jazzer target for a connected PeerConnection's packet demultiplexer (RFC 7983: first byte 0-3 STUN, 20-63 DTLS,
 * 128-191 SRTP/SRTCP, anything else dropped) and the parsers behind it, fed over real UDP on 127.0.0.1.
 *
 * <p>Setup, once per JVM (Jazzer runs every input in one JVM, so the static pair is reused): connection A (the target)
 * and B with a data channel and an audio track each way. Their candidates are exchanged through a two-socket UDP
 * relay: A is told B lives at the relay's socket {@code toA} and B that A lives at {@code toB}, and the relay forwards
 * between them. So A's selected pair ends at {@code toA}, and a datagram sent from {@code toA} arrives at A from the
 * authentic remote address and port of its selected pair, exactly like one from B: a forgery no plain socket could
 * otherwise make, and the only kind that reaches the demultiplexer (ICE drops non-STUN from unknown sources).
 *
 * <p>Input: up to {@value #MAX_DATAGRAMS} datagrams, each a header byte (bit 7: from an off-path socket instead of the
 * authentic address), a 16-bit length and that many bytes (fewer if the input ends). Contract after each input: no
 * warning or error was logged (an exception in A's event loop is logged, not thrown to the sender), A and B are still
 * {@code CONNECTED}, A's application got no data channel, track, message or RTP packet that B did not send, and a
 * message A sends afterwards is echoed by B while an RTP packet B sends arrives intact.
 */
class ForgedDatagramsNeverReachAConnectedPeerConnectionsApplication {

    private static final int MAX_DATAGRAMS = 4;
    private static final int MAX_DATAGRAM = 1400;
    private static final long WAIT_SECONDS = 10;

    private static Setup setup;

    /** The connected pair, the relay between them and what A's application received. */
    private static final class Setup implements AutoCloseable {
        final PeerConnectionFactory factory = new PeerConnectionFactory(2);
        final PeerConnection a;
        final PeerConnection b;
        final Relay relay;
        final DatagramSocket offPath;
        final DataChannel channel;
        final RtpSender audioFromB;
        final BlockingQueue<String> messagesAtA = new LinkedBlockingQueue<>();
        final BlockingQueue<String> rtpAtA = new LinkedBlockingQueue<>();
        final AtomicInteger channelsAtA = new AtomicInteger();
        final AtomicInteger tracksAtA = new AtomicInteger();
        final CapturedLog log = CapturedLog.start();
        InetSocketAddress addressOfA;
        int round;
        long forgedAuthentic;
        long forgedOffPath;
        int logLinesAtSetup;

        Setup() throws Exception {
            a = factory.createPeerConnection(LoopbackPair.base().build());
            b = factory.createPeerConnection(LoopbackPair.base().build());
            relay = new Relay();
            offPath = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            a.onIceCandidate(c -> {
                RtcIceCandidate r = relay.rewrite(c, true);
                if (r != null) {
                    b.addIceCandidate(r);
                }
            });
            b.onIceCandidate(c -> {
                RtcIceCandidate r = relay.rewrite(c, false);
                if (r != null) {
                    a.addIceCandidate(r);
                }
            });
            a.onDataChannel(ch -> channelsAtA.incrementAndGet());
            a.onTrack(t -> {
                tracksAtA.incrementAndGet();
                t.receiver().onRtp(e -> rtpAtA.add(new String(e.payloadCopy(), StandardCharsets.ISO_8859_1)));
            });
            b.onDataChannel(ch -> ch.onMessage(m -> ch.send(m.text())));
            channel = a.createDataChannel("fuzz");
            a.addTrack(MediaKind.AUDIO);
            audioFromB = b.addTrack(MediaKind.AUDIO);
            RtcSessionDescription offer = a.createOffer().get(WAIT_SECONDS, TimeUnit.SECONDS);
            a.setLocalDescription(offer).get(WAIT_SECONDS, TimeUnit.SECONDS);
            b.setRemoteDescription(withoutCandidates(offer)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            RtcSessionDescription answer = b.createAnswer().get(WAIT_SECONDS, TimeUnit.SECONDS);
            b.setLocalDescription(answer).get(WAIT_SECONDS, TimeUnit.SECONDS);
            a.setRemoteDescription(withoutCandidates(answer)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            a.execute(() -> channel.onMessage(m -> messagesAtA.add(m.text())));
            ChannelTraffic.opened(a, channel).get(WAIT_SECONDS, TimeUnit.SECONDS);
            // B installs its SRTP keys when DTLS connects, before its SCTP can answer A's: it can send by now.
            CompletableFuture<Boolean> canSend = new CompletableFuture<>();
            b.execute(() -> canSend.complete(audioFromB.canSend()));
            assertThat(canSend.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("B's audio sender has SRTP keys").isTrue();
            assertThat(a.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
            assertThat(tracksAtA.get()).isEqualTo(1);
            addressOfA = relay.a;
            // A's selected pair ends at the relay's socket: what that socket sends comes from A's authentic remote.
            io.jrtc.ice.IceCandidate remote = a.selectedCandidatePair().orElseThrow().remote();
            assertThat(new InetSocketAddress(remote.address(), remote.port()))
                    .isEqualTo(new InetSocketAddress(relay.toA.getLocalAddress(), relay.toA.getLocalPort()));
            roundTrip();
            logLinesAtSetup = log.size();
        }

        @Override
        public void close() {
            a.close();
            b.close();
            factory.close();
            relay.toA.close();
            relay.toB.close();
            offPath.close();
            log.close();
        }

        /** A sends a message B echoes while B sends an RTP packet: both arrive, exactly once, and nothing else does. */
        void roundTrip() throws Exception {
            int k = round++;
            String probe = "probe " + k;
            String rtp = "rtp " + k;
            CompletableFuture<Boolean> rtpSent = new CompletableFuture<>();
            b.execute(() -> rtpSent.complete(audioFromB.sendRtp("opus", 960L * k, false,
                    ByteBuffer.wrap(rtp.getBytes(StandardCharsets.ISO_8859_1)))));
            a.execute(() -> channel.send(probe));
            assertThat(rtpSent.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("B could send RTP").isTrue();
            assertThat(messagesAtA.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("the echo of %s", probe).isEqualTo(probe);
            assertThat(rtpAtA.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("B's RTP packet %s", rtp).isEqualTo(rtp);
            assertThat(messagesAtA).as("messages nobody sent").isEmpty();
            assertThat(rtpAtA).as("RTP packets nobody sent").isEmpty();
        }
    }

    /**
     * Two sockets between A and B: {@code toA} faces A and stands for B, {@code toB} faces B and stands for A.
     * What arrives on one from its peer leaves by the other, so each side sees the other at the relay's address.
     */
    private static final class Relay {
        final DatagramSocket toA;
        final DatagramSocket toB;
        volatile InetSocketAddress a;
        volatile InetSocketAddress b;

        Relay() throws SocketException {
            toA = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            toB = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            forward(toA, toB, true);
            forward(toB, toA, false);
        }

        private void forward(DatagramSocket in, DatagramSocket out, boolean fromA) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[2048];
                while (true) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        in.receive(p);
                        InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
                        InetSocketAddress to = fromA ? b : a;
                        if (to != null && from.equals(fromA ? a : b)) {
                            out.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), to));
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "relay-" + (fromA ? "a-to-b" : "b-to-a"));
            t.setDaemon(true);
            t.start();
        }

        /**
         * The candidate as the other side should see it: a UDP host candidate's address becomes the relay socket
         * standing for its owner (and the owner's real address is remembered); anything else is not passed on.
         */
        RtcIceCandidate rewrite(RtcIceCandidate c, boolean ofA) {
            if (c.isEndOfCandidates()) {
                return c;
            }
            String[] f = c.candidate().split(" ");
            if (f.length < 8 || !f[2].equalsIgnoreCase("udp") || !f[7].equals("host")) {
                return null;
            }
            InetSocketAddress real = new InetSocketAddress(f[4], Integer.parseInt(f[5]));
            DatagramSocket standIn = ofA ? toB : toA;
            if (ofA) {
                a = real;
            } else {
                b = real;
            }
            f[4] = standIn.getLocalAddress().getHostAddress();
            f[5] = Integer.toString(standIn.getLocalPort());
            return new RtcIceCandidate(String.join(" ", f), c.sdpMid(), c.sdpMLineIndex(), c.usernameFragment());
        }
    }

    private static RtcSessionDescription withoutCandidates(RtcSessionDescription d) {
        StringBuilder sb = new StringBuilder();
        for (String line : d.sdp().split("\r\n")) {
            if (!line.startsWith("a=candidate:")) {
                sb.append(line).append("\r\n");
            }
        }
        return new RtcSessionDescription(d.type(), sb.toString());
    }

    private static Setup setup() throws Exception {
        if (setup == null) {
            setup = new Setup();
        }
        return setup;
    }

    /** The datagrams of one input, in order: {@code [header, length hi, length lo, bytes...]*}. */
    static List<byte[]> datagrams(byte[] input, List<Boolean> offPath) {
        ByteBuffer in = ByteBuffer.wrap(input);
        List<byte[]> out = new ArrayList<>();
        while (in.hasRemaining() && out.size() < MAX_DATAGRAMS) {
            int header = in.get() & 0xFF;
            int len = in.remaining() >= 2 ? in.getShort() & 0xFFFF : 0;
            len = Math.min(Math.min(len, in.remaining()), MAX_DATAGRAM);
            byte[] d = new byte[len];
            in.get(d);
            out.add(d);
            offPath.add((header & 0x80) != 0);
        }
        return out;
    }

    @AfterAll
    static void reportAndClose() {
        if (setup != null) {
            System.out.printf("%d inputs: %d datagrams forged from the authentic remote, %d from off-path; %d echo and RTP"
                    + " round trips; %d log lines meanwhile%n", setup.round - 1, setup.forgedAuthentic, setup.forgedOffPath,
                    setup.round, setup.log.size() - setup.logLinesAtSetup);
            setup.close();
            setup = null;
        }
    }

    /**
     * The harness's two sources are what they claim: datagrams from the relay's socket arrive on A's selected pair (ICE
     * counts them and passes them on to the demultiplexer), datagrams from the off-path socket do not.
     */
    @Test
    void forgeriesFromTheRelayArriveOnTheSelectedPairAndOffPathOnesDoNot() throws Exception {
        Setup s = setup();
        byte[] unknown = {0x40, 1, 2, 3};
        long before = selectedPairPacketsReceived(s.a);
        for (int i = 0; i < 50; i++) {
            s.relay.toA.send(new DatagramPacket(unknown, unknown.length, s.addressOfA));
        }
        s.roundTrip();
        long afterAuthentic = selectedPairPacketsReceived(s.a);
        for (int i = 0; i < 50; i++) {
            s.offPath.send(new DatagramPacket(unknown, unknown.length, s.addressOfA));
        }
        s.roundTrip();
        long afterOffPath = selectedPairPacketsReceived(s.a);
        assertThat(afterAuthentic - before).as("received on the selected pair").isGreaterThanOrEqualTo(50 + 2);
        assertThat(afterOffPath - afterAuthentic).as("received on the selected pair").isLessThan(50);
        assertThat(s.a.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
    }

    private static long selectedPairPacketsReceived(PeerConnection pc) throws Exception {
        return pc.getStats().get(WAIT_SECONDS, TimeUnit.SECONDS).selectedCandidatePair().orElseThrow().packetsReceived();
    }

    @FuzzTest(maxDuration = "60s")
    void datagrams(byte[] input) throws Exception {
        Setup s = setup();
        int logBefore = s.log.size();
        List<Boolean> offPath = new ArrayList<>();
        List<byte[]> forged = datagrams(input, offPath);
        for (int i = 0; i < forged.size(); i++) {
            DatagramSocket from = offPath.get(i) ? s.offPath : s.relay.toA;
            if (offPath.get(i)) {
                s.forgedOffPath++;
            } else {
                s.forgedAuthentic++;
            }
            from.send(new DatagramPacket(forged.get(i), forged.get(i).length, s.addressOfA));
        }
        // The forged datagrams are queued at A's socket before anything of this round trip: once its echo is back,
        // A has handled every one of them.
        s.roundTrip();
        assertThat(s.a.connectionState()).as("A after forged datagrams").isEqualTo(RtcPeerConnectionState.CONNECTED);
        assertThat(s.b.connectionState()).as("B after forged datagrams").isEqualTo(RtcPeerConnectionState.CONNECTED);
        assertThat(s.channelsAtA.get()).as("data channels announced to A").isZero();
        assertThat(s.tracksAtA.get()).as("tracks announced to A").isEqualTo(1);
        assertThat(CapturedLog.warnings(s.log.linesSince(logBefore))).as("warnings and errors logged").isEmpty();
    }
}
