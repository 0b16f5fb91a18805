package io.jrtc.signaling.client;

import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Coalesces queued candidates into {@code candidates} batches (protocol 1, revision 3). When a candidate is
 * dequeued for sending, the candidates queued after it for the same recipient join it, in order, up to the
 * first message of another type to that recipient (a candidate never overtakes an offer, answer or bye to its
 * recipient; messages to other recipients are left in place). A batch holds at most {@code maxCandidates}
 * elements and stays under {@code maxBytes}. Stateless; the queue is the caller's (loop-confined).
 */
final class CandidateBatcher {

    /**
     * Room left for the batch envelope: {@code type}, {@code to}, and the {@code from} the server adds. Each
     * element is counted at its size as a single message, which includes more than the element itself.
     */
    static final int ENVELOPE_BYTES = 256;

    private CandidateBatcher() {
    }

    /** {@code first} (a candidate just dequeued) and the queued candidates that join it, removed from {@code queue}. */
    static List<Outbound> collect(Deque<Outbound> queue, Outbound first, int maxCandidates, int maxBytes) {
        List<Outbound> batch = new ArrayList<>();
        batch.add(first);
        long bytes = ENVELOPE_BYTES + first.bytes();
        Iterator<Outbound> it = queue.iterator();
        while (it.hasNext() && batch.size() < maxCandidates) {
            Outbound p = it.next();
            if (!first.to().equals(p.to())) {
                continue; // another recipient, or none (a link report to the server)
            }
            if (p.candidate() == null || bytes + p.bytes() > maxBytes) {
                break;
            }
            bytes += p.bytes();
            batch.add(p);
            it.remove();
        }
        return batch;
    }

    /** The JSON of a batch of two or more candidates. */
    static String encode(List<Outbound> batch) {
        List<SignalingMessage.Candidate> list = new ArrayList<>(batch.size());
        for (Outbound o : batch) {
            list.add(o.candidate());
        }
        return SignalingCodec.encode(new SignalingMessage.Candidates(batch.get(0).to(), null, list));
    }
}
