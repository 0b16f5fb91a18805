package io.jrtc.ice;

import io.jrtc.ice.internal.ChannelData;
import io.jrtc.ice.internal.Stun;
import io.jrtc.ice.internal.StunScan;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.ice4j.StunException;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.ChannelNumberAttribute;
import org.ice4j.attribute.DataAttribute;
import org.ice4j.attribute.LifetimeAttribute;
import org.ice4j.attribute.NonceAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Indication;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;

/**
 * A small TURN server (RFC 8656, UDP only) and STUN Binding server for the virtual network, written for tests with
 * ice4j's message classes: 401 realm/nonce challenge, long-term credentials, optional stale nonces (438),
 * allocations with lifetimes, permissions (300 s) and channels (600 s) that really expire on the virtual clock,
 * Send/Data indications and ChannelData. It counts every request so tests can check refresh timing.
 */
final class FakeTurnServer implements VirtualNetwork.Service {

    static final String REALM = "jrtc.test";

    final InetSocketAddress address;
    final String user;
    final String password;
    final InetAddress relayIp;
    int grantedLifetime = 600;
    /** When > 0, a nonce is accepted for this long only (virtual nanoseconds), then 438 is answered. */
    long nonceLifetimeNanos;

    int allocates;
    int refreshes;
    int deallocations;
    int createPermissions;
    int channelBinds;
    int staleNonces;
    int unauthorized;
    int bindings;
    int sendIndications;
    int channelDataFromClient;
    int dataIndicationsToClient;
    int channelDataToClient;
    int droppedNoPermission;

    private String nonce = "nonce-0";
    private long nonceIssuedAt;
    private int nonceCounter;
    private int nextRelayPort = 50000;
    private final Map<InetSocketAddress, Allocation> byClient = new HashMap<>();
    private final Map<InetSocketAddress, Allocation> byRelay = new HashMap<>();

    static final class Allocation {
        final InetSocketAddress client;
        final InetSocketAddress relayed;
        long expiresAt;
        final Map<InetAddress, Long> permissions = new HashMap<>();
        final Map<Integer, InetSocketAddress> channels = new HashMap<>();
        final Map<InetSocketAddress, Integer> channelOf = new HashMap<>();
        final Map<Integer, Long> channelExpiry = new HashMap<>();

        Allocation(InetSocketAddress client, InetSocketAddress relayed) {
            this.client = client;
            this.relayed = relayed;
        }
    }

    FakeTurnServer(InetSocketAddress address, String user, String password, String relayIp) {
        this.address = address;
        this.user = user;
        this.password = password;
        this.relayIp = VirtualNetwork.ip(relayIp);
    }

    Allocation allocationOf(InetSocketAddress client) {
        return byClient.get(client);
    }

