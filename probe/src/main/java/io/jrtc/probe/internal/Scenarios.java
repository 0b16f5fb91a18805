package io.jrtc.probe.internal;

import java.util.List;

/** Every scenario, in run order. */
public final class Scenarios {

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return List.of(new DcepChannelTypesLocal(), new DcepChannelTypesRemote(), new DcepNonAsciiStrings(),
                new EmptyMessagePpids(), new AdvertisedMaxMessageSize(), new MaxMessageSize(), new InitCollision(),
                new InitUnknownParameter(), new AdvertisedReceiveWindow(),
                new ReceiveWindowRespected(), new StreamResetRestartsSsn(), new RecoveryAfterLoss(),
                new DcepNegotiated(), new DcepPriority(), new DcepDataBeforeAck(),
                new ForwardTsnPartialReliability(), new AssociationShutdown(),
                // last: werift 0.25.2's process dies on these two (uncaught exceptions in its SCTP packet parser)
                new ZeroChecksum(), new UnknownChunkTypes());
    }
}
