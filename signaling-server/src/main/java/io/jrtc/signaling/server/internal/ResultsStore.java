package io.jrtc.signaling.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last {@link #CAPACITY} JSON summaries POSTed to {@code /results} by the demo page in automation mode
 * ({@code ?auto=<agent>&count=N}). Bounded memory; synchronised because HTTP requests arrive on several loops
 * (this is the edge, not a core).
 */
public final class ResultsStore {

    public static final int CAPACITY = 32;

    private final Deque<ObjectNode> results = new ArrayDeque<>();
    private final Clock clock;

    public ResultsStore(Clock clock) {
        this.clock = clock;
    }

    /** Stores one summary (a JSON object), stamped with {@code received_at} in epoch milliseconds. */
    public synchronized void add(JsonNode summary) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("received_at", clock.millis());
        entry.set("summary", summary);
        results.addLast(entry);
        while (results.size() > CAPACITY) {
            results.removeFirst();
        }
    }

    /** All stored summaries, oldest first, as a JSON array. */
    public synchronized String toJson() {
        ArrayNode arr = Json.array();
        results.forEach(arr::add);
        try {
            return Json.MAPPER.writeValueAsString(arr);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
