package io.jrtc.cli.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.client.SignalingMessage;
import io.jrtc.testkit.interop.HarnessServer;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the remote peer behind a {@link HarnessServer} (Chromium's page, werift) on a jrtc signaling server as agent
 * {@code self}, talking to agent {@code target} (an echo agent): the remote's offer and candidates go to the target
 * over signaling, and the target's answer and candidates come back to the remote. So the real peer reaches the echo
 * agent exactly as a browser using the signaling page would.
 */
final class HarnessToSignalingBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HarnessToSignalingBridge.class);

    private final SignalingClient client;
    private final java.util.List<JsonNode> held = new java.util.ArrayList<>();
    private boolean offerSent;

    HarnessToSignalingBridge(HarnessServer harness, URI signaling, String self, String target) throws Exception {
        client = new SignalingClient(SignalingClientConfig.builder(signaling, self).build());
        client.onMessage(m -> {
            switch (m) {
                case SignalingMessage.Answer a -> harness.send(harness.message("answer").put("sdp", a.sdp()));
                case SignalingMessage.Candidate c -> {
                    ObjectNode n = harness.message("candidate").put("candidate", c.isEndOfCandidates() ? "" : c.candidate())
                            .put("sdpMid", c.sdpMid() == null ? "0" : c.sdpMid())
                            .put("sdpMLineIndex", c.sdpMLineIndex() == null ? 0 : c.sdpMLineIndex());
                    harness.send(n);
                }
                default -> LOG.info("bridge {}: {}", self, m);
            }
        });
        harness.onSignal(m -> toSignaling(m, target));
        client.connect().get(10, TimeUnit.SECONDS);
    }

    /**
     * The remote posts each signal in its own HTTP request, so they can reach us out of order. Candidates are held until
     * the offer has gone out (signaling keeps the order from there), and the end-of-candidates marker is not relayed: it
     * may overtake the last candidates, and trickle ICE works without it (RFC 8838 §13).
     */
    private synchronized void toSignaling(JsonNode m, String target) {
        switch (m.path("type").asText()) {
            case "offer" -> {
                client.sendOffer(target, m.path("sdp").asText());
                offerSent = true;
                held.forEach(c -> sendCandidate(c, target));
                held.clear();
            }
            case "answer" -> client.sendAnswer(target, m.path("sdp").asText());
            case "candidate" -> {
                if (m.path("candidate").asText("").isEmpty()) {
                    return;
                }
                if (offerSent) {
                    sendCandidate(m, target);
                } else {
                    held.add(m);
                }
            }
            default -> LOG.warn("bridge: unexpected signal {}", m);
        }
    }

    private void sendCandidate(JsonNode m, String target) {
        client.sendCandidate(target, m.path("candidate").asText(), m.path("sdpMid").asText("0"),
                m.path("sdpMLineIndex").isNumber() ? m.path("sdpMLineIndex").asInt() : 0);
    }

    @Override
    public void close() {
        client.close();
    }
}
