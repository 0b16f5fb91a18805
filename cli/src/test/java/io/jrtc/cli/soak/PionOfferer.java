package io.jrtc.cli.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.client.SignalingMessage;
import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stock Pion (interop/pion, in a {@link PrivateNetwork}) as a churning offerer: one Pion process for the whole run, a
 * new Pion PeerConnection per {@link #cycle}. It reaches the echo agent through the jrtc signaling server as agent
 * {@code self}: its offer and candidates are relayed to {@code target}, the answer and candidates come back. A cycle:
 * Pion creates a PeerConnection and offers (with a channel of its own), the channel opens, Pion opens a second channel
 * and sends text and then binary messages there, checking every echo's bytes itself (its {@code send} command), then
 * closes its PeerConnection; this side then says {@code bye} to the echo agent, as a browser page using the signaling
 * server would, so that the echo agent closes its end.
 */
final class PionOfferer implements AutoCloseable {

    private final HarnessServer harness;
    private final RemotePeer remote;
    private final SignalingClient client;
    private final String target;
    private final List<JsonNode> held = new ArrayList<>();
    private boolean offerSent;

    PionOfferer(PrivateNetwork net, URI signaling, String self, String target, Duration timeout) throws Exception {
        this.target = target;
        this.harness = new HarnessServer(net.hostAddress());
        this.client = new SignalingClient(SignalingClientConfig.builder(signaling, self).build());
        client.onMessage(m -> {
            switch (m) {
                case SignalingMessage.Answer a -> harness.send(harness.message("answer").put("sdp", a.sdp()));
                case SignalingMessage.Candidate c -> {
                    ObjectNode n = harness.message("candidate").put("candidate", c.isEndOfCandidates() ? "" : c.candidate())
                            .put("sdpMid", c.sdpMid() == null ? "0" : c.sdpMid())
                            .put("sdpMLineIndex", c.sdpMLineIndex() == null ? 0 : c.sdpMLineIndex());
                    harness.send(n);
                }
                default -> { }
            }
        });
        harness.onSignal(this::toSignaling);
        client.connect().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        this.remote = RemotePeer.pion(net, harness.baseUrl());
        if (harness.await(m -> "ready".equals(m.path("event").asText()), timeout) == null) {
            throw new IllegalStateException("the Pion peer did not start; its log: " + remote.log());
        }
    }

    /**
     * Pion posts each signal in its own HTTP request, so they may arrive out of order: candidates wait for the offer of
     * their cycle. End-of-candidates is not relayed (trickle works without it).
     */
    private synchronized void toSignaling(JsonNode m) {
        switch (m.path("type").asText()) {
            case "offer" -> {
                client.sendOffer(target, m.path("sdp").asText());
                offerSent = true;
                held.forEach(this::sendCandidate);
                held.clear();
            }
            case "candidate" -> {
                if (m.path("candidate").asText("").isEmpty()) {
                    return;
                }
                if (offerSent) {
                    sendCandidate(m);
                } else {
                    held.add(m);
                }
            }
            default -> { }
        }
    }

    private void sendCandidate(JsonNode m) {
        client.sendCandidate(target, m.path("candidate").asText(), m.path("sdpMid").asText("0"),
                m.path("sdpMLineIndex").isNumber() ? m.path("sdpMLineIndex").asInt() : 0);
    }

    /** One connect, exchange, close cycle; throws with the reason if any step fails. */
    void cycle(int n, Duration timeout) throws Exception {
        synchronized (this) {
            offerSent = false;
            held.clear();
        }
        String label = "pion-" + n;
        harness.send(harness.message("config").put("role", "offerer").put("initialLabel", label));
        require(harness.await(m -> "open".equals(m.path("event").asText()) && label.equals(m.path("label").asText()), timeout),
                "Pion's channel " + label + " to open");
        for (boolean binary : new boolean[] {false, true}) {
            String id = label + (binary ? "-b" : "-t");
            harness.send(harness.message("command").put("id", id).put("cmd", "send").put("label", id).put("count", 3)
                    .put("size", binary ? 300 : 40).put("binary", binary).put("timeoutMs", timeout.toMillis()));
            JsonNode r = require(harness.awaitResult(id, timeout.plusSeconds(5)), "the result of " + id);
            if (!r.path("ok").asBoolean() || r.path("received").asInt() != 3 || r.path("mismatches").asInt() != 0) {
                throw new IllegalStateException("Pion's echo check on " + id + " failed: " + r);
            }
        }
        harness.send(harness.message("command").put("id", label + "-close").put("cmd", "close-pc"));
        require(harness.awaitResult(label + "-close", timeout), "Pion to close its PeerConnection");
        client.sendBye(target).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        harness.drain(); // this cycle's state and close events
    }

    private JsonNode require(JsonNode m, String what) {
        if (m == null) {
            throw new IllegalStateException("timed out waiting for " + what + "; Pion's log: " + remote.log());
        }
        return m;
    }

    @Override
    public void close() {
        harness.send(harness.message("quit"));
        remote.close();
        client.close();
        harness.close();
    }
}
