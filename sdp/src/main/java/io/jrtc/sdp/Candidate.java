package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An ICE candidate: the {@code candidate} attribute of RFC 8839 section 5.1, with the {@code tcptype}
 * extension of RFC 6544 section 4.5.
 *
 * <pre>
 * candidate-attribute   = "candidate" ":" foundation SP component-id SP
 *                         transport SP
 *                         priority SP
 *                         connection-address SP     ;from RFC 8866
 *                         port         ;port from RFC 8866
 *                         SP cand-type
 *                         [SP rel-addr]
 *                         [SP rel-port]
 *                         *(SP cand-extension)
 *
 * foundation            = 1*32ice-char
 * component-id          = 1*3DIGIT
 * transport             = "UDP" / transport-extension
 * priority              = 1*10DIGIT
 * cand-type             = "typ" SP candidate-types
 * candidate-types       = "host" / "srflx" / "prflx" / "relay" / token
 * rel-addr              = "raddr" SP connection-address
 * rel-port              = "rport" SP port
 * cand-extension        = extension-att-name SP extension-att-value
 * </pre>
 *
 * <p>Example (Chromium 156, mDNS on): {@code candidate:206081924 1 udp 2113937151
 * 16bc31b5-0178-4020-8990-b8f7514d8224.local 48935 typ host generation 0 network-cost 999}.
 *
 * <p>Choices, checked by the constructor and by {@link #parse(String)}:
 * <ul>
 *   <li>the transport is kept as written (browsers send {@code udp}, the RFC writes {@code UDP});
 *       {@link #isUdp()} and {@link #isTcp()} compare case-insensitively;</li>
 *   <li>the priority is an unsigned 32-bit number (0 to 2^32-1);</li>
 *   <li>the address is an IPv4 or IPv6 literal or a host name such as an mDNS {@code .local} name; it is
 *       never resolved;</li>
 *   <li>a {@code typ} other than host, srflx, prflx or relay is rejected, as libwebrtc does: no ICE agent
 *       can use it;</li>
 *   <li>{@code raddr}, {@code rport} and {@code tcptype} become fields; every other extension pair
 *       ({@code generation}, {@code ufrag}, {@code network-id}, {@code network-cost}, ...) is kept in
 *       order. {@link #toAttributeValue()} writes raddr, rport and tcptype first, then the extensions,
 *       which is the order every stack we captured uses.</li>
 * </ul>
 *
 * @param foundation     1 to 32 ice-chars
 * @param component      1 to 256 (1 is RTP, 2 is RTCP)
 * @param transport      the transport as written, e.g. {@code udp}, {@code UDP}, {@code tcp}
 * @param priority       0 to 2^32-1
 * @param address        the connection address
 * @param port           0 to 65535
 * @param type           host, srflx, prflx or relay
 * @param relatedAddress {@code raddr}, or {@code null}
 * @param relatedPort    {@code rport}, or -1 when absent
 * @param tcpType        {@code tcptype}, or {@code null}
 * @param extensions     the other extension pairs, in order
 */
public record Candidate(String foundation, int component, String transport, long priority, String address,
        int port, CandidateType type, String relatedAddress, int relatedPort, TcpType tcpType,
        List<Extension> extensions) implements TypedAttribute {

    /** The attribute name. */
    public static final String NAME = "candidate";
    /** The largest priority: the field is an unsigned 32-bit number. */
    public static final long MAX_PRIORITY = 0xFFFF_FFFFL;

    /**
     * One {@code cand-extension} pair, such as {@code generation 0}.
     *
     * @param name  a token other than raddr, rport, tcptype and typ
     * @param value a non-empty run of visible characters
     */
    public record Extension(String name, String value) {
        public Extension {
            if (!Syntax.isToken(name) || isReserved(name)) {
                throw new InvalidSdpException(ParseError.INVALID_VALUE, "candidate extension name \"" + name + "\"");
            }
            if (!Syntax.isVisible(value)) {
                throw new InvalidSdpException(ParseError.INVALID_VALUE, "candidate extension " + name + " value");
            }
        }

        private static boolean isReserved(String name) {
            return name.equals("raddr") || name.equals("rport") || name.equals("tcptype") || name.equals("typ");
        }
    }

    public Candidate {
        Objects.requireNonNull(type, "type");
        extensions = List.copyOf(extensions);
        String bad = check(foundation, component, transport, priority, address, port, relatedAddress, relatedPort);
        if (bad != null) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "candidate " + bad);
        }
    }

    private static String check(String foundation, int component, String transport, long priority, String address,
            int port, String relatedAddress, int relatedPort) {
        if (!Syntax.isIceChars(foundation, 1, 32)) {
            return "foundation \"" + foundation + "\"";
        }
        if (component < 1 || component > 256) {
            return "component " + component;
        }
        if (!Syntax.isToken(transport)) {
            return "transport \"" + transport + "\"";
        }
        if (priority < 0 || priority > MAX_PRIORITY) {
            return "priority " + priority;
        }
        if (!Syntax.isAddress(address)) {
            return "address \"" + address + "\"";
        }
        if (port < 0 || port > 65535) {
            return "port " + port;
        }
        if (relatedAddress != null && !Syntax.isAddress(relatedAddress)) {
            return "raddr \"" + relatedAddress + "\"";
        }
        if (relatedPort < -1 || relatedPort > 65535) {
            return "rport " + relatedPort;
        }
        return null;
    }

    /** A host candidate without extensions. */
    public static Candidate host(String foundation, int component, String transport, long priority, String address,
            int port) {
        return new Candidate(foundation, component, transport, priority, address, port, CandidateType.HOST, null, -1,
                null, List.of());
    }

    /**
     * Parses a candidate as browsers trickle it ({@code candidate:...}, the {@code RTCIceCandidate.candidate}
     * string), as an SDP line ({@code a=candidate:...}), or as the bare attribute value. Trailing whitespace
     * is ignored.
     *
     * @throws SdpParseException {@code INVALID_LENGTH} for missing fields or an odd extension list,
     *                           {@code INVALID_VALUE} for a field the grammar forbids
     */
    public static Candidate parse(String text) throws SdpParseException {
        Objects.requireNonNull(text, "text");
        String s = text;
        if (s.startsWith("a=")) {
            s = s.substring(2);
        }
        if (s.regionMatches(true, 0, "candidate:", 0, 10)) {
            s = s.substring(10);
        }
        return parseValue(s, text);
    }

    /** Parses the bare attribute value; {@code text} is what to quote in errors. */
    static Candidate parseValue(String attributeValue, String text) throws SdpParseException {
        String s = attributeValue;
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\r' || s.charAt(end - 1) == '\n'
                || s.charAt(end - 1) == '\t')) {
            end--;
        }
        s = s.substring(0, end);
        List<String> f = Syntax.fields(s);
        if (f.size() < 8) {
            throw fail(ParseError.INVALID_LENGTH, "needs at least 8 fields, has " + f.size(), text);
        }
        if (!Syntax.noEmpty(f)) {
            throw fail(ParseError.INVALID_VALUE, "empty field (doubled or leading space)", text);
        }
        String foundation = f.get(0);
        if (!Syntax.isIceChars(foundation, 1, 32)) {
            throw fail(ParseError.INVALID_VALUE, "foundation must be 1-32 ice-chars", text);
        }
        long component = f.get(1).length() > 3 ? -1 : Syntax.unsigned(f.get(1), 256);
        if (component < 1) {
            throw fail(ParseError.INVALID_VALUE, "component must be 1-256", text);
        }
        String transport = f.get(2);
        if (!Syntax.isToken(transport)) {
            throw fail(ParseError.INVALID_VALUE, "transport must be a token", text);
        }
        long priority = f.get(3).length() > 10 ? -1 : Syntax.unsigned(f.get(3), MAX_PRIORITY);
        if (priority < 0) {
            throw fail(ParseError.INVALID_VALUE, "priority must be 0-4294967295", text);
        }
        String address = f.get(4);
        if (!Syntax.isAddress(address)) {
            throw fail(ParseError.INVALID_VALUE, "connection-address \"" + address + "\"", text);
        }
        long port = Syntax.unsigned(f.get(5), 65535);
        if (port < 0) {
            throw fail(ParseError.INVALID_VALUE, "port must be 0-65535", text);
        }
        if (!f.get(6).equals("typ")) {
            throw fail(ParseError.INVALID_VALUE, "expected \"typ\" after the port", text);
        }
        CandidateType type = CandidateType.fromSdp(f.get(7));
        if (type == null) {
            throw fail(ParseError.INVALID_VALUE, "unsupported candidate type \"" + f.get(7) + "\"", text);
        }
        if ((f.size() - 8) % 2 != 0) {
            throw fail(ParseError.INVALID_LENGTH, "extension \"" + f.get(f.size() - 1) + "\" has no value", text);
        }
        String raddr = null;
        int rport = -1;
        TcpType tcpType = null;
        List<Extension> ext = new ArrayList<>((f.size() - 8) / 2);
        for (int i = 8; i < f.size(); i += 2) {
            String name = f.get(i);
            String value = f.get(i + 1);
            switch (name) {
                case "raddr" -> {
                    if (raddr != null || !Syntax.isAddress(value)) {
                        throw fail(ParseError.INVALID_VALUE, "raddr \"" + value + "\"", text);
                    }
                    raddr = value;
                }
                case "rport" -> {
                    long p = Syntax.unsigned(value, 65535);
                    if (rport >= 0 || p < 0) {
                        throw fail(ParseError.INVALID_VALUE, "rport \"" + value + "\"", text);
                    }
                    rport = (int) p;
                }
                case "tcptype" -> {
                    TcpType t = TcpType.fromSdp(value);
                    if (tcpType != null || t == null) {
                        throw fail(ParseError.INVALID_VALUE, "tcptype \"" + value + "\"", text);
                    }
                    tcpType = t;
                }
                case "typ" -> throw fail(ParseError.INVALID_VALUE, "typ given twice", text);
                default -> {
                    if (!Syntax.isToken(name)) {
                        throw fail(ParseError.INVALID_VALUE, "extension name \"" + name + "\"", text);
                    }
                    if (!Syntax.isVisible(value)) {
                        throw fail(ParseError.INVALID_VALUE, "extension " + name + " value", text);
                    }
                    ext.add(new Extension(name, value));
                }
            }
        }
        try {
            return new Candidate(foundation, (int) component, transport, priority, address, (int) port, type, raddr,
                    rport, tcpType, ext);
        } catch (InvalidSdpException e) {
            throw fail(e.error(), e.getMessage(), text);
        }
    }

    private static SdpParseException fail(ParseError error, String reason, String text) {
        return new SdpParseException(error, "candidate: " + reason, 0, text);
    }

    @Override
    public String attributeName() {
        return NAME;
    }

    /** The attribute value: everything after {@code a=candidate:}. */
    @Override
    public String toAttributeValue() {
        StringBuilder sb = new StringBuilder(96);
        sb.append(foundation).append(' ').append(component).append(' ').append(transport).append(' ')
                .append(priority).append(' ').append(address).append(' ').append(port).append(" typ ")
                .append(type.sdpName());
        if (relatedAddress != null) {
            sb.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort >= 0) {
            sb.append(" rport ").append(relatedPort);
        }
        if (tcpType != null) {
            sb.append(" tcptype ").append(tcpType.sdpName());
        }
        for (Extension e : extensions) {
            sb.append(' ').append(e.name()).append(' ').append(e.value());
        }
        return sb.toString();
    }

    /** The form browsers trickle, {@code candidate:<value>} (W3C {@code RTCIceCandidate.candidate}). */
    @Override
    public String toString() {
        return NAME + ':' + toAttributeValue();
    }

    /** True for transport UDP (any case). */
    public boolean isUdp() {
        return transport.equalsIgnoreCase("udp");
    }

    /** True for transport TCP (any case), as used by ICE-TCP (RFC 6544). */
    public boolean isTcp() {
        return transport.equalsIgnoreCase("tcp");
    }

    /** True if the address is a host name ending in {@code .local}: an mDNS-obfuscated host candidate. */
    public boolean isMdns() {
        String a = address.endsWith(".") ? address.substring(0, address.length() - 1) : address;
        return a.toLowerCase(Locale.ROOT).endsWith(".local");
    }

    /** True if the address is an IPv4 literal. */
    public boolean isIpv4() {
        return Syntax.isIpv4(address);
    }

    /** True if the address is an IPv6 literal. */
    public boolean isIpv6() {
        return address.indexOf(':') >= 0;
    }

    /** True if the address is a host name (mDNS or other FQDN) rather than an IP literal. */
    public boolean isHostName() {
        return !isIpv4() && !isIpv6();
    }

    /** The value of the first extension with this name. */
    public Optional<String> extension(String name) {
        for (Extension e : extensions) {
            if (e.name().equals(name)) {
                return Optional.of(e.value());
            }
        }
        return Optional.empty();
    }

    /** The {@code ufrag} extension browsers add to trickled candidates. */
    public Optional<String> ufrag() {
        return extension("ufrag");
    }

    /** The {@code generation} extension, if present and numeric. */
    public OptionalLong generation() {
        return numericExtension("generation");
    }

    /** The {@code network-id} extension, if present and numeric. */
    public OptionalLong networkId() {
        return numericExtension("network-id");
    }

    /** The {@code network-cost} extension, if present and numeric. */
    public OptionalLong networkCost() {
        return numericExtension("network-cost");
    }

    private OptionalLong numericExtension(String name) {
        Optional<String> v = extension(name);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        long n = Syntax.unsigned(v.get(), Long.MAX_VALUE);
        return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
    }

    /** A copy with {@code raddr}/{@code rport} set (for srflx, prflx and relay candidates). */
    public Candidate withRelated(String relatedAddress, int relatedPort) {
        return new Candidate(foundation, component, transport, priority, address, port, type, relatedAddress,
                relatedPort, tcpType, extensions);
    }

    /** A copy with another type. */
    public Candidate withType(CandidateType newType) {
        return new Candidate(foundation, component, transport, priority, address, port, newType, relatedAddress,
                relatedPort, tcpType, extensions);
    }

    /** A copy with another address (for example an mDNS name in place of the IP). */
    public Candidate withAddress(String newAddress) {
        return new Candidate(foundation, component, transport, priority, newAddress, port, type, relatedAddress,
                relatedPort, tcpType, extensions);
    }

    /** A copy with {@code tcptype} set, or removed when {@code null}. */
    public Candidate withTcpType(TcpType newTcpType) {
        return new Candidate(foundation, component, transport, priority, address, port, type, relatedAddress,
                relatedPort, newTcpType, extensions);
    }

    /** A copy with the extension set: replaced in place if present, appended otherwise. */
    public Candidate withExtension(String name, String value) {
        List<Extension> ext = new ArrayList<>(extensions);
        boolean replaced = false;
        for (int i = 0; i < ext.size(); i++) {
            if (ext.get(i).name().equals(name)) {
                ext.set(i, new Extension(name, value));
                replaced = true;
                break;
            }
        }
        if (!replaced) {
            ext.add(new Extension(name, value));
        }
        return new Candidate(foundation, component, transport, priority, address, port, type, relatedAddress,
                relatedPort, tcpType, ext);
    }
}
