package io.jrtc.probe;

import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.probe.internal.CandidateGate;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.client.SignalingMessage;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The signaling route ({@code --signaling URL --target ID}): the target is an agent on a jrtc signaling server (an
 * {@code ./jrtc echo} agent, or any stack speaking the protocol). jrtc offers (trickle ICE both ways); the target
 * answers and echoes. Each connection registers under a fresh agent id, so that the target sees a new peer. Only
 * the offerer role: an agent does not offer on its own.
 */
public final class SignalingTarget implements ProbeTarget {

    private final URI server;
    private final String target;
    private final String token;
    private final List<InetAddress> bind;

    /** @param token the agent token the server wants, or null */
    public SignalingTarget(URI server, String target, String token, List<InetAddress> bind) {
        this.server = server;
        this.target = target;
        this.token = token;
        this.bind = List.copyOf(bind);
    }

    @Override
    public String name() {
        return target;
    }

    @Override
    public RtcConfiguration.Builder baseConfiguration() {
        return RtcConfiguration.builder().bindAddresses(bind);
    }

    @Override
    public Link connect(PeerConnection ours, Role role, Duration timeout, UnaryOperator<String> rewrite) throws Exception {
        if (role != Role.OFFERER) {
            throw new UnsupportedOperationException("the signaling route probes only as the offerer");
        }
        long t = timeout.toMillis();
        String me = "probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        SignalingClientConfig.Builder cb = SignalingClientConfig.builder(server, me);
        if (token != null) {
            cb.token(token);
        }
        SignalingClient client = new SignalingClient(cb.build());
        // the target's next answer completes this; a restart puts a fresh one here first
        AtomicReference<CompletableFuture<String>> answer = new AtomicReference<>(new CompletableFuture<>());
        AtomicReference<String> latest = new AtomicReference<>();
        Trickle trickle = new Trickle();
        client.onMessage(m -> {
            CompletableFuture<String> next = answer.get();
            switch (m) {
                case SignalingMessage.Answer a when target.equals(a.from()) -> ours.setRemoteDescription(
                        RtcSessionDescription.answer(a.sdp())).whenComplete((v, e) -> {
                            if (e != null) {
                                next.completeExceptionally(e);
                            } else {
                                latest.set(a.sdp());
                                next.complete(a.sdp());
                            }
                        });
                case SignalingMessage.Candidate c when target.equals(c.from()) -> add(ours, c, trickle);
                case SignalingMessage.Candidates cs when target.equals(cs.from()) -> cs.candidates().forEach(c -> add(ours, c, trickle));
                case SignalingMessage.Error e -> next.completeExceptionally(new IllegalStateException(
                        "signaling error " + e.code() + ": " + e.message()));
                default -> { }
            }
        });
        CandidateGate gate = new CandidateGate(trickle, c -> client.send(new SignalingMessage.Candidate(target, null,
                c.candidate(), c.sdpMid(), c.sdpMLineIndex())));
        try {
            client.connect().get(t, TimeUnit.MILLISECONDS);
            ours.onIceCandidate(gate::candidate);
            offer(ours, false, client, gate, rewrite, t);
            answer.get().get(t, TimeUnit.MILLISECONDS);
            return new Link() {
                @Override
                public Optional<TargetControl> control() {
                    return Optional.empty();
                }

                @Override
                public String remoteSdp() {
                    return latest.get();
                }

                /** jrtc re-offers with new credentials; the agent answers on the same connection (same session id). */
                @Override
                public String restartIce(Duration timeout) throws Exception {
                    answer.set(new CompletableFuture<>());
                    offer(ours, true, client, gate, rewrite, timeout.toMillis());
                    return answer.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                }

                @Override
                public Optional<Trickle> trickle() {
                    return Optional.of(trickle);
                }

                @Override
                public void close() {
                    client.send(new SignalingMessage.Bye(target));
                    client.close();
                }
            };
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    /** Makes jrtc's offer, applies it and sends it, jrtc's candidates held until it is sent. */
    private void offer(PeerConnection ours, boolean iceRestart, SignalingClient client, CandidateGate gate,
            UnaryOperator<String> rewrite, long t) throws Exception {
        gate.hold();
        try {
            RtcSessionDescription offer = ours.createOffer(iceRestart).get(t, TimeUnit.MILLISECONDS);
            ours.setLocalDescription(offer).get(t, TimeUnit.MILLISECONDS);
            client.send(new SignalingMessage.Offer(target, rewrite.apply(offer.sdp()))).get(t, TimeUnit.MILLISECONDS);
        } finally {
            gate.release();
        }
    }

    private static void add(PeerConnection pc, SignalingMessage.Candidate c, Trickle trickle) {
        trickle.received(c.candidate() == null ? "" : c.candidate());
        pc.addIceCandidate(new RtcIceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
    }

    @Override
    public void close() {
    }
}
