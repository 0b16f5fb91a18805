package io.jrtc.perf.latency;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.datachannel.DataChannelState;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.client.SignalingMessage;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * jrtc's answering side of the side-by-side benchmark, in the harness's JVM so that its SCTP counters can be read and its
 * SCTP settings chosen (pacing on or off). It does what {@code ./jrtc echo} does for one data channel: answers every
 * offer, trickles its candidates after the answer, echoes every message, and pauses a channel's inbound side while the
 * channel's {@code bufferedAmount} is above 1 MiB (resumed at 256 KiB). (The perf module cannot use the CLI's
 * {@code EchoAgent}: the CLI depends on perf.)
 *
 * <p>Threads: signaling messages arrive on the signaling client's loop; each connection's callbacks and echoes run on
 * that connection's loop.
 */
final class JrtcEchoAnswerer implements AutoCloseable {

    private static final long HIGH = 1L << 20;
    private static final long LOW = 256L * 1024;

    private final PeerConnectionFactory factory = new PeerConnectionFactory();
    private final SignalingClient signaling;
    private final RtcConfiguration rtc;
    private final Map<String, PeerConnection> peers = new ConcurrentHashMap<>();
    final LongAdder sendFailures = new LongAdder();

    JrtcEchoAnswerer(URI ws, String id, InetAddress bind, SctpConfig sctp) {
        RtcConfiguration.Builder b = RtcConfiguration.builder().bindAddresses(List.of(bind));
        if (sctp != null) {
            b.sctpTuning(sctp);
        }
        rtc = b.build();
        signaling = new SignalingClient(SignalingClientConfig.builder(ws, id).build());
        signaling.onMessage(this::onSignal);
    }

    void start() throws Exception {
        signaling.connect().get(30, TimeUnit.SECONDS);
    }

    Optional<PeerConnection> peerConnection(String remote) {
        return Optional.ofNullable(peers.get(remote));
    }

    private void onSignal(SignalingMessage m) {
        switch (m) {
            case SignalingMessage.Offer o -> answer(o.from(), o.sdp());
            case SignalingMessage.Candidate c -> {
                PeerConnection pc = peers.get(c.from());
                if (pc != null) {
                    pc.addIceCandidate(new RtcIceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
                }
            }
            case SignalingMessage.Bye b -> {
                PeerConnection pc = peers.remove(b.from());
                if (pc != null) {
                    pc.execute(pc::close);
                }
            }
            default -> {
            }
        }
    }

    private void answer(String from, String sdp) {
        PeerConnection old = peers.remove(from);
        if (old != null) {
            old.execute(old::close);
        }
        PeerConnection pc = factory.createPeerConnection(rtc);
        peers.put(from, pc);
        List<RtcIceCandidate> held = new ArrayList<>();
        boolean[] answered = {false};
        pc.onIceCandidate(c -> {
            if (!answered[0]) {
                held.add(c);
            } else {
                sendCandidate(from, c);
            }
        });
        pc.onDataChannel(this::echo);
        pc.execute(() -> pc.setRemoteDescription(RtcSessionDescription.offer(sdp))
                .thenCompose(v -> pc.createAnswer())
                .thenCompose(a -> pc.setLocalDescription(a).thenApply(v -> a))
                .whenComplete((a, e) -> pc.execute(() -> {
                    if (e != null) {
                        System.err.println("cannot answer " + from + ": " + e);
                        return;
                    }
                    signaling.sendAnswer(from, a.sdp());
                    answered[0] = true;
                    held.forEach(c -> sendCandidate(from, c));
                    held.clear();
                })));
    }

    private void sendCandidate(String to, RtcIceCandidate c) {
        if (c.isEndOfCandidates()) {
            signaling.sendEndOfCandidates(to, c.sdpMid(), c.sdpMLineIndex());
        } else {
            signaling.sendCandidate(to, c.candidate(), c.sdpMid(), c.sdpMLineIndex());
        }
    }

    private void echo(DataChannel ch) {
        ch.setBufferedAmountLowThreshold(LOW);
        ch.onBufferedAmountLow(() -> {
            if (ch.isPaused()) {
                ch.resume();
            }
        });
        ch.onMessage((DataChannelMessage m) -> {
            if (ch.readyState() != DataChannelState.OPEN) {
                return;
            }
            try {
                if (m.isBinary()) {
                    ch.send(m);
                } else {
                    ch.send(m.text());
                }
                if (ch.bufferedAmount() > HIGH && !ch.isPaused()) {
                    ch.pause();
                }
            } catch (RuntimeException e) {
                sendFailures.increment();
            }
        });
    }

    @Override
    public void close() {
        peers.values().forEach(pc -> pc.execute(pc::close));
        peers.clear();
        signaling.close();
        factory.close();
    }
}
