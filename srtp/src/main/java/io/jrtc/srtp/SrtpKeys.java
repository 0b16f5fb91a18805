package io.jrtc.srtp;

import io.jrtc.common.SrtpProfile;
import java.util.Arrays;
import java.util.Objects;

/**
 * The master keys and salts of one SRTP session, already split by direction: {@code local*} protects what we send,
 * {@code remote*} unprotects what we receive. Arrays are copied on the way in and out.
 *
 * @param profile the negotiated protection profile
 * @param localMasterKey our sending master key
 * @param localMasterSalt our sending master salt
 * @param remoteMasterKey the peer's sending master key
 * @param remoteMasterSalt the peer's sending master salt
 */
public record SrtpKeys(SrtpProfile profile, byte[] localMasterKey, byte[] localMasterSalt, byte[] remoteMasterKey,
                       byte[] remoteMasterSalt) {

    public SrtpKeys {
        Objects.requireNonNull(profile, "profile");
        localMasterKey = checked("localMasterKey", localMasterKey, profile.masterKeyLength());
        localMasterSalt = checked("localMasterSalt", localMasterSalt, profile.masterSaltLength());
        remoteMasterKey = checked("remoteMasterKey", remoteMasterKey, profile.masterKeyLength());
        remoteMasterSalt = checked("remoteMasterSalt", remoteMasterSalt, profile.masterSaltLength());
    }

    private static byte[] checked(String name, byte[] value, int length) {
        Objects.requireNonNull(value, name);
        if (value.length != length) {
            throw new IllegalArgumentException(name + " must be " + length + " bytes, got " + value.length);
        }
        return value.clone();
    }

    /**
     * Splits the DTLS exporter output (label {@code "EXTRACTOR-dtls_srtp"}, RFC 5764 section 4.2) into the two
     * directions. The layout is
     * <pre>
     *   client_write_SRTP_master_key | server_write_SRTP_master_key |
     *   client_write_SRTP_master_salt | server_write_SRTP_master_salt
     * </pre>
     * and the DTLS client sends with the client halves.
     *
     * @param material exactly {@link SrtpProfile#keyingMaterialLength()} bytes
     * @param localIsDtlsClient true when we were the DTLS client ({@code a=setup:active} on our side)
     */
    public static SrtpKeys fromDtlsKeyingMaterial(SrtpProfile profile, byte[] material, boolean localIsDtlsClient) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(material, "material");
        if (material.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("keying material for " + profile + " must be "
                    + profile.keyingMaterialLength() + " bytes, got " + material.length);
        }
        int k = profile.masterKeyLength();
        int s = profile.masterSaltLength();
        byte[] clientKey = Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        return localIsDtlsClient
                ? new SrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt)
                : new SrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt);
    }

    /** The same keys seen from the other end (local and remote swapped): handy for tests and loopback. */
    public SrtpKeys reversed() {
        return new SrtpKeys(profile, remoteMasterKey, remoteMasterSalt, localMasterKey, localMasterSalt);
    }

    @Override
    public byte[] localMasterKey() {
        return localMasterKey.clone();
    }

    @Override
    public byte[] localMasterSalt() {
        return localMasterSalt.clone();
    }

    @Override
    public byte[] remoteMasterKey() {
        return remoteMasterKey.clone();
    }

    @Override
    public byte[] remoteMasterSalt() {
        return remoteMasterSalt.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeys other && profile == other.profile
                && Arrays.equals(localMasterKey, other.localMasterKey)
                && Arrays.equals(localMasterSalt, other.localMasterSalt)
                && Arrays.equals(remoteMasterKey, other.remoteMasterKey)
                && Arrays.equals(remoteMasterSalt, other.remoteMasterSalt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, Arrays.hashCode(localMasterKey), Arrays.hashCode(remoteMasterKey));
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "SrtpKeys[" + profile + ", keys redacted]";
    }
}
