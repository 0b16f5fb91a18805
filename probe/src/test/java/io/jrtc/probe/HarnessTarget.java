package io.jrtc.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.testkit.interop.HarnessServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
    /**
     * Runs the blocking command waits: on the common pool (one thread on a 2-core machine) a command still waiting
     * for its result held up the next one past its own deadline.
     */
    private final java.util.concurrent.ExecutorService waits = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private boolean connectedBefore;

    HarnessTarget(String name, HarnessServer harness, InetAddress bind) {
        this.name = name;
        this.harness = harness;
        this.bind = bind;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RtcConfiguration.Builder baseConfiguration() {
        return RtcConfiguration.builder().addBindAddress(bind);
    }

    private JsonNode command(ObjectNode cmd, Duration timeout) throws InterruptedException {
        String id = "p" + ids.incrementAndGet();
        cmd.put("type", "command").put("id", id);
        harness.send(cmd);
        return harness.awaitResult(id, timeout);
    }

    @Override
    public Link connect(PeerConnection ours, Role role, Duration timeout) throws Exception {
        if (connectedBefore) {
            command(harness.message("command").put("cmd", "close-pc"), Duration.ofSeconds(5));
            harness.drain();
        }
        connectedBefore = true;
        CompletableFuture<String> remoteSdp = new CompletableFuture<>();
        ours.onIceCandidate(c -> harness.send(harness.message("candidate").put("candidate", c.candidate())
                .put("sdpMid", c.sdpMid()).put("sdpMLineIndex", c.sdpMLineIndex() == null ? 0 : c.sdpMLineIndex())));
        harness.onSignal(m -> {
            switch (m.path("type").asText()) {
                case "offer" -> ours.setRemoteDescription(RtcSessionDescription.offer(m.path("sdp").asText()))
                        .thenCompose(v -> ours.createAnswer())
                        .thenCompose(a -> ours.setLocalDescription(a).thenApply(v -> a))
                        .whenComplete((a, e) -> {
                            if (e != null) {
                                remoteSdp.completeExceptionally(e);
                            } else {
                                harness.send(harness.message("answer").put("sdp", a.sdp()));
                                remoteSdp.complete(m.path("sdp").asText());
                            }
                        });
                case "answer" -> ours.setRemoteDescription(RtcSessionDescription.answer(m.path("sdp").asText()))
                        .whenComplete((v, e) -> {
                            if (e != null) {
                                remoteSdp.completeExceptionally(e);
                            } else {
                                remoteSdp.complete(m.path("sdp").asText());
                            }
                        });
                case "candidate" -> ours.addIceCandidate(new RtcIceCandidate(m.path("candidate").asText(),
                        m.path("sdpMid").asText(null), m.path("sdpMLineIndex").isNumber() ? m.path("sdpMLineIndex").asInt() : null));
                default -> { }
            }
        });
        if (role == Role.OFFERER) {
            harness.send(harness.message("config").put("role", "answerer"));
            RtcSessionDescription offer = ours.createOffer().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            ours.setLocalDescription(offer).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            harness.send(harness.message("offer").put("sdp", offer.sdp()));
        } else {
            harness.send(harness.message("config").put("role", "offerer"));
        }
        String sdp = remoteSdp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        JsonNode r = command(cmd, Duration.ofSeconds(15));
                        return r != null && r.path("ok").asBoolean();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }, waits);
            }

            @Override
            public CompletableFuture<Boolean> close(String label) {
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        JsonNode r = command(harness.message("command").put("cmd", "close").put("label", label), Duration.ofSeconds(20));
                        return r != null && r.path("ok").asBoolean();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }, waits);
            }

            @Override
            public CompletableFuture<Boolean> closePeerConnection() {
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        JsonNode r = command(harness.message("command").put("cmd", "close-pc"), Duration.ofSeconds(10));
                        return r != null && r.path("ok").asBoolean();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }, waits);
            }
        };
        return new Link() {
            @Override
            public Optional<TargetControl> control() {
                return Optional.of(control);
            }

            @Override
            public String remoteSdp() {
                return sdp;
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
        waits.shutdownNow();
    }
}
