package io.jrtc.probe.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decodes the connection's UDP datagrams (RFC 7983 demultiplexing: STUN 0-3, DTLS 20-63, SRTP/SRTCP 128-191) for the
 * datagram tap: which messages a datagram carries ({@link Kind}, what faults count), the STUN message and the DTLS
 * hellos structurally, and one line for the evidence. Never throws: what does not parse is reported as such.
 */
public final class Wire {

    private Wire() {
    }

    /** What a datagram can carry; the names are those of {@code --fault} (e.g. {@code drop:DTLS_FINISHED:first}). */
    public enum Kind {
        STUN_BINDING_REQUEST, STUN_BINDING_SUCCESS, STUN_BINDING_ERROR, STUN_BINDING_INDICATION, STUN_OTHER,
        DTLS_CLIENT_HELLO, DTLS_SERVER_HELLO, DTLS_HELLO_VERIFY_REQUEST, DTLS_CERTIFICATE, DTLS_SERVER_KEY_EXCHANGE,
        DTLS_CERTIFICATE_REQUEST, DTLS_SERVER_HELLO_DONE, DTLS_CERTIFICATE_VERIFY, DTLS_CLIENT_KEY_EXCHANGE,
        /** A handshake record of epoch 1 or later: in DTLS 1.2 without renegotiation, the (encrypted) Finished. */
        DTLS_FINISHED, DTLS_CHANGE_CIPHER_SPEC, DTLS_ALERT, DTLS_APPLICATION_DATA,
        /** Any DTLS record, any STUN message, any SRTP/SRTCP packet: for faults that name a whole protocol. */
        DTLS, STUN, SRTP;

