package io.jrtc.testkit.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.testkit.interop.PcapFile.Packet;
import io.jrtc.testkit.interop.PcapFile.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PcapFile} against pcap files built byte by byte: the Linux cooked v2 header that {@code tcpdump -i any}
 * writes, the v1 header, and big-endian files; UDP, TCP (header length from the data offset), ICMP as OTHER, ARP
 * left out, a snap length shorter than the packet (payload length from the IP header), and a file that is not pcap.
 */
class PcapFileReadsAddressesPortsAndPayloadLengths {

    @TempDir
    Path dir;

    @Test
    void cookedV2FramesGiveEndpointsAndPayloadLengths() throws IOException {
        byte[] udp = ipv4(17, new byte[] {10, 77, 5, 1}, new byte[] {10, 77, 5, 2}, udpHeader(40000, 3478), 100);
        byte[] tcp = ipv4(6, new byte[] {10, 77, 5, 2}, new byte[] {10, 77, 5, 1}, tcpHeader(5349, 41000, 32), 1200);
        byte[] icmp = ipv4(1, new byte[] {10, 77, 5, 2}, new byte[] {10, 77, 5, 1}, new byte[8], 20);
        Path f = write(ByteOrder.LITTLE_ENDIAN, 276, List.of(sll2(0x0800, udp), sll2(0x0800, truncate(tcp, 90)),
                sll2(0x0800, icmp), sll2(0x0806, new byte[28])));

        List<Packet> packets = PcapFile.read(f);

        assertThat(packets).containsExactly(
                new Packet(Protocol.UDP, new InetSocketAddress("10.77.5.1", 40000), new InetSocketAddress("10.77.5.2", 3478), 100),
                new Packet(Protocol.TCP, new InetSocketAddress("10.77.5.2", 5349), new InetSocketAddress("10.77.5.1", 41000), 1200),
                new Packet(Protocol.OTHER, new InetSocketAddress("10.77.5.2", 0), new InetSocketAddress("10.77.5.1", 0), 28));
    }

    @Test
    void cookedV1BigEndianFilesReadTheSame() throws IOException {
        byte[] udp = ipv4(17, new byte[] {127, 0, 0, 1}, new byte[] {127, 0, 0, 1}, udpHeader(5000, 5001), 7);
        Path f = write(ByteOrder.BIG_ENDIAN, 113, List.of(sll1(0x0800, udp)));

        assertThat(PcapFile.read(f)).containsExactly(new Packet(Protocol.UDP, new InetSocketAddress("127.0.0.1", 5000),
                new InetSocketAddress("127.0.0.1", 5001), 7));
    }

    @Test
    void aFileThatIsNotPcapIsRefusedWithTheReason() throws IOException {
        Path f = dir.resolve("not.pcap");
        Files.write(f, new byte[40]);
        assertThatThrownBy(() -> PcapFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining("not a classic pcap file");
    }

    private static byte[] ipv4(int protocol, byte[] src, byte[] dst, byte[] l4Header, int payload) {
        int total = 20 + l4Header.length + payload;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45).put((byte) 0).putShort((short) total).putInt(0).put((byte) 64).put((byte) protocol).putShort((short) 0);
        b.put(src).put(dst).put(l4Header);
        return b.array();
    }

    private static byte[] udpHeader(int sport, int dport) {
        return ByteBuffer.allocate(8).putShort((short) sport).putShort((short) dport).array();
    }

    private static byte[] tcpHeader(int sport, int dport, int headerLength) {
        ByteBuffer b = ByteBuffer.allocate(headerLength).putShort((short) sport).putShort((short) dport);
        b.put(12, (byte) ((headerLength / 4) << 4));
        return b.array();
    }

    private static byte[] truncate(byte[] a, int n) {
        return java.util.Arrays.copyOf(a, n);
    }

    private static byte[] sll2(int etherType, byte[] payload) {
        return ByteBuffer.allocate(20 + payload.length).putShort((short) etherType).position(20).put(payload).array();
    }

    private static byte[] sll1(int etherType, byte[] payload) {
        return ByteBuffer.allocate(16 + payload.length).putShort(14, (short) etherType).position(16).put(payload).array();
    }

    private Path write(ByteOrder order, int linkType, List<byte[]> frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(order);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(256).putInt(linkType);
        out.write(h.array());
        for (byte[] frame : frames) {
            ByteBuffer r = ByteBuffer.allocate(16).order(order);
            r.putInt(1).putInt(0).putInt(frame.length).putInt(frame.length);
            out.write(r.array());
            out.write(frame);
        }
        Path f = dir.resolve("capture.pcap");
        Files.write(f, out.toByteArray());
        return f;
    }
}
