package io.jrtc.signaling.server.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unrolls a {@code candidates} batch (protocol 1, revision 3) into the individual {@code candidate} messages a
 * recipient that did not declare the feature understands: one per element, in order, each with the batch's
 * {@code to}, {@code from} and other top-level fields (for example {@code id}; not {@code candidate},
 * {@code sdpMid} or {@code sdpMLineIndex}, which only the elements carry), then the element's own fields
 * ({@code candidate}, {@code sdpMid}, {@code sdpMLineIndex}, and extras such as {@code usernameFragment}).
 * Stateless.
 */
final class CandidateBatches {

    /** Top-level fields of a batch that are not copied: the element's own (validated) ones stand alone. */
    private static final Set<String> ELEMENT_ONLY = Set.of("type", "candidates", "candidate", "sdpMid",
            "sdpMLineIndex");

    private CandidateBatches() {
    }

    /** The individual messages of a validated batch body (with {@code from} already set by the server). */
    static List<String> unroll(ObjectNode batch) {
        JsonNode elements = batch.get("candidates");
        List<String> out = new ArrayList<>(elements.size());
        for (JsonNode e : elements) {
            ObjectNode single = Json.object("candidate");
            for (Map.Entry<String, JsonNode> f : batch.properties()) {
                if (!ELEMENT_ONLY.contains(f.getKey())) {
                    single.set(f.getKey(), f.getValue());
                }
            }
            for (Map.Entry<String, JsonNode> f : e.properties()) {
                single.set(f.getKey(), f.getValue());
            }
            single.set("from", batch.get("from")); // elements cannot carry one (the parser refuses it)
            out.add(Json.write(single));
        }
        return out;
    }

    /**
     * As {@link #unroll(ObjectNode)} for a batch that crossed the Redis backbone as text (it was validated by
     * the instance that received it); an unparsable payload gives an empty list.
     */
    static List<String> unroll(String payload) {
        try {
            JsonNode n = Json.MAPPER.readTree(payload);
            if (n instanceof ObjectNode o && o.get("candidates") != null && o.get("candidates").isArray()) {
                return unroll(o);
            }
        } catch (JacksonException e) {
            // fall through
        }
        return List.of();
    }
}
