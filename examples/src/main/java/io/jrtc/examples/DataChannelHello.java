package io.jrtc.examples;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.client.SignalingMessage;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two processes say hello over a data channel. One side offers, the other answers; the offer, the answer and the
 * trickled ICE candidates travel through a jrtc signaling server ({@link SignalingClient}). Each side sends
 * {@code "hello from <its id>"} when the channel opens and prints what it receives.
 *
 * <pre>
 * java -cp jrtc-examples.jar io.jrtc.signaling.server.SignalingServerMain --host 127.0.0.1 --port 8080
 * java -cp jrtc-examples.jar io.jrtc.examples.DataChannelHello answer ws://127.0.0.1:8080/ws bob alice
 * java -cp jrtc-examples.jar io.jrtc.examples.DataChannelHello offer  ws://127.0.0.1:8080/ws alice bob
 * </pre>
 *
 * <p>What it shows: {@link PeerConnectionFactory} and {@link RtcConfiguration} (bound to 127.0.0.1 here),
 * {@code createOffer}/{@code createAnswer}/{@code setLocalDescription}/{@code setRemoteDescription} as futures,
 * trickle ICE through {@code onIceCandidate} and {@code addIceCandidate}, {@code createDataChannel} on the offering
 * side and {@code onDataChannel} on the answering one, and the signaling client's typed messages.
 *
 * <p>Ending cleanly: when the answerer has the offerer's greeting (and has sent its own), it closes the channel. A
 * data channel closes by resetting its SCTP stream, which happens after the data queued before it, so each side's
 * {@code onClose} means both greetings have been delivered. Only then do the processes close their connections.
 */
public final class DataChannelHello {

    private static final Logger LOG = LoggerFactory.getLogger(DataChannelHello.class);

    /** Which side of the offer/answer exchange this process takes. */
    public enum Role { OFFER, ANSWER }

    /** What one side sent and received. */
    public record Result(String sent, String received) {
    }

    private DataChannelHello() {
    }

    /**
     * Runs one side: registers as {@code self}, connects to {@code peer} and exchanges greetings.
     *
     * @param timeout bounds the whole run (registration, the peer's arrival, connecting, the greetings, the close)
     * @return the greeting sent and the one received, once the channel closed after both were delivered
     */
    public static Result run(Role role, URI signaling, String self, String peer, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String greeting = "hello from " + self;
        CompletableFuture<String> received = new CompletableFuture<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        CompletableFuture<Void> peerPresent = new CompletableFuture<>();

        try (PeerConnectionFactory factory = new PeerConnectionFactory();
                SignalingClient signal = new SignalingClient(SignalingClientConfig.builder(signaling, self).build());
                PeerConnection pc = factory.createPeerConnection(RtcConfiguration.builder()
                        .addBindAddress(InetAddress.getLoopbackAddress())   // loopback only; omit for every interface
                        .build())) {
            // Trickle ICE: each local candidate goes to the peer as soon as it is gathered.
            pc.onIceCandidate(c -> {
                if (c.isEndOfCandidates()) {
                    signal.sendEndOfCandidates(peer, c.sdpMid(), c.sdpMLineIndex());
                } else {
                    signal.sendCandidate(peer, c.candidate(), c.sdpMid(), c.sdpMLineIndex());
                }
            });
            // Callbacks run on the connection's event loop; DataChannel methods are called from there too.
            AtomicBoolean greeted = new AtomicBoolean();
            Consumer<DataChannel> wire = ch -> {
                Runnable greet = () -> {
                    if (greeted.compareAndSet(false, true)) {
                        LOG.info("{}: channel '{}' open, sending \"{}\"", self, ch.label(), greeting);
                        ch.send(greeting);
                    }
                };
                ch.onOpen(greet);
                ch.onMessage(m -> {
                    received.complete(m.text());
                    if (role == Role.ANSWER) {
                        greet.run();            // (sent already, unless the peer's greeting came first)
                        ch.close();             // queued after our greeting: the peer gets both, then the close
                    }
                });
                ch.onClose(() -> closed.complete(null));
            };
            pc.onDataChannel(wire);

            signal.onMessage(m -> onSignal(m, pc, signal, peer, peerPresent));
            SignalingMessage.Registered registered = signal.connect().get(InProcess.remaining(deadline), TimeUnit.NANOSECONDS);
            LOG.info("{}: registered; present: {}", self, registered.connectedAgents());

            if (role == Role.OFFER) {
                if (registered.connectedAgents().contains(peer) || signal.presentAgents().contains(peer)) {
                    peerPresent.complete(null);
                }
                peerPresent.get(InProcess.remaining(deadline), TimeUnit.NANOSECONDS);
                wire.accept(pc.createDataChannel("hello"));
                RtcSessionDescription offer = pc.createOffer().get(InProcess.remaining(deadline), TimeUnit.NANOSECONDS);
                pc.setLocalDescription(offer).get(InProcess.remaining(deadline), TimeUnit.NANOSECONDS);
                signal.sendOffer(peer, offer.sdp());
            }
            String got = received.get(InProcess.remaining(deadline), TimeUnit.NANOSECONDS);
            closed.get(InProcess.remaining(deadline), TimeUnit.NANOSECONDS);
            return new Result(greeting, got);
        }
    }

    /** Signaling messages, on the signaling client's event loop: nothing here blocks. */
    private static void onSignal(SignalingMessage m, PeerConnection pc, SignalingClient signal, String peer,
            CompletableFuture<Void> peerPresent) {
        switch (m) {
            case SignalingMessage.AgentJoined j when j.agentId().equals(peer) -> peerPresent.complete(null);
            case SignalingMessage.Offer o when o.from().equals(peer) ->
                    pc.setRemoteDescription(RtcSessionDescription.offer(o.sdp()))
                            .thenCompose(v -> pc.createAnswer())
                            .thenCompose(answer -> pc.setLocalDescription(answer).thenApply(v -> answer))
                            .thenAccept(answer -> signal.sendAnswer(peer, answer.sdp()))
                            .exceptionally(e -> fail("answering the offer", e));
            case SignalingMessage.Answer a when a.from().equals(peer) ->
                    pc.setRemoteDescription(RtcSessionDescription.answer(a.sdp()))
                            .exceptionally(e -> fail("applying the answer", e));
            case SignalingMessage.Candidate c when c.from().equals(peer) ->
                    // Candidates that arrive before the description are queued by the connection.
                    pc.addIceCandidate(new RtcIceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()))
                            .exceptionally(e -> fail("adding a candidate", e));
            case SignalingMessage.Error e -> LOG.warn("signaling error {}: {}", e.code(), e.message());
            default -> { }
        }
    }

    private static Void fail(String what, Throwable e) {
        LOG.warn("{} failed: {}", what, e.toString());
        return null;
    }

    /** {@code offer|answer <ws-uri> <self> <peer> [timeout-seconds]}. Exits 0 after the greetings went both ways. */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: DataChannelHello offer|answer ws://127.0.0.1:8080/ws <self> <peer> [timeout-s]");
            System.exit(2);
        }
        Role role = Role.valueOf(args[0].toUpperCase(Locale.ROOT));
        Duration timeout = Duration.ofSeconds(args.length > 4 ? Long.parseLong(args[4]) : 60);
        Result r = run(role, URI.create(args[1]), args[2], args[3], timeout);
        System.out.println("sent: " + r.sent());
        System.out.println("received: " + r.received());
    }
}
