package io.jrtc.ice.nat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A NAT with a chosen mapping and filtering behaviour in front of a modelled RFC 5780 STUN server with a primary
 * address {@link #PRIMARY} and another {@link #OTHER}. Answers are hand-made bytes ({@link StunBytes}). Knobs model
 * broken servers: no OTHER-ADDRESS, CHANGE-REQUEST ignored, or refused with 420.
 */
final class ModelledNat {

    static final InetSocketAddress LOCAL = new InetSocketAddress(ip("10.0.0.5"), 50000);
    static final InetSocketAddress PRIMARY = new InetSocketAddress(ip("192.0.2.1"), 3478);
    static final InetSocketAddress OTHER = new InetSocketAddress(ip("192.0.2.2"), 3479);
    static final InetAddress PUBLIC_IP = ip("198.51.100.7");

    /** A datagram delivered to the client. */
    record Delivery(InetSocketAddress from, ByteBuffer data) {
    }

    final MappingBehavior mapping;
    final FilteringBehavior filtering;
    /** False: no NAT at all (the mapped address is the local one), filtering still applies (a firewall). */
    boolean nat = true;
    boolean sendOtherAddress = true;
    boolean honourChangeRequest = true;
    boolean refuseChangeRequest;
    /** Sees every request before the model answers it. */
    java.util.function.Consumer<ByteBuffer> onRequest = data -> { };

    private final List<InetSocketAddress> destinations = new ArrayList<>();
    private final Set<InetSocketAddress> contacted = new HashSet<>();
    final List<InetSocketAddress> filteredOut = new ArrayList<>();

    ModelledNat(MappingBehavior mapping, FilteringBehavior filtering) {
        this.mapping = mapping;
        this.filtering = filtering;
    }

    /** The client sent {@code data} to {@code to}: returns what reaches the client back, or null. */
    Delivery send(InetSocketAddress to, ByteBuffer data) {
        onRequest.accept(data.duplicate());
        contacted.add(to);
        InetSocketAddress mapped = mappedFor(to);
        byte[] tid = StunBytes.transactionId(data);
        boolean[] change = StunBytes.changeRequest(data);
        if ((change[0] || change[1]) && refuseChangeRequest) {
            return filter(to, StunBytes.error(tid).errorCode(420, "Unknown Attribute").build());
        }
        InetSocketAddress source = to;
        if (honourChangeRequest && change[0]) {
            source = new InetSocketAddress(source.getAddress().equals(PRIMARY.getAddress()) ? OTHER.getAddress()
                    : PRIMARY.getAddress(), source.getPort());
        }
        if (honourChangeRequest && change[1]) {
            source = new InetSocketAddress(source.getAddress(), source.getPort() == PRIMARY.getPort() ? OTHER.getPort()
                    : PRIMARY.getPort());
        }
        StunBytes.Builder b = StunBytes.success(tid).xorMapped(mapped).responseOrigin(source);
        if (sendOtherAddress) {
            b.otherAddress(OTHER);
        }
        return filter(source, b.build());
    }

    private Delivery filter(InetSocketAddress source, ByteBuffer answer) {
        boolean pass = switch (filtering) {
            case ENDPOINT_INDEPENDENT, UNKNOWN -> true;
            case ADDRESS_DEPENDENT -> contacted.stream().anyMatch(c -> c.getAddress().equals(source.getAddress()));
            case ADDRESS_AND_PORT_DEPENDENT -> contacted.contains(source);
        };
        if (!pass) {
            filteredOut.add(source);
            return null;
        }
        return new Delivery(source, answer);
    }

    InetSocketAddress mappedFor(InetSocketAddress to) {
        if (!nat) {
            return LOCAL;
        }
        if (!destinations.contains(to)) {
            destinations.add(to);
        }
        int index = switch (mapping) {
            case ENDPOINT_INDEPENDENT, UNKNOWN -> 0;
            case ADDRESS_DEPENDENT -> distinctIpsBefore(to);
            case ADDRESS_AND_PORT_DEPENDENT -> destinations.indexOf(to);
        };
        return new InetSocketAddress(PUBLIC_IP, 40000 + index);
    }

    private int distinctIpsBefore(InetSocketAddress to) {
        List<InetAddress> ips = new ArrayList<>();
        for (InetSocketAddress d : destinations) {
            if (!ips.contains(d.getAddress())) {
                ips.add(d.getAddress());
            }
        }
        return ips.indexOf(to.getAddress());
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
