package io.jrtc.sctp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.Hex;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Packets captured from a jrtc back-to-back run and checked independently with Wireshark/tshark 4
 * ({@code tshark -o sctp.checksum:CRC-32C -V}): every checksum was reported "[correct]" and the fields below are the
 * ones Wireshark decoded. This pins the CRC32c byte order and the chunk layouts against a third-party dissector.
 */
class CapturedPacketsTest {

    static final String INIT = "1388138800000000d7b1b60a010000204906674700400000ffffffff901502808008000682c00000c0000004";
    static final String DATA_PAIR = "13881388e21aa9e51850e0330003001890150280000300000000003368692074686572650006048c90150281000400000000003500";
    static final String SACK = "1388138849066747e1dfe4e00300001090150283003ff44000000000";
    static final String RECONFIG_REQUEST = "13881388e21aa9e57fc4ffe382000016000d0012901502807bc7b2b29015028300030000";
    static final String RECONFIG_RESPONSE = "1388138849066747f32bf97e820000100010000c9015028000000001";

    private static SctpPacket parse(String hex) throws Exception {
        return SctpPacket.parse(ByteBuffer.wrap(Hex.decode(hex)));
    }

    @Test
    void checksumsMatchWiresharkAndReencode() throws Exception {
        CRC32C crc = new CRC32C();
        for (String hex : new String[] {INIT, SACK, RECONFIG_REQUEST, RECONFIG_RESPONSE}) {
            ByteBuffer b = ByteBuffer.wrap(Hex.decode(hex));
            assertThat(SctpPacket.checksumMatches(b, crc)).as(hex).isTrue();
            assertThat(Hex.encode(parse(hex).encode(false))).isEqualTo(hex);
        }
        // Wireshark shows the field as read in network order; the CRC32c value itself is stored least significant byte first.
        ByteBuffer init = ByteBuffer.wrap(Hex.decode(INIT));
        assertThat(init.getInt(8) & 0xFFFF_FFFFL).isEqualTo(0xd7b1b60aL);
        assertThat(SctpPacket.checksumField(init)).isEqualTo(0x0ab6b1d7L);
        assertThat(SctpPacket.computeChecksum(init, crc)).isEqualTo(0x0ab6b1d7L);
    }

    @Test
    void initAsWiresharkDecodedIt() throws Exception {
        SctpPacket p = parse(INIT);
        assertThat(p.sourcePort()).isEqualTo(5000);
        assertThat(p.destinationPort()).isEqualTo(5000);
        assertThat(p.verificationTag()).isZero();
        InitChunk i = (InitChunk) p.chunks().get(0);
        assertThat(i.length()).isEqualTo(32);
        assertThat(i.initiateTag()).isEqualTo(0x49066747L);
        assertThat(i.advertisedReceiverWindowCredit()).isEqualTo(4194304);
        assertThat(i.outboundStreams()).isEqualTo(65535);
        assertThat(i.initialTsn()).isEqualTo(2417296000L);
        assertThat(i.parameters()).hasSize(2);
    }

    @Test
    void dataAndSackAndReconfigAsWiresharkDecodedThem() throws Exception {
        // The DATA capture is cut after the second chunk's header here; only the first chunk is complete.
        ByteBuffer b = ByteBuffer.wrap(Hex.decode(DATA_PAIR));
        b.position(SctpPacket.HEADER_LENGTH);
        DataChunk d = DataChunk.parse(b);
        assertThat(d.streamId()).isEqualTo(3);
        assertThat(d.ssn()).isZero();
        assertThat(d.ppid()).isEqualTo(51);
        assertThat(new String(d.payload())).isEqualTo("hi there");
        assertThat(d.beginning() && d.ending() && !d.unordered()).isTrue();

        SackChunk s = (SackChunk) parse(SACK).chunks().get(0);
        assertThat(s.cumulativeTsnAck()).isEqualTo(2417296003L);
        assertThat(s.advertisedReceiverWindowCredit()).isEqualTo(4191296);

        ReConfigChunk r = (ReConfigChunk) parse(RECONFIG_REQUEST).chunks().get(0);
        OutgoingSsnResetRequestParameter req = (OutgoingSsnResetRequestParameter) r.parameters().get(0);
        assertThat(req.requestSequenceNumber()).isEqualTo(2417296000L);
        assertThat(req.responseSequenceNumber()).isEqualTo(2076684978L);
        assertThat(req.senderLastAssignedTsn()).isEqualTo(2417296003L);
        assertThat(req.streamIds()).containsExactly(3);
    }
}
