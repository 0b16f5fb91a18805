/**
 * DTLS for WebRTC: {@link io.jrtc.dtls.DtlsEndpoint} (the driver), {@link io.jrtc.dtls.DtlsCertificate} and
 * {@link io.jrtc.dtls.Fingerprint} (identity, RFC 8122 / RFC 8827), {@link io.jrtc.common.DtlsRole} (RFC 5763
 * {@code a=setup}), {@link io.jrtc.common.SrtpProfile} and {@link io.jrtc.dtls.SrtpKeyingMaterial} (RFC 5764 keying).
 */
package io.jrtc.dtls;
