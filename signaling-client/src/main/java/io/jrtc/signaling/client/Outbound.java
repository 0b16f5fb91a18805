package io.jrtc.signaling.client;

import java.util.concurrent.CompletableFuture;

/**
 * A message in the client's outbound queue: its JSON (as a single message), its UTF-8 size, the future
 * completing once it is written, whether it is an offer (shed first), and for a single candidate the candidate
 * itself, so that it can join a batch when it is dequeued.
 */
record Outbound(String to, String json, int bytes, CompletableFuture<Void> done, boolean offer,
        SignalingMessage.Candidate candidate) {
}
