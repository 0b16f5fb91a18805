package io.jrtc.peer;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.internal.media.MediaEngine;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What an {@link RtcCore} needs from whoever runs it, beyond datagrams and time: the few things that cannot wait in
 * its event queue. The Netty edge ({@link PeerEdge}) gives the loop's; a core made without a host (tests on the
 * virtual clock) uses its own: the last {@code now} given as its clock, deferred work run inside its next call, events
 * for the rest. Every method is called on the core's thread, except {@link MediaEngine.Host#execute} and
 * {@link MediaEngine.Host#wake} of {@link #media()}.
 */
interface RtcHost {

    /** The clock SCTP and media read between inputs (an application's send between two datagrams). */
    long nanoTime();

    /** Where media's tasks and timers run, and how it asks to be drained. */
    MediaEngine.Host media();

    /** Where DTLS runs its blocking handshake (BouncyCastle's exception to sans-IO). */
    Executor handshakeExecutor(Executor configured);

    /** Runs {@code r} on the core's thread after the current task (the DTLS head start waits for the answer to leave). */
    void runLater(Runnable r);

    /** The tap point of {@link RtcConfiguration#packetTap()}. */
    TapPoint tapPoint(PacketTap tap, Consumer<ByteBuffer> send, Consumer<ByteBuffer> receive);

    /**
     * The peer opened a data channel, admitted by the limits: told at once, before its first message is delivered, so
     * the application can set {@code onMessage} in time.
     */
    void dataChannel(DataChannel ch);

    /** Whether the negotiated descriptions carry a data section (SCTP starts only then). */
    boolean dataNegotiated();
}
