package io.jrtc.common;

import java.util.List;
import java.util.Optional;

/**
 * An SRTP protection profile as negotiated by DTLS-SRTP's {@code use_srtp} extension (RFC 5764 section 4.1.2, RFC 7714
 * section 14.2): the one definition shared by {@code dtls}, which negotiates it and sizes the exporter output, and
 * {@code srtp}, which protects packets with it.
 *
 * <pre>
 *   profile                   id      key  salt  RTP tag  RTCP tag
 *   AES_CM_128_HMAC_SHA1_80   0x0001  16   14    10       10
 *   AES_CM_128_HMAC_SHA1_32   0x0002  16   14     4       10   (RFC 5764 4.1.2: SRTCP keeps the 80-bit tag)
 *   AEAD_AES_128_GCM          0x0007  16   12    16       16
 *   AEAD_AES_256_GCM          0x0008  32   12    16       16
 * </pre>
 */
public enum SrtpProfile {
    /** RFC 5764 section 4.1.2: AES-128 counter mode, HMAC-SHA1 with an 80-bit tag. */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10, 10),
    /** RFC 5764 section 4.1.2: AES-128 counter mode, HMAC-SHA1 with a 32-bit RTP tag (80-bit for SRTCP). */
    AES_CM_128_HMAC_SHA1_32(0x0002, 16, 14, 4, 10),
    /** RFC 7714: AES-128 in Galois/Counter Mode with a 16-octet tag. Preferred. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16, 16),
    /** RFC 7714: AES-256 in Galois/Counter Mode with a 16-octet tag. */
    AEAD_AES_256_GCM(0x0008, 32, 12, 16, 16);

    /** Length of the SRTCP trailer word (E flag and 31-bit SRTCP index), RFC 3711 section 3.4. */
    public static final int SRTCP_INDEX_LENGTH = 4;

    private final int id;
    private final int masterKeyLength;
    private final int masterSaltLength;
    private final int rtpAuthTagLength;
    private final int rtcpAuthTagLength;

    SrtpProfile(int id, int masterKeyLength, int masterSaltLength, int rtpAuthTagLength, int rtcpAuthTagLength) {
        this.id = id;
        this.masterKeyLength = masterKeyLength;
        this.masterSaltLength = masterSaltLength;
        this.rtpAuthTagLength = rtpAuthTagLength;
        this.rtcpAuthTagLength = rtcpAuthTagLength;
    }

    /** The 16-bit SRTPProtectionProfile value carried in {@code use_srtp}. */
    public int id() {
        return id;
    }

    /** Master key length in bytes. */
    public int masterKeyLength() {
        return masterKeyLength;
    }

    /** Master salt length in bytes. */
    public int masterSaltLength() {
        return masterSaltLength;
    }

    /** Authentication tag appended to each SRTP packet, in bytes. */
    public int rtpAuthTagLength() {
        return rtpAuthTagLength;
    }

    /** Authentication tag appended to each SRTCP packet, in bytes. */
    public int rtcpAuthTagLength() {
        return rtcpAuthTagLength;
    }

    /** Whether this is an AEAD (AES-GCM) profile. */
    public boolean isAead() {
        return this == AEAD_AES_128_GCM || this == AEAD_AES_256_GCM;
    }

    /** Bytes {@code protectRtp} appends: the tail room a caller must leave after an RTP packet. */
    public int rtpTrailerLength() {
        return rtpAuthTagLength;
    }

    /** Bytes {@code protectRtcp} appends (tag plus SRTCP index): the tail room needed after an RTCP packet. */
    public int rtcpTrailerLength() {
        return rtcpAuthTagLength + SRTCP_INDEX_LENGTH;
    }

    /**
     * Length of the DTLS exporter output for this profile, RFC 5764 section 4.2:
     * {@code 2 * (masterKeyLength + masterSaltLength)}; 60 for AES-CM-128, 56 for AEAD-AES-128-GCM.
     */
    public int keyingMaterialLength() {
        return 2 * (masterKeyLength + masterSaltLength);
    }

    /** The profile with this {@code use_srtp} id, if we implement it. */
    public static Optional<SrtpProfile> fromId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Profiles in the order we offer them: AES-GCM first (RFC 7714), then AES-CM with the 80-bit tag. */
    public static List<SrtpProfile> preferenceOrder() {
        return List.of(AEAD_AES_128_GCM, AES_CM_128_HMAC_SHA1_80);
    }
}
