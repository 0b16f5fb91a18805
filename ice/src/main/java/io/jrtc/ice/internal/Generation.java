package io.jrtc.ice.internal;

import io.jrtc.ice.IceCredentials;

/**
 * One ICE generation: the credentials between two restarts (RFC 8445 §9). The previous generation is kept while
 * its selected pair still carries data after a restart.
 */
public final class Generation {

    public final int number;
    public final IceCredentials local;
    public IceCredentials remote;

    public Generation(int number, IceCredentials local, IceCredentials remote) {
        this.number = number;
        this.local = local;
        this.remote = remote;
    }

    /** USERNAME for our requests: {@code <remote ufrag>:<local ufrag>} (RFC 8445 §7.2.2). */
    public String outgoingUsername() {
        return remote.ufrag() + ":" + local.ufrag();
    }
}
