package io.jrtc.ice.internal;

import io.jrtc.ice.IceCandidate;
import java.net.InetSocketAddress;

/** A remote candidate; {@link #address} is null while its host is an unresolved name (an mDNS {@code .local}). */
public final class RemoteCand {

    public IceCandidate candidate;
    public final InetSocketAddress address;

    public RemoteCand(IceCandidate candidate, InetSocketAddress address) {
        this.candidate = candidate;
        this.address = address;
    }

    @Override
    public String toString() {
        return candidate.toString();
    }
}
