package io.jrtc.perf.soak;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcPeerConnectionState;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connection offered to an echo agent through a jrtc signaling server: its own {@link SignalingClient} (agent id
 * {@code self}), a {@link PeerConnection} with one data channel, offer and trickled candidates out, answer and
 * candidates in. {@link #open} waits until the channel is open. Closing sends {@code bye} and closes both.
 */
public final class EchoConnection implements AutoCloseable {

    private final SignalingClient signaling;
    private final PeerConnection pc;
    private final String remote;
    private final CompletableFuture<DataChannel> opened = new CompletableFuture<>();
    // loop-confined
    private boolean offerSent;
    private final List<RtcIceCandidate> held = new ArrayList<>();
    private DataChannel channel;
    private volatile String byeFailure;

    private EchoConnection(SignalingClient signaling, PeerConnection pc, String remote) {
        this.signaling = signaling;
        this.pc = pc;
        this.remote = remote;
    }

    /** Registers {@code self} (a new signaling client), offers {@code remote} a channel labelled {@code label}, waits until it is open. */
    public static EchoConnection open(PeerConnectionFactory factory, RtcConfiguration config, SignalingClient signaling,
            String remote, String label, Duration timeout) throws Exception {
        EchoConnection c = new EchoConnection(signaling, factory.createPeerConnection(config), remote);
        signaling.onMessage(c::onSignal);
        try {
            signaling.connect().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            c.start(label);
            c.opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void start(String label) {
        pc.onIceCandidate(this::onLocalCandidate);
        pc.onConnectionStateChange(s -> {
            if (s == RtcPeerConnectionState.FAILED || s == RtcPeerConnectionState.CLOSED) {
                opened.completeExceptionally(new IllegalStateException("connection to " + remote + " " + s));
            }
        });
        pc.execute(() -> {
            channel = pc.createDataChannel(label);
            channel.onOpen(() -> opened.complete(channel));
            pc.createOffer().thenCompose(o -> pc.setLocalDescription(o).thenApply(v -> o)).whenComplete((o, e) -> pc.execute(() -> {
                if (e != null) {
                    opened.completeExceptionally(e);
                    return;
                }
                signaling.sendOffer(remote, o.sdp());
                offerSent = true;
                held.forEach(this::sendCandidate);
                held.clear();
            }));
        });
    }

    private void onLocalCandidate(RtcIceCandidate c) {
        if (offerSent) {
            sendCandidate(c);
        } else {
            held.add(c);
        }
    }

    private void sendCandidate(RtcIceCandidate c) {
        if (c.isEndOfCandidates()) {
            signaling.sendEndOfCandidates(remote, c.sdpMid(), c.sdpMLineIndex());
        } else {
            signaling.sendCandidate(remote, c.candidate(), c.sdpMid(), c.sdpMLineIndex());
        }
    }

    private void onSignal(SignalingMessage m) {
        switch (m) {
            case SignalingMessage.Answer a when a.from().equals(remote) ->
                    pc.setRemoteDescription(RtcSessionDescription.answer(a.sdp())).whenComplete((v, e) -> {
                        if (e != null) {
                            opened.completeExceptionally(e);
                        }
                    });
            case SignalingMessage.Candidate c when c.from().equals(remote) ->
                    pc.addIceCandidate(new RtcIceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
            case SignalingMessage.Bye b when b.from().equals(remote) ->
                    opened.completeExceptionally(new IllegalStateException(remote + " said bye"));
            default -> { }
        }
    }

    public PeerConnection peerConnection() {
        return pc;
    }

    /** The open channel; use it on {@link PeerConnection#execute} only. */
    public DataChannel channel() {
        return opened.getNow(null);
    }

    /**
     * Sends {@code messages} one after another on the open channel (the next after the previous echo) and checks that
     * each comes back with the same kind and bytes; completes with the round-trip times in nanoseconds.
     */
    public long[] echo(List<DataChannelMessage> messages, Duration timeout) throws InterruptedException, TimeoutException {
        CompletableFuture<long[]> done = new CompletableFuture<>();
        long[] rtts = new long[messages.size()];
        pc.execute(() -> {
            DataChannel ch = channel;
            int[] index = {0};
            long[] sentAt = {0};
            Runnable sendNext = () -> {
                DataChannelMessage m = messages.get(index[0]);
                sentAt[0] = System.nanoTime();
                if (m.isBinary()) {
                    ch.send(m.data().duplicate());
                } else {
                    ch.send(m.text());
                }
            };
            ch.onMessage(back -> {
                long now = System.nanoTime();
                DataChannelMessage want = messages.get(index[0]);
                if (back.isBinary() != want.isBinary() || back.data().mismatch(want.data().duplicate()) != -1) {
                    done.completeExceptionally(new IllegalStateException("echo #" + index[0] + " on " + ch.label()
                            + " differs: " + back.size() + " bytes back (binary " + back.isBinary() + "), "
                            + want.size() + " sent (binary " + want.isBinary() + ")"));
                    ch.onMessage(null);
                    return;
                }
                rtts[index[0]++] = now - sentAt[0];
                if (index[0] == messages.size()) {
                    ch.onMessage(null);
                    done.complete(rtts);
                } else {
                    sendNext.run();
                }
            });
            sendNext.run();
        });
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Why the {@code bye} of {@link #close()} could not be sent, or null. */
    public String byeFailure() {
        return byeFailure;
    }

    /** Sends {@code bye}, closes the peer connection and the signaling client. */
    @Override
    public void close() {
        try {
            signaling.sendBye(remote).get(5, TimeUnit.SECONDS);
        } catch (RuntimeException | ExecutionException | TimeoutException notSent) {
            byeFailure = notSent.toString(); // the signaling client never connected, or is gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pc.close();
        signaling.close();
    }
}
