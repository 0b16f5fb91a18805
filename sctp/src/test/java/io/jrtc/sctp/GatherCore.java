package io.jrtc.sctp;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.Gather;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An association seen as a {@link DatagramCore} whose packets come out of {@link SctpAssociation#pollTransmitGather()}:
 * each gather is shown to an inspector (before the association is called again, as the contract asks), then
 * flattened for the emulator.
 */
final class GatherCore implements DatagramCore {

    final SctpAssociation sctp;
    private final Consumer<Gather> inspector;

    GatherCore(SctpAssociation sctp, Consumer<Gather> inspector) {
        this.sctp = sctp;
        this.inspector = inspector;
    }

    @Override
    public void handleInput(long nowNanos, ByteBuffer datagram) {
        sctp.handleInput(nowNanos, datagram);
    }

    @Override
    public void handleTimeout(long nowNanos) {
        sctp.handleTimeout(nowNanos);
    }

    @Override
    public Optional<ByteBuffer> pollTransmit() {
        Gather g = sctp.pollTransmitGather();
        if (g == null) {
            return Optional.empty();
        }
        inspector.accept(g);
        return Optional.of(g.flatten());
    }

    @Override
    public long pollTimeout() {
        return sctp.pollTimeout();
    }
}
