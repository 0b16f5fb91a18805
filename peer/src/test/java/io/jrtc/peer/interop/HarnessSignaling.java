package io.jrtc.peer.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.testkit.interop.HarnessServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays signaling between a {@link PeerConnection} and the remote peer behind a {@link HarnessServer}: our candidates
 * go out as they are gathered (trickle, with end-of-candidates), the remote's offer is answered, and its answer and
 * candidates are applied.
 */
public final class HarnessSignaling {

    private static final Logger LOG = LoggerFactory.getLogger(HarnessSignaling.class);

    private HarnessSignaling() {
    }

    public static void attach(HarnessServer harness, PeerConnection pc) {
        attach(harness, pc, null);
    }

    /**
     * As {@link #attach(HarnessServer, PeerConnection)}; {@code remoteSignals} also sees each offer, answer and candidate
     * the remote sent, as sent (on an HTTP thread, before it is applied).
     */
    public static void attach(HarnessServer harness, PeerConnection pc, java.util.function.Consumer<JsonNode> remoteSignals) {
        pc.onIceCandidate(c -> {
            ObjectNode m = harness.message("candidate").put("candidate", c.candidate()).put("sdpMid", c.sdpMid())
                    .put("sdpMLineIndex", c.sdpMLineIndex() == null ? 0 : c.sdpMLineIndex());
            harness.send(m);
        });
        harness.onSignal(m -> {
            if (remoteSignals != null) {
                remoteSignals.accept(m);
            }
            onSignal(harness, pc, m);
        });
    }

    private static void onSignal(HarnessServer harness, PeerConnection pc, JsonNode m) {
        switch (m.path("type").asText()) {
            case "offer" -> pc.setRemoteDescription(RtcSessionDescription.offer(m.path("sdp").asText()))
                    .thenCompose(v -> pc.createAnswer())
                    .thenCompose(a -> pc.setLocalDescription(a).thenApply(v -> a))
                    .whenComplete((a, e) -> {
                        if (e != null) {
                            LOG.error("answering the remote offer failed", e);
                        } else {
                            harness.send(harness.message("answer").put("sdp", a.sdp()));
                        }
                    });
            case "answer" -> pc.setRemoteDescription(RtcSessionDescription.answer(m.path("sdp").asText()))
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.error("applying the remote answer failed", e);
                        }
                    });
            case "candidate" -> pc.addIceCandidate(new RtcIceCandidate(m.path("candidate").asText(),
                    m.path("sdpMid").asText(null), m.path("sdpMLineIndex").isNumber() ? m.path("sdpMLineIndex").asInt() : null))
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.warn("addIceCandidate failed: {}", e.toString());
                        }
                    });
            default -> LOG.warn("unexpected signal {}", m);
        }
    }
}
