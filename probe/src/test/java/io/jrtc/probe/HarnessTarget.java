package io.jrtc.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.probe.internal.CandidateGate;
import io.jrtc.testkit.interop.HarnessServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A real peer (werift, Pion, a browser) behind testkit's {@link HarnessServer} as a probe target: the harness's
 * message channel carries the descriptions and candidates, and its commands give the probe {@link TargetControl}.
 * Each connection replaces the remote's previous one.
 */
final class HarnessTarget implements ProbeTarget {

    private final String name;
    private final HarnessServer harness;
    private final InetAddress bind;
    private final AtomicInteger ids = new AtomicInteger();
    /** Commands waiting for their result, by id. */
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /**
     * The one reader of the harness's messages: it completes each command's future from its result. (A blocking
     * {@code awaitResult} per command lost results when two commands waited at once: one waiter set the other's result
     * aside where the other no longer looked; on the common pool, with one thread on a 2-core machine, a waiting
     * command held up the next one past its deadline instead.) Other messages (events, logs) are dropped.
     */
    private final Thread dispatcher;
    private boolean connectedBefore;

    HarnessTarget(String name, HarnessServer harness, InetAddress bind) {
        this.name = name;
        this.harness = harness;
        this.bind = bind;
        this.dispatcher = Thread.ofVirtual().name("harness-results-" + name).start(this::dispatch);
    }

    private void dispatch() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                JsonNode m = harness.await(x -> true, Duration.ofSeconds(1));
                if (m != null && "result".equals(m.path("type").asText())) {
                    CompletableFuture<JsonNode> f = pending.remove(m.path("id").asText());
                    if (f != null) {
                        f.complete(m);
                    }
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RtcConfiguration.Builder baseConfiguration() {
        return RtcConfiguration.builder().addBindAddress(bind);
    }

    /** Sends a command; completes with its result, or with null after {@code timeout}. */
    private CompletableFuture<JsonNode> command(ObjectNode cmd, Duration timeout) {
        String id = "p" + ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        cmd.put("type", "command").put("id", id);
        harness.send(cmd);
        return f.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> pending.remove(id));
    }

    private CompletableFuture<Boolean> ok(ObjectNode cmd, Duration timeout) {
        return command(cmd, timeout).thenApply(r -> r != null && r.path("ok").asBoolean());
    }

