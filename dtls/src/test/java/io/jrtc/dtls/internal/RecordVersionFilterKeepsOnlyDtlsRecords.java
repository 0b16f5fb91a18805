package io.jrtc.dtls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.Hex;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RecordVersionFilterKeepsOnlyDtlsRecords {

    private static ByteBuffer datagram(String hex) {
        return ByteBuffer.wrap(Hex.decode(hex.replace(" ", "")));
    }

    private static String hex(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(b.position(), a);
        return Hex.encode(a);
    }

    @Test
    void aDatagramOfAcceptedRecordsIsPassedOnAsItIs() {
        ByteBuffer d = datagram("16feff 0000 000000000000 0002 0102 17fefd 0001 000000000001 0001 aa");
        assertThat(RecordVersionFilter.acceptedRecords(d)).isSameAs(d);
        assertThat(d.position()).isZero();
    }

    @Test
    void recordsWithOtherVersionsAreCutOutAndTheRestKeptInOrder() {
        ByteBuffer d = datagram("17fefd 0001 000000000001 0001 aa"
                + "17fefe 0001 000000000002 0002 bbbb"
                + "160303 0000 000000000003 0000"
                + "17fefd 0001 000000000004 0001 cc");
        ByteBuffer kept = RecordVersionFilter.acceptedRecords(d);
        assertThat(hex(kept)).isEqualTo("17fefd000100000000000100" + "01aa" + "17fefd000100000000000400" + "01cc");
        assertThat(d.position()).isZero();
    }

    @Test
    void aDatagramWithNoAcceptedRecordIsDropped() {
        assertThat(RecordVersionFilter.acceptedRecords(datagram("14fefe 0001 0014fefd7e00 fd00 0900"))).isNull();
    }

    @Test
    void aTruncatedTrailingRecordIsLeftForTheRecordLayer() {
        ByteBuffer d = datagram("17fefd 0001 000000000001 0010 aabb");
        assertThat(RecordVersionFilter.acceptedRecords(d)).isSameAs(d);
        ByteBuffer headerOnly = datagram("17fe");
        assertThat(RecordVersionFilter.acceptedRecords(headerOnly)).isSameAs(headerOnly);
    }
}
