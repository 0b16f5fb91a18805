package io.jrtc.dtls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The server-side workaround for bctls dropping a retransmitted CertificateVerify once it has seen a
 * ChangeCipherSpec: CCS records are withheld (also out of multi-record datagrams) until a CertificateVerify fragment
 * has passed, after which everything passes unchanged.
 */
class EarlyChangeCipherSpecIsWithheld {

    private static byte[] record(int type, int epoch, int... ints) {
        byte[] body = new byte[ints.length];
        for (int i = 0; i < ints.length; i++) {
            body[i] = (byte) ints[i];
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(type);
        o.write(0xFE);
        o.write(0xFD);
        o.write(epoch >> 8);
        o.write(epoch);
        o.writeBytes(new byte[6]);
        o.write(body.length >> 8);
        o.write(body.length);
        o.writeBytes(body);
        return o.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    @Test
    void ccsBeforeCertificateVerifyIsRemovedAndLaterOnesPass() {
        HandoffTransport t = new HandoffTransport(1200, true, () -> { });
        byte[] cke = record(22, 0, 16, 0, 0, 1);
        byte[] ccs = record(20, 0, 1);
        byte[] fin = record(22, 1, 0x55, 0x55);
        byte[] cv = record(22, 0, 15, 0, 0, 2);

        assertThat(t.withoutEarlyChangeCipherSpec(ccs)).isEmpty();
        assertThat(t.withoutEarlyChangeCipherSpec(concat(cke, ccs, fin))).isEqualTo(concat(cke, fin));
        assertThat(t.withoutEarlyChangeCipherSpec(fin)).isEqualTo(fin);
        // CertificateVerify first in the same datagram: nothing removed, and from now on CCS passes.
        byte[] flight = concat(cke, cv, ccs, fin);
        assertThat(t.withoutEarlyChangeCipherSpec(flight)).isEqualTo(flight);
        assertThat(t.withoutEarlyChangeCipherSpec(ccs)).isEqualTo(ccs);
    }

    @Test
    void truncatedRecordsAreLeftForBouncyCastleToReject() {
        HandoffTransport t = new HandoffTransport(1200, true, () -> { });
        byte[] shortOne = {20, (byte) 0xFE, (byte) 0xFD, 0, 0};
        assertThat(t.withoutEarlyChangeCipherSpec(shortOne)).isEqualTo(shortOne);
        byte[] lying = record(22, 0, 11, 0);
        lying[12] = (byte) 200; // claims more bytes than present
        assertThat(t.withoutEarlyChangeCipherSpec(lying)).isEqualTo(lying);
    }
}
