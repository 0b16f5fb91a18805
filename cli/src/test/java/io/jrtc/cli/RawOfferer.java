package io.jrtc.cli;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingMessage;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test-side offerer that does its own signaling, so tests can send what {@link ClientAgent} never would: garbage
 * offers, re-offers with an ICE restart, a second session under the same agent id without a bye.
 */
final class RawOfferer implements AutoCloseable {

    final SignalingClient signaling;
    final BlockingQueue<SignalingMessage> inbox = new LinkedBlockingQueue<>();
    private final PeerConnectionFactory factory;
    private final String to;
    volatile PeerConnection pc;
    // confined to the current connection's loop
    private boolean offerSent;
    private final List<RtcIceCandidate> held = new java.util.ArrayList<>();

    RawOfferer(PeerConnectionFactory factory, AgentConfig config, String to) throws Exception {
        this.factory = factory;
        this.to = to;
        this.signaling = new SignalingClient(config.signalingConfig());
        signaling.onMessage(this::onSignal);
        signaling.connect().get(10, TimeUnit.SECONDS);
    }

    private void onSignal(SignalingMessage m) {
        PeerConnection p = pc;
        switch (m) {
            case SignalingMessage.Answer a when p != null -> p.setRemoteDescription(RtcSessionDescription.answer(a.sdp()));
            case SignalingMessage.Candidate c when p != null ->
                    p.addIceCandidate(new RtcIceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
            default -> { }
        }
        inbox.add(m);
    }

    /** A fresh connection (a new SDP session) with one channel; offers it; returns the channel once open. */
    DataChannel newSession() throws Exception {
        PeerConnection p = factory.createPeerConnection(RtcConfiguration.builder().addBindAddress(Loopback.LOOPBACK).build());
        pc = p;
        offerSent = false;
        held.clear();
        // like a browser, candidates go out only after the offer they belong to (signaling keeps the order)
        p.onIceCandidate(c -> {
            if (offerSent) {
                sendCandidate(c);
            } else {
                held.add(c);
            }
        });
        DataChannel ch = p.createDataChannel("raw");
        CompletableFuture<Void> open = new CompletableFuture<>();
        p.execute(() -> ch.onOpen(() -> open.complete(null)));
        offer(false);
        open.get(20, TimeUnit.SECONDS);
        return ch;
    }

    /** Creates, applies and sends an offer on the current connection (an ICE restart if asked). */
    void offer(boolean iceRestart) throws Exception {
        PeerConnection p = pc;
        p.execute(() -> offerSent = false);
        RtcSessionDescription o = p.createOffer(iceRestart).get(5, TimeUnit.SECONDS);
        p.setLocalDescription(o).get(5, TimeUnit.SECONDS);
        signaling.sendOffer(to, o.sdp()).get(5, TimeUnit.SECONDS);
        CompletableFuture<Void> flushed = new CompletableFuture<>();
        p.execute(() -> {
            offerSent = true;
            held.forEach(this::sendCandidate);
            held.clear();
            flushed.complete(null);
        });
        flushed.get(5, TimeUnit.SECONDS);
    }

    private void sendCandidate(RtcIceCandidate c) {
        if (c.isEndOfCandidates()) {
            signaling.sendEndOfCandidates(to, c.sdpMid(), c.sdpMLineIndex());
        } else {
            signaling.sendCandidate(to, c.candidate(), c.sdpMid(), c.sdpMLineIndex());
        }
    }

    /** Sends {@code text} on {@code ch} and returns the next message that comes back on it. */
    String roundTrip(DataChannel ch, String text) throws Exception {
        CompletableFuture<String> back = new CompletableFuture<>();
        pc.execute(() -> {
            ch.onMessage((DataChannelMessage m) -> back.complete(m.isBinary() ? "binary:" + m.size() : m.text()));
            ch.send(text);
        });
        return back.get(10, TimeUnit.SECONDS);
    }

    /** The next message of {@code type} within {@code seconds}, or null. */
    <T extends SignalingMessage> T next(Class<T> type, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            SignalingMessage m = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (pc != null) {
            pc.close();
        }
        signaling.close();
    }
}
