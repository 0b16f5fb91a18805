package io.jrtc.peer.internal.media;

import io.jrtc.srtp.RekeyingSrtpSession;
import io.jrtc.srtp.SrtpKeys;
import io.jrtc.common.SrtpProfile;
import io.jrtc.srtp.SrtpSession;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SRTP layer of a {@link MediaEngine} (RFC 3711; keys from DTLS-SRTP, RFC 5764 section 4.2): the session (made
 * from the first keys, rekeyed by later handshakes with {@link RekeyingSrtpSession}'s grace period for the old keys),
 * keys kept without a session until media first appears, the packets that arrive before any keys, and the queue of
 * protected datagrams waiting for {@link MediaEngine#pollTransmit()}. Loop-confined, except {@link #profile()}.
 */
final class SrtpLayer {

    private static final Logger LOG = LoggerFactory.getLogger(SrtpLayer.class);

    private final String logId;
    private RekeyingSrtpSession session;
    /** Keys from DTLS kept until the first media; null once the session is made. */
    private SrtpKeys deferredKeys;
    private volatile SrtpProfile profile;
    // Small at first (they grow): a data-only connection never uses them (idle heap).
    private final ArrayDeque<ByteBuffer> transmits = new ArrayDeque<>(2);
    private final ArrayDeque<byte[]> early = new ArrayDeque<>(2);

    long droppedBeforeKeys;
    long queueOverflow;

    SrtpLayer(String logId) {
        this.logId = logId;
    }

    /** Whether the session exists (keys may be kept without one). */
    boolean hasSession() {
        return session != null;
    }

    /** Whether nothing waits for keys. */
    boolean noEarlyPackets() {
        return early.isEmpty();
    }

    /** Keeps {@code keys} for later: a connection without media needs no session (see {@link MediaEngine#startSrtp}). */
    void defer(SrtpKeys keys) {
        deferredKeys = keys;
        profile = keys.profile();
        LOG.debug("{}: SRTP keys kept ({}); the session is made with the first media", logId, profile);
    }

    /** The kept keys, or null. */
    SrtpKeys deferredKeys() {
        return deferredKeys;
    }

    /** Makes the session, or rekeys it. Returns true when the session was made now (the first keys). */
    boolean install(long now, SrtpKeys keys) {
        deferredKeys = null;
        SrtpSession s = SrtpSession.create(keys);
        boolean made = session == null;
        if (made) {
            session = new RekeyingSrtpSession(s);
        } else {
            session.rekey(now, s);
        }
        profile = keys.profile();
        LOG.debug("{}: SRTP keys installed ({})", logId, profile);
        return made;
    }

    /** The next packet that waited for keys, or null. */
    byte[] pollEarly() {
        return early.poll();
    }

    /** A packet before the keys: kept (a copy) while there is room, else counted. */
    void keepEarly(ByteBuffer datagram, int len) {
        if (early.size() < MediaEngine.MAX_EARLY_PACKETS && len <= MediaEngine.MAX_DATAGRAM) {
            byte[] copy = new byte[len];
            datagram.duplicate().get(copy);
            early.add(copy);
        } else {
            droppedBeforeKeys++;
        }
    }

    /** The profile of the keys in place (any thread), or null. */
    SrtpProfile profile() {
        return profile;
    }

    int rtpTrailerLength() {
        return profile.rtpTrailerLength();
    }

    int rtcpTrailerLength() {
        return profile.rtcpTrailerLength();
    }

    int protectRtp(byte[] b, int off, int len) {
        return session.protectRtp(b, off, len);
    }

    int protectRtcp(byte[] b, int off, int len) {
        return session.protectRtcp(b, off, len);
    }

    int unprotectRtp(long now, byte[] b, int off, int len) {
        return session.unprotectRtp(now, b, off, len);
    }

    int unprotectRtcp(long now, byte[] b, int off, int len) {
        return session.unprotectRtcp(now, b, off, len);
    }

    /** The session's next deadline (end of a rekey grace period). Session required. */
    long pollTimeout() {
        return session.pollTimeout();
    }

    void handleTimeout(long now) {
        if (session.pollTimeout() <= now) {
            session.handleTimeout(now);
        }
    }

    /** Packets SRTP refused on the way in (replays, authentication failures), over the session's life. */
    long inboundDropped() {
        return session == null ? 0 : session.stats().inboundDroppedTotal();
    }

    /** Queues a protected datagram for sending; beyond {@link MediaEngine#MAX_QUEUED_TRANSMITS} it is counted. */
    void enqueue(byte[] b, int len) {
        if (transmits.size() >= MediaEngine.MAX_QUEUED_TRANSMITS) {
            queueOverflow++;
            if (queueOverflow == 1) {
                LOG.warn("{}: media transmit queue full ({} datagrams); dropping (counted)", logId,
                        MediaEngine.MAX_QUEUED_TRANSMITS);
            }
            return;
        }
        transmits.add(ByteBuffer.wrap(b, 0, len));
    }

    ByteBuffer pollTransmit() {
        return transmits.poll();
    }

    void close() {
        deferredKeys = null;
        if (session != null) {
            session.close();
        }
        early.clear();
    }
}
