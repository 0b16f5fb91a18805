package io.jrtc.dtls;

import io.jrtc.common.SrtpProfile;
import io.jrtc.common.DtlsRole;
import java.util.Arrays;
import java.util.Objects;

/**
 * SRTP master keys and salts derived from a DTLS session (RFC 5764 section 4.2). The exporter output (label
 * {@code EXTRACTOR-dtls_srtp}, no context) is laid out as
 *
 * <pre>
 * client_write_SRTP_master_key[keyLength]
 * server_write_SRTP_master_key[keyLength]
 * client_write_SRTP_master_salt[saltLength]
 * server_write_SRTP_master_salt[saltLength]
 * </pre>
 *
 * The DTLS client protects what it sends with the client keys, the server with the server keys. Arrays are copied
 * in and out; {@link #toString()} never prints key bytes.
 */
public record SrtpKeyingMaterial(SrtpProfile profile, byte[] clientWriteKey, byte[] serverWriteKey,
                                 byte[] clientWriteSalt, byte[] serverWriteSalt) {

    public SrtpKeyingMaterial {
        Objects.requireNonNull(profile, "profile");
        clientWriteKey = checked(clientWriteKey, profile.masterKeyLength(), "clientWriteKey");
        serverWriteKey = checked(serverWriteKey, profile.masterKeyLength(), "serverWriteKey");
        clientWriteSalt = checked(clientWriteSalt, profile.masterSaltLength(), "clientWriteSalt");
        serverWriteSalt = checked(serverWriteSalt, profile.masterSaltLength(), "serverWriteSalt");
    }

    private static byte[] checked(byte[] b, int len, String name) {
        Objects.requireNonNull(b, name);
        if (b.length != len) {
            throw new IllegalArgumentException(name + " must be " + len + " bytes, got " + b.length);
        }
        return b.clone();
    }

    /** Splits exporter output laid out as in RFC 5764 section 4.2. */
    public static SrtpKeyingMaterial fromExporterOutput(SrtpProfile profile, byte[] material) {
        if (material.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException(profile + " needs " + profile.keyingMaterialLength()
                    + " bytes of keying material, got " + material.length);
        }
        int k = profile.masterKeyLength();
        int s = profile.masterSaltLength();
        return new SrtpKeyingMaterial(profile,
                Arrays.copyOfRange(material, 0, k),
                Arrays.copyOfRange(material, k, 2 * k),
                Arrays.copyOfRange(material, 2 * k, 2 * k + s),
                Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s));
    }

    @Override
    public byte[] clientWriteKey() {
        return clientWriteKey.clone();
    }

    @Override
    public byte[] serverWriteKey() {
        return serverWriteKey.clone();
    }

    @Override
    public byte[] clientWriteSalt() {
        return clientWriteSalt.clone();
    }

    @Override
    public byte[] serverWriteSalt() {
        return serverWriteSalt.clone();
    }

    /** The master key that protects what the endpoint playing {@code localRole} sends. */
    public byte[] localKey(DtlsRole localRole) {
        return localRole == DtlsRole.CLIENT ? clientWriteKey() : serverWriteKey();
    }

    /** The master salt that protects what the endpoint playing {@code localRole} sends. */
    public byte[] localSalt(DtlsRole localRole) {
        return localRole == DtlsRole.CLIENT ? clientWriteSalt() : serverWriteSalt();
    }

    /** The master key that protects what the remote endpoint sends, seen from {@code localRole}. */
    public byte[] remoteKey(DtlsRole localRole) {
        return localRole == DtlsRole.CLIENT ? serverWriteKey() : clientWriteKey();
    }

    /** The master salt that protects what the remote endpoint sends, seen from {@code localRole}. */
    public byte[] remoteSalt(DtlsRole localRole) {
        return localRole == DtlsRole.CLIENT ? serverWriteSalt() : clientWriteSalt();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeyingMaterial m && m.profile == profile
                && Arrays.equals(m.clientWriteKey, clientWriteKey) && Arrays.equals(m.serverWriteKey, serverWriteKey)
                && Arrays.equals(m.clientWriteSalt, clientWriteSalt) && Arrays.equals(m.serverWriteSalt, serverWriteSalt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, Arrays.hashCode(clientWriteKey), Arrays.hashCode(serverWriteKey),
                Arrays.hashCode(clientWriteSalt), Arrays.hashCode(serverWriteSalt));
    }

    @Override
    public String toString() {
        return "SrtpKeyingMaterial[" + profile + ", keys redacted]";
    }
}
