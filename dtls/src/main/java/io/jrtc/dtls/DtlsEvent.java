package io.jrtc.dtls;

import io.jrtc.common.ErrorKind;
import java.nio.ByteBuffer;
import java.util.Objects;

/** What a {@link DtlsEndpoint} reports through {@link DtlsEndpoint#pollEvent()}. */
public sealed interface DtlsEvent {

    /**
     * The handshake completed and the peer proved possession of a certificate matching an expected fingerprint.
     *
     * @param srtp                 keys for SRTP if use_srtp was negotiated, else {@code null}
     * @param remoteCertificateDer the peer's end-entity certificate, DER
     * @param remoteFingerprint    the expected fingerprint it matched
     * @param cipherSuite          IANA name of the negotiated suite, e.g. {@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}
     */
    record Connected(SrtpKeyingMaterial srtp, byte[] remoteCertificateDer, Fingerprint remoteFingerprint,
                     String cipherSuite) implements DtlsEvent {
        public Connected {
            Objects.requireNonNull(remoteCertificateDer, "remoteCertificateDer");
            Objects.requireNonNull(remoteFingerprint, "remoteFingerprint");
            Objects.requireNonNull(cipherSuite, "cipherSuite");
            remoteCertificateDer = remoteCertificateDer.clone();
        }

        @Override
        public byte[] remoteCertificateDer() {
            return remoteCertificateDer.clone();
        }

        @Override
        public String toString() {
            return "Connected[" + cipherSuite + ", srtp=" + (srtp == null ? "none" : srtp.profile())
                    + ", remote=" + remoteFingerprint + "]";
        }
    }

    /**
     * One decrypted application record. The buffer (position to limit) belongs to the receiver; it is a fresh heap
     * buffer, so {@code hasArray()} holds.
     */
    record ApplicationData(ByteBuffer data) implements DtlsEvent {
        public ApplicationData {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * The handshake or the record layer failed; the endpoint is now {@link DtlsState#FAILED}.
     *
     * @param kind   {@code AUTHENTICATION} (fingerprint mismatch, missing certificate, bad signature, or the peer's
     *               certificate alert), {@code TIMEOUT}, {@code PEER_ABORTED} (fatal alert received),
     *               {@code UNSUPPORTED} (no common version/suite/group), {@code PROTOCOL_VIOLATION}, or
     *               {@code RESOURCE_EXHAUSTED} (the executor refused the handshake)
     * @param reason  human-readable detail for logs
     * @param refused the peer certificate refused for its validity dates ({@code AUTHENTICATION}, alert
     *                {@code certificate_expired}), or {@code null} for every other failure
     */
    record Failed(ErrorKind kind, String reason, RefusedCertificate refused) implements DtlsEvent {
        public Failed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }

        /** A failure that is not a refused certificate. */
        public Failed(ErrorKind kind, String reason) {
            this(kind, reason, null);
        }
    }

    /** The peer sent close_notify; the endpoint is now {@link DtlsState#CLOSED} (our close_notify was queued in reply). */
    record Closed() implements DtlsEvent {
    }
}
