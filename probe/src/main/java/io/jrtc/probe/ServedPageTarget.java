package io.jrtc.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.probe.internal.CandidateGate;
import io.jrtc.probe.internal.PageServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The served-page route ({@code --serve-page}): the probe serves one self-contained HTML page and its WebSocket
 * signaling ({@link PageServer}); a browser that opens the page becomes the target, in both roles, with
 * {@link TargetControl} (the page opens and closes channels, and closes its connection, on command: the commands act
 * on the page's current connection). Trickle ICE both ways. Each connection replaces the page's previous
 * {@code RTCPeerConnection}.
 *
 * <pre>{@code
 * try (ServedPageTarget t = new ServedPageTarget(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of())) {
 *     System.err.println("open " + t.url());
 *     t.awaitPage(Duration.ofMinutes(10));
 *     ProbeReport r = Probe.builder().build().run(t);
 * }
 * }</pre>
 */
public final class ServedPageTarget implements ProbeTarget, TargetControl {

    private static final Logger LOG = LoggerFactory.getLogger(ServedPageTarget.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PageServer server;
    private final List<InetAddress> bind;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, CompletableFuture<JsonNode>> results = new ConcurrentHashMap<>();
    private volatile CompletableFuture<String> hello = new CompletableFuture<>();
    private volatile Consumer<JsonNode> signals = m -> { };
    private volatile String agent;

    /**
     * @param listen where to serve the page (port 0: any free port)
     * @param bind   the addresses jrtc gathers ICE candidates on (empty: all)
     */
    public ServedPageTarget(InetSocketAddress listen, List<InetAddress> bind) {
        this.bind = List.copyOf(bind);
        this.server = new PageServer(listen, this::received, this::pageGone);
    }

    /** The page's URL, for the browser. */
    public String url() {
        InetSocketAddress a = server.address();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    /** Waits until a page is connected; returns its user agent string. */
    public String awaitPage(Duration timeout) throws Exception {
        return hello.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void received(JsonNode m) {
        switch (m.path("type").asText()) {
            case "hello" -> {
                agent = m.path("agent").asText("");
                LOG.info("page: {}", agent);
                hello.complete(agent);
            }
            case "result" -> {
                CompletableFuture<JsonNode> f = results.remove(m.path("id").asText());
                if (f != null) {
                    f.complete(m);
                }
            }
            case "log" -> LOG.info("page: {}", m.path("text").asText());
            default -> signals.accept(m);
        }
    }

    private void pageGone() {
        results.values().forEach(f -> f.complete(null));
        results.clear();
        if (hello.isDone()) {
            hello = new CompletableFuture<>();
        }
    }

    /** A short name from the page's user agent: {@code firefox}, {@code chromium} (any Chrome), or {@code browser}. */
    @Override
    public String name() {
        String a = agent == null ? "" : agent.toLowerCase(Locale.ROOT);
        return a.contains("firefox/") ? "firefox" : a.contains("chrome/") ? "chromium" : "browser";
    }

    @Override
    public RtcConfiguration.Builder baseConfiguration() {
        return RtcConfiguration.builder().bindAddresses(bind);
    }

    private ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private CompletableFuture<Boolean> command(ObjectNode cmd, Duration timeout) {
        String id = "c" + ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        results.put(id, f);
        if (!server.send(cmd.put("type", "command").put("id", id))) {
            results.remove(id);
            return CompletableFuture.completedFuture(false);
        }
        // a failed command's reason ("why") is in the page's log
        return f.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS).thenApply(r -> {
            results.remove(id);
            return r != null && r.path("ok").asBoolean();
        });
    }

    @Override
    public Link connect(PeerConnection ours, Role role, Duration timeout, UnaryOperator<String> rewrite) throws Exception {
        long t = timeout.toMillis();
        awaitPage(timeout);
        // the page's next description completes this; a restart puts a fresh one here first
        AtomicReference<CompletableFuture<String>> nextRemote = new AtomicReference<>(new CompletableFuture<>());
        AtomicReference<String> latest = new AtomicReference<>();
        Trickle trickle = new Trickle();
        CandidateGate gate = new CandidateGate(trickle, c -> server.send(message("candidate").put("candidate", c.candidate())
                .put("sdpMid", c.sdpMid()).put("sdpMLineIndex", c.sdpMLineIndex() == null ? 0 : c.sdpMLineIndex())));
        signals = m -> {
            String type = m.path("type").asText();
            String text = m.path(type.equals("candidate") ? "candidate" : "sdp").asText();
            CompletableFuture<String> remoteSdp = nextRemote.get();
            if (type.equals("candidate")) {
                trickle.received(text);
                if (!text.isEmpty()) {
                    ours.addIceCandidate(new RtcIceCandidate(text, m.path("sdpMid").asText(null),
                            m.path("sdpMLineIndex").isNumber() ? m.path("sdpMLineIndex").asInt() : null));
                }
            } else if (type.equals("offer") || type.equals("answer")) {
                // as the answerer jrtc answers the page's offer; either way the remote description is the page's
                if (type.equals("offer")) {
                    gate.hold();
                }
                CompletableFuture<?> applied = type.equals("answer")
                        ? ours.setRemoteDescription(RtcSessionDescription.answer(text))
                        : ours.setRemoteDescription(RtcSessionDescription.offer(text))
                                .thenCompose(v -> ours.createAnswer())
                                .thenCompose(a -> ours.setLocalDescription(a)
                                        .thenRun(() -> server.send(message("answer").put("sdp", rewrite.apply(a.sdp())))));
                applied.whenComplete((v, e) -> {
                    if (type.equals("offer")) {
                        gate.release();
                    }
                    if (e != null) {
                        remoteSdp.completeExceptionally(e);
                    } else {
                        latest.set(text);
                        remoteSdp.complete(text);
                    }
                });
            }
        };
        ours.onIceCandidate(gate::candidate);
        // the page handles its messages in order: config makes a fresh RTCPeerConnection before the offer reaches it
        server.send(message("config").put("role", role == Role.OFFERER ? "answerer" : "offerer"));
        if (role == Role.OFFERER) {
            offer(ours, false, gate, rewrite, t);
        }
        nextRemote.get().get(t, TimeUnit.MILLISECONDS);
        return new Link() {
            @Override
            public Optional<TargetControl> control() {
                return Optional.of(ServedPageTarget.this);
            }

            @Override
            public String remoteSdp() {
                return latest.get();
            }

            /** jrtc re-offers with new credentials (jrtc offerer), or the page makes an ICE-restart offer. */
            @Override
            public String restartIce(Duration timeout) throws Exception {
                CompletableFuture<String> next = new CompletableFuture<>();
                nextRemote.set(next);
                if (role == Role.OFFERER) {
                    offer(ours, true, gate, rewrite, timeout.toMillis());
                } else if (!command(message("command").put("cmd", "restart-ice"), timeout).get()) {
                    throw new UnsupportedOperationException("the page made no ICE-restart offer");
                }
                return next.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public Optional<Trickle> trickle() {
                return Optional.of(trickle);
            }

            @Override
            public void close() {
                // the next connect replaces the page's connection; jrtc's own close ends the association
            }
        };
    }

    /** Makes jrtc's offer, applies it and sends it, jrtc's candidates held until it is sent. */
    private void offer(PeerConnection ours, boolean iceRestart, CandidateGate gate, UnaryOperator<String> rewrite, long t)
            throws Exception {
        gate.hold();
        try {
            RtcSessionDescription offer = ours.createOffer(iceRestart).get(t, TimeUnit.MILLISECONDS);
            ours.setLocalDescription(offer).get(t, TimeUnit.MILLISECONDS);
            server.send(message("offer").put("sdp", rewrite.apply(offer.sdp())));
        } finally {
            gate.release();
        }
    }

    @Override
    public CompletableFuture<Boolean> openAndSend(String label, ChannelOptions o, int count, int size, boolean binary) {
        ObjectNode init = JSON.createObjectNode().put("ordered", o.ordered()).put("protocol", o.protocol());
        if (o.maxRetransmits() != null) {
            init.put("maxRetransmits", o.maxRetransmits());
        }
        if (o.maxPacketLifeTime() != null) {
            init.put("maxPacketLifeTime", o.maxPacketLifeTime());
        }
        if (o.negotiatedId() != null) {
            init.put("negotiated", true).put("id", o.negotiatedId());
        }
        ObjectNode cmd = message("command").put("cmd", "send").put("label", label).put("count", count).put("size", size)
                .put("binary", binary).put("timeoutMs", 10_000);
        cmd.set("init", init);
        return command(cmd, Duration.ofSeconds(15));
    }

    @Override
    public CompletableFuture<Boolean> close(String label) {
        return command(message("command").put("cmd", "close").put("label", label), Duration.ofSeconds(20));
    }

    @Override
    public CompletableFuture<Boolean> closePeerConnection() {
        return command(message("command").put("cmd", "close-pc"), Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        server.send(message("quit"));
        server.close();
    }
}
