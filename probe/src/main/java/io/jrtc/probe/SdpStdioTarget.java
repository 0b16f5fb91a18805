package io.jrtc.probe;

import io.jrtc.ice.IceGatheringState;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcSessionDescription;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The manual route ({@code --sdp-stdio}), for stacks with no signaling: for each scenario's connection, jrtc prints
 * its offer (or reads the target's offer and prints its answer), complete with candidates (no trickle), and reads the
 * other description from the input. A description ends at an empty line (SDP has none). Lines starting with
 * {@code #} in the output are instructions for the person or script on the other end.
 */
public final class SdpStdioTarget implements ProbeTarget {

    private final BufferedReader in;
    private final PrintWriter out;
    private final List<InetAddress> bind;
    private int connections;

    /** @param bind the addresses jrtc gathers on (empty: its default interfaces) */
    public SdpStdioTarget(BufferedReader in, PrintWriter out, List<InetAddress> bind) {
        this.in = in;
        this.out = out;
        this.bind = List.copyOf(bind);
    }

    @Override
    public String name() {
        return "sdp-stdio";
    }

    @Override
    public RtcConfiguration.Builder baseConfiguration() {
        return RtcConfiguration.builder().bindAddresses(bind);
    }

    @Override
    public Link connect(PeerConnection ours, Role role, Duration timeout, UnaryOperator<String> rewrite) throws Exception {
        long t = timeout.toMillis();
        int n = ++connections;
        String remote;
        if (role == Role.OFFERER) {
            ours.setLocalDescription(ours.createOffer().get(t, TimeUnit.MILLISECONDS)).get(t, TimeUnit.MILLISECONDS);
            print("# connection " + n + ": jrtc's offer; answer it and send the answer back, ending with an empty line",
                    rewrite.apply(gathered(ours, t)));
            remote = read();
            ours.setRemoteDescription(RtcSessionDescription.answer(remote)).get(t, TimeUnit.MILLISECONDS);
        } else {
            out.println("# connection " + n + ": send an offer (with a data channel), ending with an empty line");
            out.flush();
            remote = read();
            ours.setRemoteDescription(RtcSessionDescription.offer(remote)).get(t, TimeUnit.MILLISECONDS);
            ours.setLocalDescription(ours.createAnswer().get(t, TimeUnit.MILLISECONDS)).get(t, TimeUnit.MILLISECONDS);
            print("# connection " + n + ": jrtc's answer", rewrite.apply(gathered(ours, t)));
        }
        AtomicReference<String> latest = new AtomicReference<>(remote);
        // jrtc's end-of-candidates of the ICE generation a restart starts (the route trickles nothing: it waits for it)
        AtomicReference<CompletableFuture<Void>> gatheredAgain = new AtomicReference<>(new CompletableFuture<>());
        ours.onIceCandidate(c -> {
            if (c.isEndOfCandidates()) {
                gatheredAgain.get().complete(null);
            }
        });
        return new Link() {
            @Override
            public Optional<TargetControl> control() {
                return Optional.empty();
            }

            @Override
            public String remoteSdp() {
                return latest.get();
            }

            /** A second exchange of whole descriptions on this connection, with new ICE credentials. */
            @Override
            public String restartIce(Duration timeout) throws Exception {
                long ms = timeout.toMillis();
                CompletableFuture<Void> gathered = new CompletableFuture<>();
                gatheredAgain.set(gathered);
                String remote;
                if (role == Role.OFFERER) {
                    ours.setLocalDescription(ours.createOffer(true).get(ms, TimeUnit.MILLISECONDS)).get(ms, TimeUnit.MILLISECONDS);
                    gathered.get(ms, TimeUnit.MILLISECONDS);
                    print("# connection " + n + ": ICE restart: jrtc's new offer (new ice-ufrag and ice-pwd); answer it on the "
                            + "same connection and send the answer back, ending with an empty line",
                            rewrite.apply(ours.localDescription().orElseThrow().sdp()));
                    remote = read();
                    ours.setRemoteDescription(RtcSessionDescription.answer(remote)).get(ms, TimeUnit.MILLISECONDS);
                } else {
                    out.println("# connection " + n + ": ICE restart: send an offer with new ICE credentials on the same "
                            + "connection (createOffer({iceRestart: true})), ending with an empty line");
                    out.flush();
                    remote = read();
                    ours.setRemoteDescription(RtcSessionDescription.offer(remote)).get(ms, TimeUnit.MILLISECONDS);
                    ours.setLocalDescription(ours.createAnswer().get(ms, TimeUnit.MILLISECONDS)).get(ms, TimeUnit.MILLISECONDS);
                    gathered.get(ms, TimeUnit.MILLISECONDS);
                    print("# connection " + n + ": jrtc's answer to the ICE restart",
                            rewrite.apply(ours.localDescription().orElseThrow().sdp()));
                }
                latest.set(remote);
                return remote;
            }

            @Override
            public void close() {
            }
        };
    }

    /** The local description once gathering is complete (every candidate in it). */
    private static String gathered(PeerConnection pc, long timeoutMs) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pc.onIceGatheringStateChange(s -> {
            if (s == IceGatheringState.COMPLETE) {
                done.complete(null);
            }
        });
        if (pc.iceGatheringState() == IceGatheringState.COMPLETE) {
            done.complete(null);
        }
        done.get(timeoutMs, TimeUnit.MILLISECONDS);
        return pc.localDescription().orElseThrow().sdp();
    }

    private void print(String instruction, String sdp) {
        synchronized (out) {
            out.println(instruction);
            out.print(sdp.endsWith("\n") ? sdp : sdp + "\r\n");
            out.println();
            out.flush();
        }
    }

    /** One description: lines up to an empty line (or the end of the input). */
    private String read() throws IOException {
        StringBuilder b = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String l = line.strip();
            if (l.isEmpty()) {
                if (b.length() > 0) {
                    break;
                }
                continue;
            }
            if (!l.startsWith("#")) {
                b.append(l).append("\r\n");
            }
        }
        if (b.length() == 0) {
            throw new IOException("the input ended without a session description");
        }
        return b.toString();
    }

    @Override
    public void close() {
    }
}