    int liveAllocations(long now) {
        int n = 0;
        for (Allocation a : byClient.values()) {
            if (a.expiresAt > now) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void receive(VirtualNetwork net, InetSocketAddress to, InetSocketAddress from, byte[] data) {
        long now = net.now();
        if (!to.equals(address)) {
            fromPeer(net, to, from, data, now);
            return;
        }
        if (data.length > 0 && ChannelData.looksLikeChannelData(data[0] & 0xFF)) {
            Allocation a = live(from, now);
            if (a == null) {
                return;
            }
            try {
                ChannelData cd = ChannelData.parse(ByteBuffer.wrap(data));
                InetSocketAddress peer = a.channels.get(cd.channel());
                Long exp = a.channelExpiry.get(cd.channel());
                if (peer == null || exp == null || exp <= now) {
                    return;
                }
                channelDataFromClient++;
                byte[] payload = new byte[cd.data().remaining()];
                cd.data().get(payload);
                net.sendFrom(a.relayed, peer, payload);
            } catch (io.jrtc.common.ParseException e) {
                // ignore
            }
            return;
        }
        StunScan scan = StunScan.scan(data, data.length);
        if (!scan.ok()) {
            return;
        }
        Message m = Stun.decode(data, data.length);
        if (m == null) {
            return;
        }
        int method = scan.method();
        if (scan.messageClass() == Stun.CLASS_INDICATION && method == Stun.METHOD_SEND) {
            Allocation a = live(from, now);
            InetSocketAddress peer = Stun.xorAddress(m, Attribute.XOR_PEER_ADDRESS);
            if (a == null || peer == null || !(m.getAttribute(Attribute.DATA) instanceof DataAttribute d)) {
                return;
            }
            if (!permitted(a, peer.getAddress(), now)) {
                droppedNoPermission++;
                return;
            }
            sendIndications++;
            net.sendFrom(a.relayed, peer, d.getData());
            return;
        }
        if (scan.messageClass() != Stun.CLASS_REQUEST) {
            return;
        }
        if (method == Stun.METHOD_BINDING) {
            bindings++;
            Response r = MessageFactory.createBindingResponse((Request) m, Stun.ta(from));
            reply(net, from, r, m, null);
            return;
        }
        // Long-term credential check (RFC 8489 §9.2.4).
        if (scan.miOffset() < 0 || !(m.getAttribute(Attribute.USERNAME) instanceof UsernameAttribute u)) {
            unauthorized++;
            Response r = error(method, 401, "Unauthorized");
            r.putAttribute(AttributeFactory.createRealmAttribute(REALM.getBytes(StandardCharsets.UTF_8)));
            r.putAttribute(AttributeFactory.createNonceAttribute(currentNonce(now).getBytes(StandardCharsets.UTF_8)));
            reply(net, from, r, m, null);
            return;
        }
        byte[] key = Stun.longTermKey(user, REALM, password);
        if (!new String(u.getUsername(), StandardCharsets.UTF_8).equals(user) || !Stun.verifyIntegrity(data, scan.miOffset(), key)) {
            unauthorized++;
            Response r = error(method, 401, "Unauthorized");
            r.putAttribute(AttributeFactory.createRealmAttribute(REALM.getBytes(StandardCharsets.UTF_8)));
            r.putAttribute(AttributeFactory.createNonceAttribute(currentNonce(now).getBytes(StandardCharsets.UTF_8)));
            reply(net, from, r, m, null);
            return;
        }
        String theirNonce = m.getAttribute(Attribute.NONCE) instanceof NonceAttribute n
                ? new String(n.getNonce(), StandardCharsets.UTF_8) : "";
        if (!theirNonce.equals(currentNonce(now))) {
            staleNonces++;
            Response r = error(method, 438, "Stale Nonce");
            r.putAttribute(AttributeFactory.createRealmAttribute(REALM.getBytes(StandardCharsets.UTF_8)));
            r.putAttribute(AttributeFactory.createNonceAttribute(currentNonce(now).getBytes(StandardCharsets.UTF_8)));
            reply(net, from, r, m, null);
            return;
        }
        switch (method) {
            case Stun.METHOD_ALLOCATE -> {
                allocates++;
                Allocation a = live(from, now);
                if (a == null) {
                    a = new Allocation(from, new InetSocketAddress(relayIp, nextRelayPort++));
                    byClient.put(from, a);
                    byRelay.put(a.relayed, a);
                    net.addService(a.relayed, this);
                }
                int lifetime = grant(m);
                a.expiresAt = now + lifetime * 1_000_000_000L;
                Response r = success(Message.ALLOCATE_RESPONSE);
                r.putAttribute(AttributeFactory.createXorRelayedAddressAttribute(Stun.ta(a.relayed), m.getTransactionID()));
                r.putAttribute(AttributeFactory.createXorMappedAddressAttribute(Stun.ta(from), m.getTransactionID()));
                r.putAttribute(AttributeFactory.createLifetimeAttribute(lifetime));
                reply(net, from, r, m, key);
            }
            case Stun.METHOD_REFRESH -> {
                Allocation a = live(from, now);
                if (a == null) {
                    reply(net, from, error(method, 437, "Allocation Mismatch"), m, key);
                    return;
                }
                int lifetime = grant(m);
                if (lifetime == 0) {
                    deallocations++;
                    a.expiresAt = now;
                } else {
                    refreshes++;
                    a.expiresAt = now + lifetime * 1_000_000_000L;
                }
                Response r = success(Message.REFRESH_RESPONSE);
                r.putAttribute(AttributeFactory.createLifetimeAttribute(lifetime));
                reply(net, from, r, m, key);
            }
            case Stun.METHOD_CREATE_PERMISSION -> {
                Allocation a = live(from, now);
                InetSocketAddress peer = Stun.xorAddress(m, Attribute.XOR_PEER_ADDRESS);
                if (a == null || peer == null) {
                    reply(net, from, error(method, 437, "Allocation Mismatch"), m, key);
                    return;
                }
                createPermissions++;
                a.permissions.put(peer.getAddress(), now + 300_000_000_000L);
                reply(net, from, success(Message.CREATEPERMISSION_RESPONSE), m, key);
            }
            case Stun.METHOD_CHANNEL_BIND -> {
                Allocation a = live(from, now);
                InetSocketAddress peer = Stun.xorAddress(m, Attribute.XOR_PEER_ADDRESS);
                if (a == null || peer == null || !(m.getAttribute(Attribute.CHANNEL_NUMBER) instanceof ChannelNumberAttribute cn)) {
                    reply(net, from, error(method, 400, "Bad Request"), m, key);
                    return;
                }
                channelBinds++;
                int ch = cn.getChannelNumber();
                a.channels.put(ch, peer);
                a.channelOf.put(peer, ch);
                a.channelExpiry.put(ch, now + 600_000_000_000L);
                a.permissions.put(peer.getAddress(), now + 300_000_000_000L);
                reply(net, from, success(Message.CHANNELBIND_RESPONSE), m, key);
            }
            default -> reply(net, from, error(method, 400, "Bad Request"), m, key);
        }
    }

    private void fromPeer(VirtualNetwork net, InetSocketAddress relayed, InetSocketAddress peer, byte[] data, long now) {
        Allocation a = byRelay.get(relayed);
        if (a == null || a.expiresAt <= now) {
            return;
        }
        if (!permitted(a, peer.getAddress(), now)) {
            droppedNoPermission++;
            return;
        }
        Integer ch = a.channelOf.get(peer);
        Long exp = ch == null ? null : a.channelExpiry.get(ch);
        if (ch != null && exp != null && exp > now) {
            channelDataToClient++;
            ChannelData cd = new ChannelData(ch, ByteBuffer.wrap(data));
            ByteBuffer out = ByteBuffer.allocate(cd.encodedLength());
            cd.writeTo(out);
            net.sendFrom(address, a.client, out.array());
            return;
        }
        dataIndicationsToClient++;
        byte[] tid = new byte[12];
        tid[0] = (byte) dataIndicationsToClient;
        tid[1] = (byte) (dataIndicationsToClient >> 8);
        Indication ind = MessageFactory.createDataIndication(Stun.ta(peer), data, tid);
        setTid(ind, tid);
        ByteBuffer b = Stun.encode(ind, null, false);
        net.sendFrom(address, a.client, toArray(b));
    }

    private static boolean permitted(Allocation a, InetAddress peer, long now) {
        Long exp = a.permissions.get(peer);
        return exp != null && exp > now;
    }

    private Allocation live(InetSocketAddress client, long now) {
        Allocation a = byClient.get(client);
        return a != null && a.expiresAt > now ? a : null;
    }

    private int grant(Message m) {
        if (m.getAttribute(Attribute.LIFETIME) instanceof LifetimeAttribute l) {
            return Math.min(l.getLifetime(), grantedLifetime);
        }
        return grantedLifetime;
    }

    private String currentNonce(long now) {
        if (nonceLifetimeNanos > 0 && now - nonceIssuedAt >= nonceLifetimeNanos) {
            nonce = "nonce-" + (++nonceCounter);
            nonceIssuedAt = now;
        }
        return nonce;
    }

    private static Response success(char type) {
        Response r = new ResponseFactory().create();
        try {
            r.setMessageType(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e);
        }
        return r;
    }

    private static Response error(int method, int code, String reason) {
        Response r = MessageFactory.createBindingErrorResponse((char) code, reason);
        r.setMessageType((char) (0x0110 | method));
        return r;
    }

    private void reply(VirtualNetwork net, InetSocketAddress to, Response r, Message request, byte[] key) {
        setTid(r, request.getTransactionID());
        net.sendFrom(address, to, toArray(Stun.encode(r, key, false)));
    }

    private static void setTid(Message m, byte[] tid) {
        try {
            m.setTransactionID(tid);
        } catch (StunException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    /** ice4j's Response constructor is package-private; its factory methods give us instances. */
    private static final class ResponseFactory {
        Response create() {
            return MessageFactory.createChannelBindResponse();
        }
    }
}
