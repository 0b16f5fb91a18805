package io.jrtc.perf.sctp;

import io.jrtc.common.Gather;
import io.jrtc.sctp.SctpAssociation;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.sctp.SctpEvent;
import io.jrtc.sctp.SctpState;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Two SCTP associations joined in memory on one thread, with no network, no crypto and no copies beyond what the
 * cores do themselves: the measure of the core alone. Time is virtual; it moves only to let delayed-SACK timers
 * fire when nothing else is pending.
 */
public final class SctpLoopback {

    public final SctpAssociation a;
    public final SctpAssociation b;
    /**
     * When set, A's packets are read with {@link SctpAssociation#pollTransmitGather()} and copied once into
     * {@link #record} (standing in for DTLS encrypting the ranges into its record) instead of being flattened into a
     * fresh buffer by {@code pollTransmit()}.
     */
    private boolean gather;
    private byte[] record = new byte[0];
    private long now;
    private long deliveredMessages;
    private long deliveredBytes;

    public SctpLoopback(SctpConfig.Builder config, long seed) {
        this(config.random(new SplittableRandom(seed)).build(), config.random(new SplittableRandom(seed + 1)).build());
    }

    /** Two associations with the given (possibly shared) configurations, connected. */
    public SctpLoopback(SctpConfig configA, SctpConfig configB) {
        a = new SctpAssociation(configA, "A");
        b = new SctpAssociation(configB, "B");
        a.connect(now);
        b.connect(now);
        drainTransmits();
        if (a.state() != SctpState.ESTABLISHED || b.state() != SctpState.ESTABLISHED) {
            throw new IllegalStateException("loopback handshake failed");
        }
        drainEvents();
    }

    public long now() {
        return now;
    }

    /** Moves packets both ways until neither side has anything to send. Returns the packets moved. */
    public int drainTransmits() {
        int moved = 0;
        boolean any = true;
        while (any) {
            any = false;
            if (gather) {
                for (Gather g = a.pollTransmitGather(); g != null; g = a.pollTransmitGather()) {
                    b.handleInput(now, copyToRecord(g));
                    moved++;
                    any = true;
                }
            } else {
                for (Optional<ByteBuffer> p = a.pollTransmit(); p.isPresent(); p = a.pollTransmit()) {
                    b.handleInput(now, p.get());
                    moved++;
                    any = true;
                }
            }
            for (Optional<ByteBuffer> p = b.pollTransmit(); p.isPresent(); p = b.pollTransmit()) {
                a.handleInput(now, p.get());
                moved++;
                any = true;
            }
        }
        return moved;
    }

    /** Reads A's packets as gathers from now on (see {@link #gather}). */
    public void useGather(boolean on) {
        gather = on;
    }

    /** The gather's ranges copied in order into the reused record buffer: the one pass DTLS makes over them. */
    private ByteBuffer copyToRecord(Gather g) {
        if (record.length < g.length()) {
            record = new byte[g.length()];
        }
        int at = 0;
        for (int i = 0; i < g.pieces(); i++) {
            System.arraycopy(g.array(i), g.offset(i), record, at, g.length(i));
            at += g.length(i);
        }
        return ByteBuffer.wrap(record, 0, at);
    }

    /** Drains B's events, counting delivered messages; drops A's. */
    public void drainEvents() {
        for (Optional<SctpEvent> e = b.pollEvent(); e.isPresent(); e = b.pollEvent()) {
            if (e.get() instanceof SctpEvent.MessageReceived m) {
                deliveredMessages++;
                deliveredBytes += m.data().remaining();
            }
        }
        while (a.pollEvent().isPresent()) {
            // BufferedAmountLow etc.
        }
    }

    /** Drains until B has delivered {@code target} messages in total, firing timers when traffic stalls. */
    public void deliverUntil(long target) {
        while (deliveredMessages < target) {
            int moved = drainTransmits();
            drainEvents();
            if (moved == 0 && deliveredMessages < target) {
                long t = Math.min(a.pollTimeout(), b.pollTimeout());
                if (t == SctpAssociation.NO_TIMEOUT) {
                    throw new IllegalStateException("stalled with nothing pending: " + a.stats());
                }
                now = Math.max(now, t);
                a.handleTimeout(now);
                b.handleTimeout(now);
            }
        }
    }

    public long deliveredMessages() {
        return deliveredMessages;
    }

    public long deliveredBytes() {
        return deliveredBytes;
    }
}
