package io.jrtc.testkit.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A minimal reader of classic pcap files as tcpdump writes them: IPv4 packets with their UDP or TCP ports and payload
 * length, on the link types tcpdump uses for {@code -i any} (Linux cooked v1 and v2), Ethernet and raw IP. Only what a
 * test needs to check where packets went; no reassembly, no IPv6.
 */
public final class PcapFile {

    /** Linux cooked capture v1 and v2 (what {@code -i any} writes), Ethernet, raw IPv4. */
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int LINKTYPE_RAW = 101;
    private static final int LINKTYPE_LINUX_SLL = 113;
    private static final int LINKTYPE_LINUX_SLL2 = 276;
    private static final int ETHERTYPE_IPV4 = 0x0800;

    /** The transport protocols told apart; anything else on IPv4 is {@code OTHER}. */
    public enum Protocol { UDP, TCP, OTHER }

    /**
     * One IPv4 packet: protocol, source and destination (ports 0 for {@code OTHER}), and the transport payload length
     * taken from the IP and TCP/UDP headers (so a snap length shorter than the packet does not shrink it).
     */
    public record Packet(Protocol protocol, InetSocketAddress source, InetSocketAddress destination, int payloadLength) {
        @Override
        public String toString() {
            return protocol + " " + source.getAddress().getHostAddress() + ":" + source.getPort() + " > "
                    + destination.getAddress().getHostAddress() + ":" + destination.getPort() + " (" + payloadLength + " B)";
        }
    }

    private PcapFile() {
    }

    /** The IPv4 packets in {@code file}, in capture order; frames of other network protocols are left out. */
    public static List<Packet> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.remaining() < 24) {
            throw new IOException("not a pcap file (" + b.remaining() + " bytes): " + file);
        }
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (Integer.reverseBytes(magic) == 0xa1b2c3d4 || Integer.reverseBytes(magic) == 0xa1b23c4d) {
            b.order(ByteOrder.BIG_ENDIAN);
        } else {
            throw new IOException(String.format("not a classic pcap file (magic %08x): %s", magic, file));
        }
        int linkType = b.getInt(20) & 0x0fffffff;
        b.position(24);
        List<Packet> packets = new ArrayList<>();
        while (b.remaining() >= 16) {
            b.getInt(); // seconds
            b.getInt(); // micro- or nanoseconds
            int captured = b.getInt();
            b.getInt(); // original length
            if (captured < 0 || captured > b.remaining()) {
                break; // a record cut short by the capture's end: ignore it
            }
            byte[] frame = new byte[captured];
            b.get(frame);
            Packet p = ipv4(frame, linkType);
            if (p != null) {
                packets.add(p);
            }
        }
        return packets;
    }

    private static Packet ipv4(byte[] f, int linkType) throws IOException {
        int ip;
        int etherType;
        switch (linkType) {
            case LINKTYPE_LINUX_SLL -> {
                etherType = u16(f, 14);
                ip = 16;
            }
            case LINKTYPE_LINUX_SLL2 -> {
                etherType = u16(f, 0);
                ip = 20;
            }
            case LINKTYPE_ETHERNET -> {
                etherType = u16(f, 12);
                ip = 14;
            }
            case LINKTYPE_RAW -> {
                etherType = ETHERTYPE_IPV4;
                ip = 0;
            }
            default -> throw new IOException("unsupported pcap link type " + linkType);
        }
        if (etherType != ETHERTYPE_IPV4 || f.length < ip + 20 || (f[ip] >> 4 & 0xf) != 4) {
            return null;
        }
        int ihl = (f[ip] & 0xf) * 4;
        int totalLength = u16(f, ip + 2);
        int proto = f[ip + 9] & 0xff;
        InetAddress src = address(f, ip + 12);
        InetAddress dst = address(f, ip + 16);
        int l4 = ip + ihl;
        if ((proto == 17 || proto == 6) && f.length >= l4 + (proto == 6 ? 13 : 4)) {
            int sport = u16(f, l4);
            int dport = u16(f, l4 + 2);
            int header = proto == 17 ? 8 : ((f[l4 + 12] >> 4) & 0xf) * 4;
            return new Packet(proto == 17 ? Protocol.UDP : Protocol.TCP, new InetSocketAddress(src, sport),
                    new InetSocketAddress(dst, dport), Math.max(0, totalLength - ihl - header));
        }
        return new Packet(Protocol.OTHER, new InetSocketAddress(src, 0), new InetSocketAddress(dst, 0),
                Math.max(0, totalLength - ihl));
    }

    private static int u16(byte[] f, int i) {
        return (f[i] & 0xff) << 8 | (f[i + 1] & 0xff);
    }

    private static InetAddress address(byte[] f, int i) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(f, i, i + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always a valid IPv4 address
        }
    }
}
