package io.jrtc.cli.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.datachannel.DataChannelState;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.sctp.SctpConfig;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up warm-up for a long-running agent: a few data channel connections from the agent's own factory to itself
 * over 127.0.0.1, with a burst of echoed messages on each. The first connection a fresh JVM makes pays for loading
 * and initialising a few thousand classes (ice4j, BouncyCastle's TLS and JCA code, Netty, SCTP, SRTP) and runs the
 * handshake code in the interpreter; doing that here, before the agent registers, takes that cost off the first
 * remote peer's connection. Best effort: a failure is logged and the agent starts anyway.
 */
final class WarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

    private WarmUp() {
    }

    /** Runs {@code connections} self-connections with {@code messages} echoes each; returns the time taken in ms. */
    static long selfConnect(PeerConnectionFactory factory, int connections, int messages, Consumer<DataChannel> answerer) {
        long t0 = System.nanoTime();
        selfConnect(factory, connections, messages, answerer, () -> false);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        LOG.debug("warm-up: {} self-connection(s) with {} echoes each in {} ms", connections, messages, ms);
        return ms;
    }

    /**
     * Runs up to {@code connections} self-connections, stopping early when {@code stop} says so (asked before each);
     * returns how many completed. A failure is logged and ends the warm-up.
     */
    static int selfConnect(PeerConnectionFactory factory, int connections, int messages, Consumer<DataChannel> answerer,
                           BooleanSupplier stop) {
        int done = 0;
        try {
            for (int i = 0; i < connections && !stop.getAsBoolean(); i++) {
                oneConnection(factory, messages, i % 2 == 1, answerer);
                done++;
            }
        } catch (Exception e) {
            LOG.warn("warm-up self-connection failed (the agent starts anyway): {}", e.toString());
        }
        return done;
    }

    /** Connections made by this JVM's warm-ups (they run on one thread at a time). */
    private static int connectionsMade;

    /**
     * The echoing side's message listener: one of three classes in turn. The JIT compiles the channel's listener call
     * site from the warm-up's profile; had it seen one or two listener classes only, the agent's own listener would
     * later meet code specialised for those and be deoptimized and recompiled during its first real echoes (seen as a
     * p99 of 1.4-2.1 ms in the first 1,000-echo run after the warm-up, against 0.25 ms in the next). With three, the
     * call site is compiled for any listener.
     */
    private static Consumer<DataChannelMessage> echoHandler(DataChannel ch, int n) {
        return switch (n % 3) {
            case 0 -> m -> {
                if (m.isBinary()) {
                    ch.send(m);
                } else {
                    ch.send(m.text());
                }
            };
            case 1 -> m -> {
                if (m.isBinary()) {
                    ch.send(m);
                } else {
                    ch.send(m.text());
                }
            };
            default -> new Consumer<>() {
                @Override
                public void accept(DataChannelMessage m) {
                    if (m.isBinary()) {
                        ch.send(m);
                    } else {
                        ch.send(m.text());
                    }
                }
            };
        };
    }

    /**
     * One self-connection; its answering side echoes with {@code answerer} (the agent's own channel code, when given),
     * except every fourth connection, which uses {@link #echoHandler}. With {@code checksums}, SCTP's zero-checksum option (RFC 9653) is off on both sides, as with
     * every foreign stack that does not offer it (Pion, werift, Firefox): otherwise the warm-up never computes a CRC32C
     * and the first foreign peer's echoes run while the JIT compiles that path (seen as a p99 of 0.7 ms and a 24 ms
     * maximum in the first 1,000-echo run from Pion after the warm-up, with `CRC32C.update` among the methods compiled
     * during it).
     */
    private static void oneConnection(PeerConnectionFactory factory, int messages, boolean checksums,
                                      Consumer<DataChannel> answerer) throws Exception {
        RtcConfiguration.Builder cb = RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress());
        if (checksums) {
            cb.sctpTuning(SctpConfig.defaults().toBuilder().zeroChecksum(false).build());
        }
        RtcConfiguration cfg = cb.build();
        PeerConnection a = factory.createPeerConnection(cfg);
        PeerConnection b = factory.createPeerConnection(cfg);
        try {
            a.onIceCandidate(b::addIceCandidate);
            b.onIceCandidate(a::addIceCandidate);
            Semaphore echoed = new Semaphore(0);
            int n = connectionsMade++;
            if (answerer != null && n % 4 != 3) {
                b.onDataChannel(answerer); // the agent's own echo code, three connections in four
            } else {
                b.onDataChannel(ch -> ch.onMessage(echoHandler(ch, n)));
            }
            DataChannel ch = a.createDataChannel("warm-up");
            CompletableFuture<Void> open = new CompletableFuture<>();
            a.execute(() -> {
                if (ch.readyState() == DataChannelState.OPEN) {
                    open.complete(null);
                } else {
                    ch.onOpen(() -> open.complete(null));
                }
            });
            ch.onMessage(m -> echoed.release());
            a.createOffer()
                    .thenCompose(o -> a.setLocalDescription(o).thenApply(v -> o))
                    .thenCompose(b::setRemoteDescription)
                    .thenCompose(v -> b.createAnswer())
                    .thenCompose(ans -> b.setLocalDescription(ans).thenApply(v -> ans))
                    .thenCompose(a::setRemoteDescription)
                    .get(10, TimeUnit.SECONDS);
            open.get(10, TimeUnit.SECONDS);
            byte[] payload = new byte[32];
            for (int i = 0; i < messages; i++) {
                if (i % 2 == 0) {
                    ch.send(payload);
                } else {
                    ch.send("warm-up " + i);
                }
                if (!echoed.tryAcquire(5, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("warm-up echo " + i + " not answered in 5 s");
                }
            }
        } finally {
            a.close();
            b.close();
        }
    }
}
