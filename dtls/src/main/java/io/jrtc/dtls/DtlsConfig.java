package io.jrtc.dtls;

import io.jrtc.common.SrtpProfile;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Settings for a {@link DtlsEndpoint}. Build with {@link #builder()}; {@link #defaults()} suits WebRTC.
 *
 * @param handshakeTimeout            how long the whole handshake may take before {@code Failed(TIMEOUT)}; default
 *                                    {@value #DEFAULT_HANDSHAKE_TIMEOUT_MILLIS} ms
 * @param initialRetransmit           first flight retransmission timeout, doubled on each loss up to 60 s (RFC 6347
 *                                    section 4.2.4.1); default {@value #DEFAULT_INITIAL_RETRANSMIT_MILLIS} ms instead of
 *                                    BouncyCastle's (and RFC 6347's) 1 s: by the time DTLS starts, ICE has just
 *                                    measured the path, and in practice WebRTC round trips are well under 100 ms, so
 *                                    a lost flight costs about 100 ms instead of a second. A too-short value only
 *                                    costs an early duplicate of a small flight; callers that know the ICE RTT may
 *                                    set about twice it
 * @param srtpProfiles                DTLS-SRTP profiles offered (client) or accepted (server), most preferred first;
 *                                    empty means no use_srtp extension at all (data-channel-only). The server picks
 *                                    the first of its own list that the client offered
 * @param mtu                         largest datagram the handshake may send, and the largest application payload
 *                                    one record carries ({@link DtlsEndpoint#maxApplicationPayload()}); application
 *                                    records are then up to {@code mtu + DtlsEndpoint.MAX_RECORD_EXPANSION} bytes on
 *                                    the wire. Default {@value #DEFAULT_MTU}
 * @param handshakeExecutor           runs BouncyCastle's blocking handshake, one task per endpoint, ending with the
 *                                    handshake; default {@link #VIRTUAL_THREAD_EXECUTOR}
 * @param requireExtendedMasterSecret fail peers that do not negotiate extended_master_secret (RFC 7627). Default
 *                                    false: EMS is always offered and used when the peer has it; without it the
 *                                    SRTP keys are exported by the plain RFC 5705 PRF
 * @param checkPeerCertificateValidity refuse a peer certificate outside its notBefore..notAfter period with the
 *                                    alert {@code certificate_expired} ({@link DtlsEvent.Failed#refused()} says
 *                                    which). Default false: WebRTC authenticates peers by fingerprint (RFC 8827
 *                                    section 6.5) and browsers do not check the dates of each other's self-signed
 *                                    certificates, so checking them by default could only refuse a peer with a
 *                                    wrong clock that every browser accepts. A deployment that controls both ends
 *                                    and rotates short-lived certificates (the mesh) turns it on
 * @param validityClock               the clock the validity check reads; default {@link Clock#systemUTC()}
 */
public record DtlsConfig(Duration handshakeTimeout, Duration initialRetransmit, List<SrtpProfile> srtpProfiles,
                         int mtu, Executor handshakeExecutor, boolean requireExtendedMasterSecret,
                         boolean checkPeerCertificateValidity, Clock validityClock) {

    /** Default handshake timeout in milliseconds. */
    public static final int DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** Default initial retransmission timeout in milliseconds. */
    public static final int DEFAULT_INITIAL_RETRANSMIT_MILLIS = 100;
    /** Default MTU. */
    public static final int DEFAULT_MTU = 1200;
    /** Smallest accepted MTU: a flight fragment must still carry a useful part of a certificate. */
    public static final int MIN_MTU = 256;
    /** Largest accepted MTU: the DTLS plaintext limit (RFC 6347 section 4.1, 2^14). */
    public static final int MAX_MTU = 1 << 14;

    private static final ThreadFactory VIRTUAL = Thread.ofVirtual().name("jrtc-dtls-handshake-", 0).factory();

    /** Starts each handshake on its own virtual thread, which ends when the handshake ends. */
    public static final Executor VIRTUAL_THREAD_EXECUTOR = task -> VIRTUAL.newThread(task).start();

    private static final DtlsConfig DEFAULTS = builder().build();

    public DtlsConfig {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(initialRetransmit, "initialRetransmit");
        Objects.requireNonNull(handshakeExecutor, "handshakeExecutor");
        validityClock = validityClock == null ? Clock.systemUTC() : validityClock;
        srtpProfiles = List.copyOf(srtpProfiles);
        if (srtpProfiles.stream().distinct().count() != srtpProfiles.size()) {
            throw new IllegalArgumentException("srtpProfiles has duplicates: " + srtpProfiles);
        }
        if (handshakeTimeout.toMillis() < 1 || handshakeTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("handshakeTimeout out of range: " + handshakeTimeout);
        }
        if (initialRetransmit.toMillis() < 1 || initialRetransmit.toMillis() > 60_000) {
            throw new IllegalArgumentException("initialRetransmit must be 1 ms .. 60 s: " + initialRetransmit);
        }
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("mtu must be " + MIN_MTU + ".." + MAX_MTU + ": " + mtu);
        }
    }

    /** The defaults: 10 s handshake timeout, 100 ms first retransmit, AEAD_AES_128_GCM then AES_CM_128_HMAC_SHA1_80, MTU 1200, virtual threads. */
    public static DtlsConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder().handshakeTimeout(handshakeTimeout).initialRetransmit(initialRetransmit)
                .srtpProfiles(srtpProfiles).mtu(mtu).handshakeExecutor(handshakeExecutor)
                .requireExtendedMasterSecret(requireExtendedMasterSecret)
                .checkPeerCertificateValidity(checkPeerCertificateValidity).validityClock(validityClock);
    }

    /** Mutable builder for {@link DtlsConfig}. */
    public static final class Builder {
        private Duration handshakeTimeout = Duration.ofMillis(DEFAULT_HANDSHAKE_TIMEOUT_MILLIS);
        private Duration initialRetransmit = Duration.ofMillis(DEFAULT_INITIAL_RETRANSMIT_MILLIS);
        private List<SrtpProfile> srtpProfiles = List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        private int mtu = DEFAULT_MTU;
        private Executor handshakeExecutor = VIRTUAL_THREAD_EXECUTOR;
        private boolean requireExtendedMasterSecret;
        private boolean checkPeerCertificateValidity;
        private Clock validityClock = Clock.systemUTC();

        private Builder() {
        }

        public Builder handshakeTimeout(Duration d) {
            this.handshakeTimeout = d;
            return this;
        }

        public Builder initialRetransmit(Duration d) {
            this.initialRetransmit = d;
            return this;
        }

        public Builder srtpProfiles(List<SrtpProfile> profiles) {
            this.srtpProfiles = profiles;
            return this;
        }

        public Builder srtpProfiles(SrtpProfile... profiles) {
            return srtpProfiles(List.of(profiles));
        }

        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        public Builder handshakeExecutor(Executor executor) {
            this.handshakeExecutor = executor;
            return this;
        }

        public Builder requireExtendedMasterSecret(boolean require) {
            this.requireExtendedMasterSecret = require;
            return this;
        }

        /** Refuse peer certificates outside their validity period (see {@link DtlsConfig#checkPeerCertificateValidity()}). */
        public Builder checkPeerCertificateValidity(boolean check) {
            this.checkPeerCertificateValidity = check;
            return this;
        }

        /** The clock of the validity check (tests). */
        public Builder validityClock(Clock clock) {
            this.validityClock = clock;
            return this;
        }

        public DtlsConfig build() {
            return new DtlsConfig(handshakeTimeout, initialRetransmit, srtpProfiles, mtu, handshakeExecutor,
                    requireExtendedMasterSecret, checkPeerCertificateValidity, validityClock);
        }
    }
}