    @Override
    public Link connect(PeerConnection ours, Role role, Duration timeout, UnaryOperator<String> rewrite) throws Exception {
        if (connectedBefore) {
            command(harness.message("command").put("cmd", "close-pc"), Duration.ofSeconds(5)).join();
        }
        connectedBefore = true;
        // the target's next description (its offer or answer) completes this; a restart puts a fresh one here first
        AtomicReference<CompletableFuture<String>> nextRemote = new AtomicReference<>(new CompletableFuture<>());
        AtomicReference<String> latestRemote = new AtomicReference<>();
        ProbeTarget.Trickle trickle = new ProbeTarget.Trickle();
        CandidateGate gate = new CandidateGate(trickle, c -> harness.send(harness.message("candidate")
                .put("candidate", c.candidate()).put("sdpMid", c.sdpMid())
                .put("sdpMLineIndex", c.sdpMLineIndex() == null ? 0 : c.sdpMLineIndex())));
        ours.onIceCandidate(gate::candidate);
        harness.onSignal(m -> {
            CompletableFuture<String> remoteSdp = nextRemote.get();
            switch (m.path("type").asText()) {
                case "offer" -> {
                    gate.hold();
                    ours.setRemoteDescription(RtcSessionDescription.offer(m.path("sdp").asText()))
                        .thenCompose(v -> ours.createAnswer())
                        .thenCompose(a -> ours.setLocalDescription(a).thenApply(v -> a))
                        .whenComplete((a, e) -> {
                            if (e != null) {
                                gate.release();
                                remoteSdp.completeExceptionally(e);
                            } else {
                                harness.send(harness.message("answer").put("sdp", rewrite.apply(a.sdp())));
                                gate.release();
                                latestRemote.set(m.path("sdp").asText());
                                remoteSdp.complete(m.path("sdp").asText());
                            }
                        });
                }
                case "answer" -> ours.setRemoteDescription(RtcSessionDescription.answer(m.path("sdp").asText()))
                        .whenComplete((v, e) -> {
                            if (e != null) {
                                remoteSdp.completeExceptionally(e);
                            } else {
                                latestRemote.set(m.path("sdp").asText());
                                remoteSdp.complete(m.path("sdp").asText());
                            }
                        });
                case "candidate" -> {
                    trickle.received(m.path("candidate").asText());
                    ours.addIceCandidate(new RtcIceCandidate(m.path("candidate").asText(),
                        m.path("sdpMid").asText(null), m.path("sdpMLineIndex").isNumber() ? m.path("sdpMLineIndex").asInt() : null));
                }
                default -> { }
            }
        });
        if (role == Role.OFFERER) {
            harness.send(harness.message("config").put("role", "answerer"));
            gate.hold();
            RtcSessionDescription offer = ours.createOffer().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            ours.setLocalDescription(offer).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            harness.send(harness.message("offer").put("sdp", rewrite.apply(offer.sdp())));
            gate.release();
        } else {
            harness.send(harness.message("config").put("role", "offerer"));
        }
        nextRemote.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        TargetControl control = new TargetControl() {
            @Override
            public CompletableFuture<Boolean> openAndSend(String label, ChannelOptions o, int count, int size, boolean binary) {
                ObjectNode init = HarnessServer.JSON.createObjectNode().put("ordered", o.ordered()).put("protocol", o.protocol());
                if (o.maxRetransmits() != null) {
                    init.put("maxRetransmits", o.maxRetransmits());
                }
                if (o.maxPacketLifeTime() != null) {
                    init.put("maxPacketLifeTime", o.maxPacketLifeTime());
                }
                if (o.negotiatedId() != null) {
                    init.put("negotiated", true).put("id", o.negotiatedId());
                }
                ObjectNode cmd = harness.message("command").put("cmd", "send").put("label", label).put("count", count)
                        .put("size", size).put("binary", binary).put("timeoutMs", 10_000);
                cmd.set("init", init);
                return ok(cmd, Duration.ofSeconds(15));
            }

            @Override
            public CompletableFuture<Boolean> close(String label) {
                return ok(harness.message("command").put("cmd", "close").put("label", label), Duration.ofSeconds(20));
            }

            @Override
            public CompletableFuture<Boolean> closePeerConnection() {
                return ok(harness.message("command").put("cmd", "close-pc"), Duration.ofSeconds(10));
            }
        };
        return new Link() {
            @Override
            public Optional<TargetControl> control() {
                return Optional.of(control);
            }

            @Override
            public String remoteSdp() {
                return latestRemote.get();
            }

            @Override
            public String restartIce(Duration timeout) throws Exception {
                CompletableFuture<String> next = new CompletableFuture<>();
                nextRemote.set(next);
                long ms = timeout.toMillis();
                if (role == Role.OFFERER) {
                    gate.hold();
                    try {
                        RtcSessionDescription offer = ours.createOffer(true).get(ms, TimeUnit.MILLISECONDS);
                        ours.setLocalDescription(offer).get(ms, TimeUnit.MILLISECONDS);
                        harness.send(harness.message("offer").put("sdp", rewrite.apply(offer.sdp())));
                    } finally {
                        gate.release();
                    }
                } else {
                    JsonNode r = command(harness.message("command").put("cmd", "restart-ice"), timeout).join();
                    if (r == null || !r.path("ok").asBoolean()) {
                        throw new UnsupportedOperationException(name + " made no ICE-restart offer: "
                                + (r == null ? "no answer to restart-ice" : r.path("why").asText()));
                    }
                }
                return next.get(ms, TimeUnit.MILLISECONDS);
            }

            @Override
            public Optional<ProbeTarget.Trickle> trickle() {
                return Optional.of(trickle);
            }

            @Override
            public void close() {
                // the next connect closes the remote's connection; jrtc's own close ends the association
            }
        };
    }

    @Override
    public void close() {
        harness.send(harness.message("quit"));
        dispatcher.interrupt();
    }
}
