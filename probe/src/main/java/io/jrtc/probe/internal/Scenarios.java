package io.jrtc.probe.internal;

import java.util.List;

/** Every scenario, in run order. */
public final class Scenarios {

    private Scenarios() {
    }

    /** Scenarios of 30 s or more, run only when named ({@code --only}). */
    public static List<Scenario> longRunning() {
        return List.of(new IceConsentFreshness());
    }

    /** {@link #all()} and {@link #longRunning()}. */
    public static List<Scenario> withLongRunning() {
        List<Scenario> out = new java.util.ArrayList<>(all());
        out.addAll(longRunning());
        return out;
    }

    /** Every scenario of a default run, in run order. */
    public static List<Scenario> all() {
        return List.of(new IceConnectivityChecks(), new IceRoleConflict(), new IceTrickle(), new IceRestart(),
                new DtlsSetupRole(), new DtlsCipherSuites(),
                new DtlsExtendedMasterSecret(), new DtlsFingerprint(), new DtlsLostFlight(), new DtlsLostFinished(),
                new DcepChannelTypesLocal(), new DcepChannelTypesRemote(), new DcepNonAsciiStrings(),
                new EmptyMessagePpids(), new AdvertisedMaxMessageSize(), new MaxMessageSize(), new InitCollision(),
                new InitUnknownParameter(), new AdvertisedReceiveWindow(),
                new ReceiveWindowRespected(), new StreamResetRestartsSsn(), StreamResetRestartsSsn.afterInProgress(), new RecoveryAfterLoss(),
                new DcepNegotiated(), new DcepPriority(), new DcepDataBeforeAck(),
                new ForwardTsnPartialReliability(), new AssociationShutdown(),
                // last: werift 0.25.2's process dies on these two (uncaught exceptions in its SCTP packet parser)
                new DtlsFingerprintMismatch(), DtlsFingerprintHash.weak(), DtlsFingerprintHash.strong(),
                new ZeroChecksum(), new UnknownChunkTypes());
    }
}