        /** The kind named (case-insensitive, {@code -} for {@code _}), or null. */
        public static Kind named(String name) {
            String n = name.toUpperCase(Locale.ROOT).replace('-', '_');
            for (Kind k : values()) {
                if (k.name().equals(n)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** One STUN attribute. */
    public record Attr(int type, byte[] value) {
    }

    /** A STUN message (RFC 8489): its type, transaction id and attributes in order. */
    public record Stun(int type, byte[] txid, List<Attr> attrs) {
        public Attr attr(int t) {
            return attrs.stream().filter(a -> a.type() == t).findFirst().orElse(null);
        }

        public boolean has(int t) {
            return attr(t) != null;
        }

        public String txidHex() {
            return HexFormat.of().formatHex(txid);
        }

        /** The ERROR-CODE attribute's code (e.g. 487), or -1. */
        public int errorCode() {
            Attr a = attr(ERROR_CODE);
            return a == null || a.value().length < 4 ? -1 : (a.value()[2] & 0x7) * 100 + (a.value()[3] & 0xFF);
        }
    }

    /** A ClientHello or ServerHello: the suites offered (one, chosen, in a ServerHello) and the extension types. */
    public record Hello(boolean client, int version, List<Integer> cipherSuites, List<Integer> extensions,
            List<Integer> srtpProfiles) {
    }

    /** A decoded datagram: what it carries, its STUN message or DTLS hellos (when any), and one line. */
    public record Datagram(Set<Kind> kinds, Stun stun, List<Hello> hellos, String decoded, int length) {
        public boolean has(Kind k) {
            return kinds.contains(k);
        }

        public Hello hello(boolean client) {
            return hellos.stream().filter(h -> h.client() == client).findFirst().orElse(null);
        }
    }

    public static final int USERNAME = 0x0006, MESSAGE_INTEGRITY = 0x0008, ERROR_CODE = 0x0009,
            XOR_MAPPED_ADDRESS = 0x0020, PRIORITY = 0x0024, USE_CANDIDATE = 0x0025, FINGERPRINT = 0x8028,
            ICE_CONTROLLED = 0x8029, ICE_CONTROLLING = 0x802A;
    static final int MAGIC_COOKIE = 0x2112A442;
    public static final int EXT_EXTENDED_MASTER_SECRET = 23, EXT_USE_SRTP = 14;

    public static Datagram decode(ByteBuffer datagram) {
        ByteBuffer b = datagram.duplicate();
        int len = b.remaining();
        if (len == 0) {
            return new Datagram(Set.of(), null, List.of(), "(empty datagram)", 0);
        }
        int first = b.get(b.position()) & 0xFF;
        try {
            if (first <= 3) {
                return stunDatagram(b, len);
            } else if (first >= 20 && first <= 63) {
                return dtlsDatagram(b, len);
            } else if (first >= 128 && first <= 191) {
                int pt = len > 1 ? b.get(b.position() + 1) & 0x7F : 0;
                boolean rtcp = len > 1 && (b.get(b.position() + 1) & 0xFF) >= 192 && (b.get(b.position() + 1) & 0xFF) <= 223;
                return new Datagram(EnumSet.of(Kind.SRTP), null, List.of(), (rtcp ? "SRTCP" : "SRTP pt=" + pt) + " " + len + " B", len);
            }
        } catch (RuntimeException e) {
            return new Datagram(Set.of(), null, List.of(), "(malformed, first byte " + first + ", " + len + " B)", len);
        }
        return new Datagram(Set.of(), null, List.of(), "(unknown first byte " + first + ", " + len + " B)", len);
    }

    /** The STUN message in {@code b}, or null when it is not one (too short, no magic cookie, bad length). */
    public static Stun stun(ByteBuffer b) {
        ByteBuffer s = b.duplicate();
        if (s.remaining() < 20) {
            return null;
        }
        int type = s.getShort() & 0xFFFF;
        int mlen = s.getShort() & 0xFFFF;
        if (s.getInt() != MAGIC_COOKIE || (type & 0xC000) != 0 || mlen > s.remaining() - 12 || (mlen & 3) != 0) {
            return null;
        }
        byte[] txid = new byte[12];
        s.get(txid);
        List<Attr> attrs = new ArrayList<>();
        int end = s.position() + mlen;
        while (s.position() + 4 <= end) {
            int at = s.getShort() & 0xFFFF;
            int al = s.getShort() & 0xFFFF;
            if (s.position() + al > end) {
                return null;
            }
            byte[] v = new byte[al];
            s.get(v);
            s.position(Math.min(end, s.position() + ((4 - al % 4) % 4)));
            attrs.add(new Attr(at, v));
        }
        return new Stun(type, txid, attrs);
    }

    private static Datagram stunDatagram(ByteBuffer b, int len) {
        Stun s = stun(b);
        if (s == null) {
            return new Datagram(EnumSet.of(Kind.STUN), null, List.of(), "(not STUN, first byte < 4, " + len + " B)", len);
        }
        Kind k = switch (s.type()) {
            case 0x0001 -> Kind.STUN_BINDING_REQUEST;
            case 0x0101 -> Kind.STUN_BINDING_SUCCESS;
            case 0x0111 -> Kind.STUN_BINDING_ERROR;
            case 0x0011 -> Kind.STUN_BINDING_INDICATION;
            default -> Kind.STUN_OTHER;
        };
        return new Datagram(EnumSet.of(Kind.STUN, k), s, List.of(), describe(s), len);
    }

    /** One line: the message type, the transaction id, every attribute with its value where short. */
    public static String describe(Stun s) {
        String t = switch (s.type()) {
            case 0x0001 -> "Binding request";
            case 0x0101 -> "Binding success";
            case 0x0111 -> "Binding error";
            case 0x0011 -> "Binding indication";
            default -> String.format("type=0x%04x", s.type());
        };
        StringBuilder out = new StringBuilder("STUN ").append(t).append(" tx=").append(s.txidHex());
        for (Attr a : s.attrs()) {
            out.append(' ').append(attr(a));
        }
        return out.toString();
    }

    private static String attr(Attr a) {
        ByteBuffer v = ByteBuffer.wrap(a.value());
        return switch (a.type()) {
            case USERNAME -> "USERNAME=" + new String(a.value(), java.nio.charset.StandardCharsets.UTF_8);
            case MESSAGE_INTEGRITY -> "MESSAGE-INTEGRITY";
            case FINGERPRINT -> "FINGERPRINT";
            case PRIORITY -> a.value().length == 4 ? "PRIORITY=" + Integer.toUnsignedString(v.getInt()) : "PRIORITY(bad)";
            case USE_CANDIDATE -> "USE-CANDIDATE";
            case ICE_CONTROLLING -> a.value().length == 8 ? "ICE-CONTROLLING=0x" + Long.toHexString(v.getLong()) : "ICE-CONTROLLING(bad)";
            case ICE_CONTROLLED -> a.value().length == 8 ? "ICE-CONTROLLED=0x" + Long.toHexString(v.getLong()) : "ICE-CONTROLLED(bad)";
            case ERROR_CODE -> "ERROR-CODE=" + new Stun(0, new byte[12], List.of(a)).errorCode()
                    + (a.value().length > 4 ? " '" + new String(a.value(), 4, a.value().length - 4, java.nio.charset.StandardCharsets.UTF_8) + "'" : "");
            case XOR_MAPPED_ADDRESS -> "XOR-MAPPED-ADDRESS";
            case 0xC057 -> "NETWORK-COST";
            case 0x8022 -> "SOFTWARE";
            case 0x000C -> "CHANNEL-NUMBER";
            default -> String.format("attr(0x%04x, %d B)", a.type(), a.value().length);
        };
    }

    private static Datagram dtlsDatagram(ByteBuffer b, int len) {
        Set<Kind> kinds = EnumSet.of(Kind.DTLS);
        List<Hello> hellos = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        ByteBuffer r = b.duplicate();
        while (r.remaining() >= 13) {
            int type = r.get() & 0xFF;
            int version = r.getShort() & 0xFFFF;
            int epoch = r.getShort() & 0xFFFF;
            r.position(r.position() + 6);
            int rlen = r.getShort() & 0xFFFF;
            if (rlen > r.remaining()) {
                parts.add("truncated record type=" + type);
                break;
            }
            ByteBuffer frag = r.slice(r.position(), rlen);
            r.position(r.position() + rlen);
            String v = version == 0xFEFD ? "1.2" : version == 0xFEFF ? "1.0" : String.format("0x%04x", version);
            switch (type) {
                case 20 -> {
                    kinds.add(Kind.DTLS_CHANGE_CIPHER_SPEC);
                    parts.add("ChangeCipherSpec e" + epoch);
                }
                case 21 -> {
                    kinds.add(Kind.DTLS_ALERT);
                    parts.add(epoch == 0 && rlen >= 2 ? "Alert level=" + frag.get(0) + " desc=" + (frag.get(1) & 0xFF)
                            : "Alert e" + epoch + " (encrypted)");
                }
                case 22 -> {
                    if (epoch > 0) {
                        kinds.add(Kind.DTLS_FINISHED);
                        parts.add("Handshake e" + epoch + " (encrypted: Finished) " + rlen + " B");
                    } else {
                        handshakes(frag, v, kinds, hellos, parts);
                    }
                }
                case 23 -> {
                    kinds.add(Kind.DTLS_APPLICATION_DATA);
                    parts.add("ApplicationData e" + epoch + " " + rlen + " B");
                }
                default -> parts.add("record type=" + type + " " + rlen + " B");
            }
        }
        return new Datagram(kinds, null, hellos, "DTLS [" + String.join("; ", parts) + "]", len);
    }

    private static void handshakes(ByteBuffer f, String version, Set<Kind> kinds, List<Hello> hellos, List<String> parts) {
        while (f.remaining() >= 12) {
            int msg = f.get() & 0xFF;
            int length = u24(f);
            int seq = f.getShort() & 0xFFFF;
            int off = u24(f);
            int flen = u24(f);
            if (flen > f.remaining()) {
                parts.add("truncated handshake " + msg);
                return;
            }
            ByteBuffer body = f.slice(f.position(), flen);
            f.position(f.position() + flen);
            Kind k = switch (msg) {
                case 1 -> Kind.DTLS_CLIENT_HELLO;
                case 2 -> Kind.DTLS_SERVER_HELLO;
                case 3 -> Kind.DTLS_HELLO_VERIFY_REQUEST;
                case 11 -> Kind.DTLS_CERTIFICATE;
                case 12 -> Kind.DTLS_SERVER_KEY_EXCHANGE;
                case 13 -> Kind.DTLS_CERTIFICATE_REQUEST;
                case 14 -> Kind.DTLS_SERVER_HELLO_DONE;
                case 15 -> Kind.DTLS_CERTIFICATE_VERIFY;
                case 16 -> Kind.DTLS_CLIENT_KEY_EXCHANGE;
                case 20 -> Kind.DTLS_FINISHED;
                default -> null;
            };
            if (k != null) {
                kinds.add(k);
            }
            String name = k == null ? "handshake type " + msg : camel(k.name().substring(5));
            String frag = off == 0 && flen == length ? "" : " fragment " + off + "+" + flen + "/" + length;
            String detail = "";
            if ((msg == 1 || msg == 2) && off == 0 && flen == length) {
                Hello h = hello(msg == 1, body.duplicate());
                if (h != null) {
                    hellos.add(h);
                    detail = " " + describe(h);
                }
            }
            parts.add("Handshake " + name + " seq=" + seq + frag + detail + (msg == 1 && !version.equals("1.2") ? " (record DTLS " + version + ")" : ""));
        }
    }

    /**
     * A ClientHello ({@code client}) or ServerHello put together from the epoch-0 handshake fragments in
     * {@code datagrams} (in order), or null until every byte of one has been seen. A hello larger than one datagram is
     * fragmented (Chromium's ClientHello: 1,413 bytes in two, with its post-quantum key share); {@link #decode} alone
     * only decodes a hello that comes whole.
     */
    public static Hello reassembledHello(List<byte[]> datagrams, boolean client) {
        int want = client ? 1 : 2;
        java.util.Map<Integer, byte[]> bodies = new java.util.HashMap<>();
        java.util.Map<Integer, java.util.BitSet> filled = new java.util.HashMap<>();
        for (byte[] d : datagrams) {
            Hello h = eachPlainHandshakeFragment(d, (msg, length, seq, off, body) -> {
                if (msg != want) {
                    return null;
                }
                byte[] whole = bodies.computeIfAbsent(seq, k -> new byte[length]);
                if (whole.length != length || off + body.remaining() > length) {
                    return null;
                }
                int flen = body.remaining();
                body.get(whole, off, flen);
                java.util.BitSet bits = filled.computeIfAbsent(seq, k -> new java.util.BitSet(length));
                bits.set(off, off + flen);
                return bits.cardinality() == length ? hello(client, ByteBuffer.wrap(whole)) : null;
            });
            if (h != null) {
                return h;
            }
        }
        return null;
    }

    /** One handshake fragment of epoch 0: its message type, full length, message_seq, offset and bytes. */
    @FunctionalInterface
    private interface FragmentVisitor<T> {
        /** A non-null result ends the walk. */
        T visit(int msg, int length, int seq, int off, ByteBuffer body);
    }

    /**
     * Walks the plaintext (epoch 0) handshake fragments of a datagram's DTLS records, in order, until {@code v}
     * returns something; a truncated record or fragment ends the walk. Null when nothing was returned.
     */
    private static <T> T eachPlainHandshakeFragment(byte[] datagram, FragmentVisitor<T> v) {
        ByteBuffer r = ByteBuffer.wrap(datagram);
        while (r.remaining() >= 13) {
            int type = r.get() & 0xFF;
            r.position(r.position() + 2);
            int epoch = r.getShort() & 0xFFFF;
            r.position(r.position() + 6);
            int rlen = r.getShort() & 0xFFFF;
            if (rlen > r.remaining()) {
                return null;
            }
            ByteBuffer f = r.slice(r.position(), rlen);
            r.position(r.position() + rlen);
            while (type == 22 && epoch == 0 && f.remaining() >= 12) {
                int msg = f.get() & 0xFF;
                int length = u24(f);
                int seq = f.getShort() & 0xFFFF;
                int off = u24(f);
                int flen = u24(f);
                if (flen > f.remaining()) {
                    return null;
                }
                T t = v.visit(msg, length, seq, off, f.slice(f.position(), flen));
                if (t != null) {
                    return t;
                }
                f.position(f.position() + flen);
            }
        }
        return null;
    }

    /**
     * The first certificate (DER) of the first unfragmented Certificate message of epoch 0 in {@code datagram}, or
     * null. In DTLS 1.2 the Certificate goes in plaintext.
     */
    public static byte[] firstCertificate(byte[] datagram) {
        return eachPlainHandshakeFragment(datagram, (msg, length, seq, off, body) -> {
            if (msg != 11 || off != 0 || body.remaining() != length || body.remaining() < 6) {
                return null;
            }
            u24(body);
            int clen = u24(body);
            if (clen > body.remaining()) {
                return null;
            }
            byte[] der = new byte[clen];
            body.get(der);
            return der;
        });
    }

    private static int u24(ByteBuffer b) {
        return ((b.get() & 0xFF) << 16) | ((b.get() & 0xFF) << 8) | (b.get() & 0xFF);
    }

    private static String camel(String s) {
        StringBuilder out = new StringBuilder();
        for (String w : s.split("_")) {
            out.append(w.charAt(0)).append(w.substring(1).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    static Hello hello(boolean client, ByteBuffer b) {
        try {
            int version = b.getShort() & 0xFFFF;
            b.position(b.position() + 32);
            int sid = b.get() & 0xFF;
            b.position(b.position() + sid);
            List<Integer> suites = new ArrayList<>();
            if (client) {
                int cookie = b.get() & 0xFF;
                b.position(b.position() + cookie);
                int n = b.getShort() & 0xFFFF;
                for (int i = 0; i < n / 2; i++) {
                    suites.add(b.getShort() & 0xFFFF);
                }
                int comp = b.get() & 0xFF;
                b.position(b.position() + comp);
            } else {
                suites.add(b.getShort() & 0xFFFF);
                b.get(); // compression method
            }
            List<Integer> exts = new ArrayList<>();
            List<Integer> profiles = new ArrayList<>();
            if (b.remaining() >= 2) {
                int total = b.getShort() & 0xFFFF;
                int end = b.position() + Math.min(total, b.remaining());
                while (b.position() + 4 <= end) {
                    int t = b.getShort() & 0xFFFF;
                    int l = b.getShort() & 0xFFFF;
                    ByteBuffer v = b.slice(b.position(), Math.min(l, end - b.position()));
                    b.position(Math.min(end, b.position() + l));
                    exts.add(t);
                    if (t == EXT_USE_SRTP && v.remaining() >= 2) {
                        int pl = v.getShort() & 0xFFFF;
                        for (int i = 0; i < pl / 2 && v.remaining() >= 2; i++) {
                            profiles.add(v.getShort() & 0xFFFF);
                        }
                    }
                }
            }
            return new Hello(client, version, suites, exts, profiles);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public static String describe(Hello h) {
        return (h.version() == 0xFEFD ? "DTLS 1.2 " : h.version() == 0xFEFF ? "DTLS 1.0 " : String.format("version=0x%04x ", h.version())) + (h.client() ? "suites=" : "suite=") + h.cipherSuites().stream().map(Wire::suiteName).toList()
                + " ext=" + h.extensions().stream().map(Wire::extensionName).toList()
                + (h.srtpProfiles().isEmpty() ? "" : " srtp=" + h.srtpProfiles().stream().map(p -> String.format("0x%04x", p)).toList());
    }

    /** An IANA cipher suite name (without {@code TLS_}) for the common ones, else its number. */
    public static String suiteName(int s) {
        String n = switch (s) {
            case 0xC02B -> "ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
            case 0xC02C -> "ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
            case 0xC02F -> "ECDHE_RSA_WITH_AES_128_GCM_SHA256";
            case 0xC030 -> "ECDHE_RSA_WITH_AES_256_GCM_SHA384";
            case 0xCCA9 -> "ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
            case 0xCCA8 -> "ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
            case 0xC009 -> "ECDHE_ECDSA_WITH_AES_128_CBC_SHA";
            case 0xC00A -> "ECDHE_ECDSA_WITH_AES_256_CBC_SHA";
            case 0xC013 -> "ECDHE_RSA_WITH_AES_128_CBC_SHA";
            case 0xC014 -> "ECDHE_RSA_WITH_AES_256_CBC_SHA";
            case 0xC023 -> "ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";
            case 0xC027 -> "ECDHE_RSA_WITH_AES_128_CBC_SHA256";
            case 0xC0AC -> "ECDHE_ECDSA_WITH_AES_128_CCM";
            case 0xC0AE -> "ECDHE_ECDSA_WITH_AES_128_CCM_8";
            case 0x009C -> "RSA_WITH_AES_128_GCM_SHA256";
            case 0x009D -> "RSA_WITH_AES_256_GCM_SHA384";
            case 0x002F -> "RSA_WITH_AES_128_CBC_SHA";
            case 0x0035 -> "RSA_WITH_AES_256_CBC_SHA";
            case 0x00A8 -> "PSK_WITH_AES_128_GCM_SHA256";
            case 0x00FF -> "EMPTY_RENEGOTIATION_INFO_SCSV";
            case 0x1301 -> "AES_128_GCM_SHA256";
            case 0x1302 -> "AES_256_GCM_SHA384";
            case 0x1303 -> "CHACHA20_POLY1305_SHA256";
            default -> null;
        };
        return n != null ? n : String.format("0x%04X", s);
    }

    /** Perfect forward secrecy: an ephemeral (EC)DH key exchange, or a TLS 1.3 suite. */
    public static boolean pfs(int suite) {
        String n = suiteName(suite);
        return n.startsWith("ECDHE_") || n.startsWith("DHE_") || (suite >= 0x1301 && suite <= 0x1305);
    }

    /** An AEAD cipher (GCM, CCM, ChaCha20-Poly1305). */
    public static boolean aead(int suite) {
        String n = suiteName(suite);
        return n.contains("GCM") || n.contains("CCM") || n.contains("POLY1305");
    }

    public static String extensionName(int t) {
        return switch (t) {
            case 0 -> "server_name";
            case 5 -> "status_request";
            case 10 -> "supported_groups";
            case 11 -> "ec_point_formats";
            case 13 -> "signature_algorithms";
            case 14 -> "use_srtp";
            case 16 -> "alpn";
            case 18 -> "signed_certificate_timestamp";
            case 21 -> "padding";
            case 22 -> "encrypt_then_mac";
            case 23 -> "extended_master_secret";
            case 28 -> "record_size_limit";
            case 35 -> "session_ticket";
            case 43 -> "supported_versions";
            case 44 -> "cookie";
            case 45 -> "psk_key_exchange_modes";
            case 51 -> "key_share";
            case 54 -> "connection_id";
            case 0xFF01 -> "renegotiation_info";
            default -> String.format("0x%04x", t);
        };
    }
}
