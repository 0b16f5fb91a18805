package io.jrtc.peer.media;

import io.jrtc.peer.internal.media.MediaEngine;
import io.jrtc.peer.internal.media.RtpLossFilter;
import io.jrtc.peer.internal.media.Sender;
import io.jrtc.peer.internal.media.Transceiver;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic RTP loss for media tests on a real path: the tests' implementation of the engine's
 * {@link RtpLossFilter} seam. On a sender ({@link #onSend}) it drops original packets after they were built, encrypted
 * and stored for retransmission; on the engine ({@link #onReceive}) it drops received media packets after SRTP. Either
 * way NACKs can repair them; retransmissions (RTX), RTCP and a stream's first packet (the first one seen while a rule
 * is set) are never dropped: a receiver cannot NACK a packet that comes before everything it has seen.
 */
public final class SimulatedRtpLoss implements RtpLossFilter {

    /** Whether the packet {@code sequenceNumber} of {@code ssrc} is lost. */
    @FunctionalInterface
    public interface Rule {
        boolean drop(long ssrc, int sequenceNumber);
    }

    private final Map<Long, Rule> sendRules = new ConcurrentHashMap<>();
    private final Set<Long> sawFirstSent = ConcurrentHashMap.newKeySet();
    private final Map<Long, AtomicLong> sendDrops = new ConcurrentHashMap<>();
    private volatile Rule receiveRule;
    private final Set<Long> sawFirstReceived = ConcurrentHashMap.newKeySet();
    private final AtomicLong receiveDrops = new AtomicLong();

    private SimulatedRtpLoss() {
    }

    /** The loss installed on {@code engine}, installed now if there is none. */
    public static synchronized SimulatedRtpLoss of(MediaEngine engine) {
        if (engine.lossFilter() instanceof SimulatedRtpLoss loss) {
            return loss;
        }
        SimulatedRtpLoss loss = new SimulatedRtpLoss();
        engine.setLossFilter(loss);
        return loss;
    }

    /** The loss of the engine that {@code sender} belongs to. */
    public static SimulatedRtpLoss of(RtpSender sender) {
        return of(((Sender) sender).engine());
    }

    /** The loss of the engine that {@code transceiver} belongs to. */
    public static SimulatedRtpLoss of(RtpTransceiver transceiver) {
        return of(((Transceiver) transceiver).engine());
    }

    /** Loses original packets of {@code sender} for which {@code rule} says so; null ends that loss. */
    public SimulatedRtpLoss onSend(RtpSender sender, Rule rule) {
        if (rule == null) {
            sendRules.remove(sender.ssrc());
        } else {
            sendRules.put(sender.ssrc(), rule);
        }
        return this;
    }

    /** Loses received media packets (any remote SSRC) for which {@code rule} says so; null ends that loss. */
    public SimulatedRtpLoss onReceive(Rule rule) {
        receiveRule = rule;
        return this;
    }

    /** Original packets of {@code sender} lost so far. */
    public long sendDrops(RtpSender sender) {
        AtomicLong n = sendDrops.get(sender.ssrc());
        return n == null ? 0 : n.get();
    }

    /** Received packets lost so far. */
    public long receiveDrops() {
        return receiveDrops.get();
    }

    @Override
    public boolean dropSent(long ssrc, int sequenceNumber) {
        Rule rule = sendRules.get(ssrc);
        if (rule == null || sawFirstSent.add(ssrc) || !rule.drop(ssrc, sequenceNumber)) {
            return false;
        }
        sendDrops.computeIfAbsent(ssrc, k -> new AtomicLong()).incrementAndGet();
        return true;
    }

    @Override
    public boolean dropReceived(long ssrc, int sequenceNumber) {
        Rule rule = receiveRule;
        if (rule == null || sawFirstReceived.add(ssrc) || !rule.drop(ssrc, sequenceNumber)) {
            return false;
        }
        receiveDrops.incrementAndGet();
        return true;
    }
}
