package io.jrtc.dtls.internal;

import io.jrtc.common.ErrorKind;
import org.bouncycastle.tls.DTLSTransport;

/** What the handshake thread hands back to the owner, exactly once. */
public sealed interface HandshakeOutcome {

    /** The handshake completed; details are in the {@link Session}. */
    record Succeeded(DTLSTransport transport) implements HandshakeOutcome {
    }

    /** The handshake failed. */
    record Failed(ErrorKind kind, String reason) implements HandshakeOutcome {
    }
}
