package io.jrtc.srtp;

import io.jrtc.common.SrtpProfile;
import io.jrtc.common.internal.IntObjectMap;
import io.jrtc.srtp.internal.JitsiCrypto;
import io.jrtc.srtp.internal.PacketBuffer;
import io.jrtc.srtp.internal.Slf4jJitsiLogger;
import java.util.EnumMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jitsi.srtp.BaseSrtpCryptoContext;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SRTP session (RFC 3711; AEAD-AES-GCM per RFC 7714): the send and receive crypto contexts derived from one pair
 * of master keys, as DTLS-SRTP (RFC 5764) hands them over. Backed by jitsi-srtp, pinned to pure-Java JCE crypto.
 *
 * <h2>In-place, no copy</h2>
 * Every method transforms {@code buf[off, off+len)} in place and returns the new length, or a negative
 * {@link SrtpDropReason#code() drop code}. Protecting appends a trailer, so the caller must leave tail room after the
 * packet: {@link SrtpProfile#rtpTrailerLength()} bytes for RTP (10 for AES-CM-80, 16 for AES-GCM) and
 * {@link SrtpProfile#rtcpTrailerLength()} for RTCP (tag plus the 4-byte SRTCP index: 14 or 20). Unprotecting only
 * shrinks. A pooled receive buffer of 1,500 bytes plus {@link #MAX_TRAILER_LENGTH} always suffices.
 *
 * <h2>Contexts per SSRC</h2>
 * Sending contexts are created on the first packet of each local SSRC, receiving contexts on the first packet of a
 * remote SSRC <em>that authenticates</em>: an unknown SSRC is tried on one spare context, which joins the table
 * only if the packet verifies, so forged packets with random SSRCs can neither fill the table nor cost a key
 * derivation each. Both tables are capped ({@link SrtpSessionConfig}). The rollover counter of each stream starts at
 * 0 and follows RFC 3711 section 3.3.1 (index estimation across sequence-number wrap); replay protection uses a
 * 64-packet window (section 3.3.2), for SRTCP on the SRTCP index.
 *
 * <h2>Never throws on received bytes</h2>
 * Truncated, malformed, forged, replayed and too-old packets return a drop code and are counted per reason in
 * {@link #stats()}; the first drop of each reason is logged at INFO, later ones at DEBUG. On a drop the bytes of the
 * region are unspecified (AES-GCM may have started to decrypt). API misuse throws at once: a region outside the
 * array, missing tail room ({@link IllegalArgumentException}), or protecting after {@link #close()}
 * ({@link IllegalStateException}).
 *
 * <h2>Threading</h2>
 * Single-threaded by contract: the caller (one event loop) serialises every call. jitsi-srtp's context methods are
 * {@code synchronized}; uncontended, that costs one lock acquisition per packet, no more.
 *
 * <h2>Re-keying</h2>
 * A session's keys never change. When DTLS runs again (an ICE restart that renegotiates DTLS), build a new session
 * from the new exporter output and hand both to a {@link RekeyingSrtpSession}, which protects with the new keys at
 * once and keeps the old session for inbound packets still in flight during a grace period.
 */
public final class SrtpSession implements AutoCloseable {

    /** The largest trailer any profile appends: a 16-byte GCM tag plus the 4-byte SRTCP index. */
    public static final int MAX_TRAILER_LENGTH = 20;

    private static final Logger LOG = LoggerFactory.getLogger(SrtpSession.class);
    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;
    private static final SrtpDropReason[] REASONS = SrtpDropReason.values();

    static {
        JitsiCrypto.ensureInitialized();
    }

    private final SrtpProfile profile;
    private final SrtpSessionConfig config;
    private final SrtpContextFactory sendFactory;
    private final SrtpContextFactory receiveFactory;
    private final Contexts<SrtpCryptoContext> localRtp;
    private final Contexts<SrtcpCryptoContext> localRtcp;
    private final Contexts<SrtpCryptoContext> remoteRtp;
    private final Contexts<SrtcpCryptoContext> remoteRtcp;
    private final PacketBuffer packet = new PacketBuffer();

    private final long[] inboundDrops = new long[REASONS.length];
    private final long[] outboundFailures = new long[REASONS.length];
    private final boolean[] inboundLogged = new boolean[REASONS.length];
    private final boolean[] outboundLogged = new boolean[REASONS.length];
    private long rtpProtected;
    private long rtpProtectedBytes;
    private long rtcpProtected;
    private long rtpUnprotected;
    private long rtpUnprotectedBytes;
    private long rtcpUnprotected;
    private boolean closed;

    private SrtpSession(SrtpKeys keys, SrtpSessionConfig config) {
        this.profile = keys.profile();
        this.config = Objects.requireNonNull(config, "config");
        Slf4jJitsiLogger jitsiLogger = new Slf4jJitsiLogger(LoggerFactory.getLogger("io.jrtc.srtp.jitsi"));
        this.sendFactory = new SrtpContextFactory(true, keys.localMasterKey(), keys.localMasterSalt(),
                JitsiCrypto.rtpPolicy(profile), JitsiCrypto.rtcpPolicy(profile), jitsiLogger);
        this.receiveFactory = new SrtpContextFactory(false, keys.remoteMasterKey(), keys.remoteMasterSalt(),
                JitsiCrypto.rtpPolicy(profile), JitsiCrypto.rtcpPolicy(profile), jitsiLogger);
        this.localRtp = new Contexts<>("SRTP send", config.maxLocalSsrcs(), ssrc -> sendFactory.deriveContext(ssrc, 0),
                SrtpCryptoContext::transformPacket);
        this.localRtcp = new Contexts<>("SRTCP send", config.maxLocalSsrcs(), sendFactory::deriveControlContext,
                SrtcpCryptoContext::transformPacket);
        this.remoteRtp = new Contexts<>("SRTP receive", config.maxRemoteSsrcs(), ssrc -> receiveFactory.deriveContext(ssrc, 0),
                (ctx, p) -> ctx.reverseTransformPacket(p, false));
        this.remoteRtcp = new Contexts<>("SRTCP receive", config.maxRemoteSsrcs(), receiveFactory::deriveControlContext,
                SrtcpCryptoContext::reverseTransformPacket);
    }

    /** A session with default caps. */
    public static SrtpSession create(SrtpKeys keys) {
        return new SrtpSession(Objects.requireNonNull(keys, "keys"), SrtpSessionConfig.DEFAULT);
    }

    /** A session with explicit caps. */
    public static SrtpSession create(SrtpKeys keys, SrtpSessionConfig config) {
        return new SrtpSession(Objects.requireNonNull(keys, "keys"), config);
    }

    /**
     * A session from raw key material, already chosen by role (see {@link SrtpKeys#fromDtlsKeyingMaterial}).
     *
     * @throws IllegalArgumentException if a key or salt has the wrong length for {@code profile}
     */
    public static SrtpSession create(SrtpProfile profile, byte[] localMasterKey, byte[] localMasterSalt,
                                     byte[] remoteMasterKey, byte[] remoteMasterSalt) {
        return create(new SrtpKeys(profile, localMasterKey, localMasterSalt, remoteMasterKey, remoteMasterSalt));
    }

    public SrtpProfile profile() {
        return profile;
    }

    public SrtpSessionConfig config() {
        return config;
    }

    // ---------------------------------------------------------------------------------------------------- protect

    /**
     * Encrypts and authenticates the RTP packet in {@code buf[off, off+len)} in place.
     *
     * @return the SRTP packet's length ({@code len + profile().rtpTrailerLength()}), or a negative
     *         {@link SrtpDropReason#code()}: {@code MALFORMED}/{@code TOO_SHORT} for a bad header,
     *         {@code SSRC_LIMIT}, or {@code REPLAYED}/{@code REPLAY_TOO_OLD} when this sequence number was already
     *         protected (the index must never be reused: store protected packets for plain retransmission)
     * @throws IllegalArgumentException if fewer than {@code profile().rtpTrailerLength()} bytes follow the packet
     * @throws IllegalStateException after {@link #close()}
     */
    public int protectRtp(byte[] buf, int off, int len) {
        checkOutbound(buf, off, len, profile.rtpTrailerLength());
        int check = checkRtpHeader(buf, off, len, 0);
        if (check < 0) {
            return outboundFailure(SrtpDropReason.ofResult(check), buf, off, len);
        }
        int failed = protect(localRtp, readInt(buf, off + 8), buf, off, len);
        if (failed < 0) {
            return failed;
        }
        rtpProtected++;
        rtpProtectedBytes += len;
        return len + profile.rtpTrailerLength();
    }

    /**
     * Encrypts and authenticates the RTP (compound) packet in {@code buf[off, off+len)} in place, appending the
     * SRTCP index and tag. The context is chosen by the sender SSRC of the first packet in the compound.
     *
     * @return the SRTCP packet's length ({@code len + profile().rtcpTrailerLength()}) or a negative drop code
     * @throws IllegalArgumentException if fewer than {@code profile().rtcpTrailerLength()} bytes follow the packet
     * @throws IllegalStateException after {@link #close()}
     */
    public int protectRtcp(byte[] buf, int off, int len) {
        checkOutbound(buf, off, len, profile.rtcpTrailerLength());
        if (len < RTCP_HEADER) {
            return outboundFailure(SrtpDropReason.TOO_SHORT, buf, off, len);
        }
        if ((buf[off] & 0xC0) != 0x80) {
            return outboundFailure(SrtpDropReason.MALFORMED, buf, off, len);
        }
        int failed = protect(localRtcp, readInt(buf, off + 4), buf, off, len);
        if (failed < 0) {
            return failed;
        }
        rtcpProtected++;
        return len + profile.rtcpTrailerLength();
    }

    // -------------------------------------------------------------------------------------------------- unprotect

    /**
     * Authenticates, replay-checks and decrypts the SRTP packet in {@code buf[off, off+len)} in place.
     *
     * @return the RTP packet's length, or a negative {@link SrtpDropReason#code()}; never throws on bad bytes
     */
    public int unprotectRtp(byte[] buf, int off, int len) {
        return unprotectRtp(buf, off, len, true);
    }

    /** As {@link #unprotectRtp(byte[], int, int)}; when {@code count} is false a drop is not counted or logged. */
    int unprotectRtp(byte[] buf, int off, int len, boolean count) {
        checkRegion(buf, off, len);
        if (closed) {
            return inboundDrop(SrtpDropReason.CLOSED, count, buf, off, len);
        }
        int check = checkRtpHeader(buf, off, len, profile.rtpAuthTagLength());
        if (check < 0) {
            return inboundDrop(SrtpDropReason.ofResult(check), count, buf, off, len);
        }
        int newLength = unprotect(remoteRtp, readInt(buf, off + 8), count, buf, off, len);
        if (newLength < 0) {
            return newLength;
        }
        rtpUnprotected++;
        rtpUnprotectedBytes += newLength;
        return newLength;
    }

    /**
     * Authenticates, replay-checks (on the SRTCP index) and decrypts the SRTCP packet in {@code buf[off, off+len)}.
     *
     * @return the RTCP compound packet's length, or a negative {@link SrtpDropReason#code()}; never throws on bad bytes
     */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        return unprotectRtcp(buf, off, len, true);
    }

    int unprotectRtcp(byte[] buf, int off, int len, boolean count) {
        checkRegion(buf, off, len);
        if (closed) {
            return inboundDrop(SrtpDropReason.CLOSED, count, buf, off, len);
        }
        if (len < RTCP_HEADER + profile.rtcpTrailerLength()) {
            return inboundDrop(SrtpDropReason.TOO_SHORT, count, buf, off, len);
        }
        if ((buf[off] & 0xC0) != 0x80) {
            return inboundDrop(SrtpDropReason.MALFORMED, count, buf, off, len);
        }
        int newLength = unprotect(remoteRtcp, readInt(buf, off + 4), count, buf, off, len);
        if (newLength < 0) {
            return newLength;
        }
        rtcpUnprotected++;
        return newLength;
    }

    // --------------------------------------------------------------------------------------------- housekeeping

    /**
     * Forgets the receive contexts (RTP and RTCP) of a remote SSRC, e.g. after an RTCP BYE or when a track ends,
     * freeing a slot under {@link SrtpSessionConfig#maxRemoteSsrcs()}. A later packet from it starts a fresh context
     * (rollover counter 0, empty replay window).
     *
     * @return true if a context existed
     */
    public boolean removeRemoteSsrc(long ssrc) {
        boolean a = remoteRtp.table.remove((int) ssrc) != null;
        boolean b = remoteRtcp.table.remove((int) ssrc) != null;
        return a || b;
    }

    /** Forgets the send contexts of a local SSRC. Its sequence numbers must not be reused with these keys. */
    public boolean removeLocalSsrc(long ssrc) {
        boolean a = localRtp.table.remove((int) ssrc) != null;
        boolean b = localRtcp.table.remove((int) ssrc) != null;
        return a || b;
    }

    /** A snapshot of the counters. */
    public SrtpStats stats() {
        EnumMap<SrtpDropReason, Long> in = new EnumMap<>(SrtpDropReason.class);
        EnumMap<SrtpDropReason, Long> out = new EnumMap<>(SrtpDropReason.class);
        for (SrtpDropReason r : REASONS) {
            if (inboundDrops[r.ordinal()] != 0) {
                in.put(r, inboundDrops[r.ordinal()]);
            }
            if (outboundFailures[r.ordinal()] != 0) {
                out.put(r, outboundFailures[r.ordinal()]);
            }
        }
        return new SrtpStats(rtpProtected, rtpProtectedBytes, rtcpProtected, rtpUnprotected, rtpUnprotectedBytes,
                rtcpUnprotected, in, out, localRtp.table.size(), remoteRtp.table.size());
    }

    /**
     * Names of the JCE providers behind every live context's cipher and MAC. With the pure-Java pinning in place this
     * is {@code [SunJCE]}; anything else means a native provider crept in.
     */
    public Set<String> cryptoProviders() {
        Set<String> names = new TreeSet<>();
        for (Contexts<?> s : List.of(localRtp, localRtcp, remoteRtp, remoteRtcp)) {
            s.table.forEachValue(c -> names.addAll(JitsiCrypto.providersOf(c)));
            if (s.spare != null) {
                names.addAll(JitsiCrypto.providersOf(s.spare));
            }
        }
        return names;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Drops every context and zeroes the master keys held by jitsi-srtp. Later unprotects drop as CLOSED. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Contexts<?> s : List.of(localRtp, localRtcp, remoteRtp, remoteRtcp)) {
            s.clear();
        }
        sendFactory.close();
        receiveFactory.close();
    }

    @Override
    public String toString() {
        return "SrtpSession[" + profile + ", local=" + localRtp.table.size() + ", remote=" + remoteRtp.table.size()
                + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------------------ context tables

    /** Derives the crypto context of a new SSRC. */
    @FunctionalInterface
    private interface Derive<C> {
        C derive(int ssrc) throws Exception;
    }

    /** Runs a context over the packet (protect or unprotect, RTP or RTCP). */
    @FunctionalInterface
    private interface Transform<C> {
        SrtpErrorStatus apply(C ctx, PacketBuffer packet) throws Exception;
    }

    /**
     * The contexts of one kind and direction, by SSRC, with their cap. Inbound tables keep one {@code spare}: a context
     * derived for an unknown SSRC that only joins the table once a packet from that SSRC authenticates, so forged
     * SSRCs cannot fill the table.
     */
    private static final class Contexts<C extends BaseSrtpCryptoContext> {
        final String name;
        final int max;
        final Derive<C> derive;
        final Transform<C> transform;
        final IntObjectMap<C> table = new IntObjectMap<>(4);
        C spare;

        Contexts(String name, int max, Derive<C> derive, Transform<C> transform) {
            this.name = name;
            this.max = max;
            this.derive = derive;
            this.transform = transform;
        }

        void clear() {
            table.clear();
            spare = null;
        }
    }

    /** Protects in place with the SSRC's send context (derived when new). Returns 0, or a negative drop code. */
    private <C extends BaseSrtpCryptoContext> int protect(Contexts<C> s, int ssrc, byte[] buf, int off, int len) {
        C ctx = s.table.get(ssrc);
        if (ctx == null) {
            if (s.table.size() >= s.max) {
                return outboundFailure(SrtpDropReason.SSRC_LIMIT, buf, off, len);
            }
            try {
                ctx = s.derive.derive(ssrc);
            } catch (Exception e) {
                return cryptoFailure(false, e, ssrc);
            }
            s.table.put(ssrc, ctx);
        }
        SrtpErrorStatus status;
        try {
            status = s.transform.apply(ctx, packet.wrap(buf, off, len, buf.length));
        } catch (PacketBuffer.TailRoomException e) {
            throw e;
        } catch (Exception e) {
            return cryptoFailure(false, e, ssrc);
        } finally {
            packet.clear();
        }
        return status == SrtpErrorStatus.OK ? 0 : outboundFailure(map(status), buf, off, len);
    }

    /**
     * Authenticates and decrypts in place with the SSRC's receive context; a new SSRC is tried on the spare context and
     * joins the table only if the packet authenticates. Returns the new length, or a negative drop code.
     */
    private <C extends BaseSrtpCryptoContext> int unprotect(Contexts<C> s, int ssrc, boolean count, byte[] buf, int off,
            int len) {
        C ctx = s.table.get(ssrc);
        boolean trial = false;
        if (ctx == null) {
            if (s.table.size() >= s.max) {
                return inboundDrop(SrtpDropReason.SSRC_LIMIT, count, buf, off, len);
            }
            if (s.spare == null) {
                try {
                    s.spare = s.derive.derive(ssrc);
                } catch (Exception e) {
                    return count ? cryptoFailure(true, e, ssrc) : SrtpDropReason.CRYPTO_FAILURE.code();
                }
            }
            ctx = s.spare;
            trial = true;
        }
        SrtpErrorStatus status;
        int newLength;
        try {
            status = s.transform.apply(ctx, packet.wrap(buf, off, len, off + len));
            newLength = packet.getLength();
        } catch (Exception e) {
            return count ? cryptoFailure(true, e, ssrc) : SrtpDropReason.CRYPTO_FAILURE.code();
        } finally {
            packet.clear();
        }
        if (status != SrtpErrorStatus.OK) {
            return inboundDrop(map(status), count, buf, off, len);
        }
        if (trial) {
            s.table.put(ssrc, ctx);
            s.spare = null;
            LOG.debug("{} context created for SSRC {}", s.name, Integer.toUnsignedLong(ssrc));
        }
        return newLength;
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private static void checkRegion(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, Objects.requireNonNull(buf, "buf").length);
    }

    private void checkOutbound(byte[] buf, int off, int len, int trailer) {
        checkRegion(buf, off, len);
        if (closed) {
            throw new IllegalStateException("SRTP session is closed");
        }
        if (buf.length - off - len < trailer) {
            throw new IllegalArgumentException("protect needs " + trailer + " bytes of tail room after the packet, "
                    + (buf.length - off - len) + " available");
        }
    }

    /**
     * Checks the RTP fixed header, CSRC list and extension header fit in {@code len - trailer} bytes. Returns 0 or a
     * negative drop code.
     */
    private static int checkRtpHeader(byte[] buf, int off, int len, int trailer) {
        if (len < RTP_HEADER + trailer) {
            return SrtpDropReason.TOO_SHORT.code();
        }
        int b0 = buf[off] & 0xFF;
        if ((b0 & 0xC0) != 0x80) {
            return SrtpDropReason.MALFORMED.code();
        }
        int header = RTP_HEADER + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (header + 4 > len - trailer) {
                return SrtpDropReason.MALFORMED.code();
            }
            int words = ((buf[off + header + 2] & 0xFF) << 8) | (buf[off + header + 3] & 0xFF);
            header += 4 + 4 * words;
        }
        return header > len - trailer ? SrtpDropReason.MALFORMED.code() : 0;
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    private static SrtpDropReason map(SrtpErrorStatus status) {
        return switch (status) {
            case AUTH_FAIL -> SrtpDropReason.AUTH_FAILED;
            case REPLAY_FAIL -> SrtpDropReason.REPLAYED;
            case REPLAY_OLD -> SrtpDropReason.REPLAY_TOO_OLD;
            case INVALID_PACKET -> SrtpDropReason.TOO_SHORT;
            default -> SrtpDropReason.CRYPTO_FAILURE;
        };
    }

    /** Counts (and logs) an inbound drop decided outside this session, by {@link RekeyingSrtpSession}. */
    void recordInboundDrop(SrtpDropReason reason, byte[] buf, int off, int len) {
        inboundDrop(reason, true, buf, off, len);
    }

    private int inboundDrop(SrtpDropReason reason, boolean count, byte[] buf, int off, int len) {
        if (count) {
            int i = reason.ordinal();
            inboundDrops[i]++;
            if (!inboundLogged[i]) {
                inboundLogged[i] = true;
                LOG.info("SRTP {}: first inbound drop for {} ({} bytes, SSRC {}); further drops are counted in "
                        + "stats() and logged at DEBUG", profile, reason, len, ssrcForLog(buf, off, len));
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("SRTP inbound drop {} ({} bytes, SSRC {})", reason, len, ssrcForLog(buf, off, len));
            }
        }
        return reason.code();
    }

    private int outboundFailure(SrtpDropReason reason, byte[] buf, int off, int len) {
        int i = reason.ordinal();
        outboundFailures[i]++;
        if (!outboundLogged[i]) {
            outboundLogged[i] = true;
            LOG.warn("SRTP {}: refused to protect a {}-byte packet (SSRC {}): {}; further refusals are counted in "
                    + "stats() and logged at DEBUG", profile, len, ssrcForLog(buf, off, len), reason);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("SRTP refused to protect ({}): {}", ssrcForLog(buf, off, len), reason);
        }
        return reason.code();
    }

    private int cryptoFailure(boolean inbound, Exception e, int ssrc) {
        int i = SrtpDropReason.CRYPTO_FAILURE.ordinal();
        boolean[] logged = inbound ? inboundLogged : outboundLogged;
        (inbound ? inboundDrops : outboundFailures)[i]++;
        if (!logged[i]) {
            logged[i] = true;
            LOG.warn("SRTP {}: crypto failure on {} packet for SSRC {}", profile, inbound ? "an inbound" : "an outbound",
                    Integer.toUnsignedLong(ssrc), e);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("SRTP crypto failure for SSRC {}: {}", Integer.toUnsignedLong(ssrc), e.toString());
        }
        return SrtpDropReason.CRYPTO_FAILURE.code();
    }

    private static String ssrcForLog(byte[] buf, int off, int len) {
        if (len < 12) {
            return "?";
        }
        boolean rtcp = (buf[off + 1] & 0xFF) >= 192 && (buf[off + 1] & 0xFF) <= 223;
        return Long.toString(Integer.toUnsignedLong(readInt(buf, off + (rtcp ? 4 : 8))));
    }
}
