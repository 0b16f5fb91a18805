package io.jrtc.signaling.server.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.signaling.server.ErrorCode;
import io.jrtc.signaling.server.SignalingServerConfig;
import io.jrtc.signaling.protocol.Message;
import io.jrtc.signaling.protocol.SignalingJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The server's one Jackson mapper and builders for the messages it originates. Thread-safe. */
public final class Json {

    /** Strict: duplicate keys are refused, nesting is bounded. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(1 << 20)
                .maxNumberLength(64)
                .build());
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Json() {
    }

    public static ObjectNode object(String type) {
        ObjectNode n = F.objectNode();
        n.put("type", type);
        return n;
    }

    public static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /** {@code {"type":"error","code":…,"message":…}} plus the optional echoes {@code id} and {@code to}. */
    public static String error(ErrorCode code, String message, String id, String to) {
        return SignalingJson.encode(new Message.Error(code.wire(), message, id, to, Map.of()));
    }

    public static String presence(boolean joined, String agentId) {
        return presence(joined, agentId, null);
    }

    /** {@code agent_joined}/{@code agent_left}; a join carries the agent's {@code presence} blob when it has one. */
    public static String presence(boolean joined, String agentId, String presence) {
        return SignalingJson.encode(joined ? new Message.AgentJoined(agentId, presence, Map.of())
                : new Message.AgentLeft(agentId, Map.of()));
    }

    /**
     * The {@code registered} reply. {@code rate_limit} (added in protocol 1, revision 2; older clients ignore
     * it) announces the soft limit a client should pace itself to, and the hard limit beyond which it is refused.
     */
    public static String registered(String agentId, Collection<String> others, List<Message.IceServer> iceServers,
            SignalingServerConfig config) {
        return registered(agentId, others, iceServers, config, false, Map.of());
    }

    /**
     * The {@code registered} reply; with {@code presenceFeature}, the feature {@code "presence"} (revision 5) and
     * {@code presence}: the opaque blob of each other agent that registered one, by agent id.
     */
    public static String registered(String agentId, Collection<String> others, List<Message.IceServer> iceServers,
            SignalingServerConfig config, boolean presenceFeature, Map<String, String> presence) {
        List<String> features = new ArrayList<>(3);
        Integer maxBatch = null;
        if (config.candidateBatches()) { // revision 3
            features.add(Protocol.FEATURE_CANDIDATES);
            maxBatch = Protocol.MAX_BATCH_CANDIDATES;
        }
        features.add(Protocol.FEATURE_LINK_REPORT); // revision 4
        if (presenceFeature) { // revision 5
            features.add(Protocol.FEATURE_PRESENCE);
        }
        return SignalingJson.encode(new Message.Registered(agentId, List.copyOf(others), iceServers, Protocol.VERSION,
                new Message.RateLimit(config.messagesPerSecond(), config.messageBurst(), config.maxBacklogMessages(),
                        config.maxFrameBytes()),
                features, maxBatch, presenceFeature ? presence : null, Map.of()));
    }

    public static ArrayNode array() {
        return F.arrayNode();
    }
}
