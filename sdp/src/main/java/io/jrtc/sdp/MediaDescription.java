package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One media description ("m-section") of RFC 8866 section 5.14, with the lines that follow its
 * {@code m=} line.
 *
 * <pre>
 * media-description =   media-field
 *                       [information-field]
 *                       *connection-field
 *                       bandwidth-fields
 *                       key-field
 *                       attribute-fields
 *
 * media-field =         %s"m" "=" media SP port ["/" integer]
 *                       SP proto 1*(SP fmt) CRLF
 * </pre>
 *
 * <p>Examples: {@code m=application 9 UDP/DTLS/SCTP webrtc-datachannel} (RFC 8841 section 4.1),
 * {@code m=audio 9 UDP/TLS/RTP/SAVPF 111 0}.
 *
 * <p>The ordered {@link #attributes()} list is the source of truth: every typed accessor
 * ({@link #mid()}, {@link #candidates()}, {@link #codecs()}, ...) is a view computed from it on each
 * call, and anything unknown stays in it unchanged. Accessors read this m-section only; where JSEP
 * allows a session-level value (ICE credentials, fingerprint, setup), use the {@code ...For(media)}
 * methods of {@link SessionDescription}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind          the media type as written: {@code audio}, {@code video}, {@code application}, or any other
 *                      token
 * @param port          0-65535; 0 marks a rejected (or bundle-only) section
 * @param numberOfPorts the {@code /<number>} after the port, or 0 when absent
 * @param proto         the transport protocol, e.g. {@code UDP/DTLS/SCTP}, {@code UDP/TLS/RTP/SAVPF}
 * @param formats       the formats (payload types, or {@code webrtc-datachannel}); at least one
 * @param information   the {@code i=} text, or {@code null}
 * @param connection    the {@code c=} line, or {@code null}
 * @param bandwidths    the {@code b=} lines
 * @param key           the (obsolete) {@code k=} text, or {@code null}
 * @param attributes    the {@code a=} lines in order
 */
public record MediaDescription(String kind, int port, int numberOfPorts, String proto, List<String> formats,
        String information, Connection connection, List<Bandwidth> bandwidths, String key,
        List<Attribute> attributes) {

    /** Media type {@code audio}. */
    public static final String AUDIO = "audio";
    /** Media type {@code video}. */
    public static final String VIDEO = "video";
    /** Media type {@code application}. */
    public static final String APPLICATION = "application";
    /** The proto of data channels (RFC 8841 section 4.1). */
    public static final String PROTO_DTLS_SCTP = "UDP/DTLS/SCTP";
    /** The proto of data channels whose default candidate is TCP (RFC 8841 section 4.1). */
    public static final String PROTO_TCP_DTLS_SCTP = "TCP/DTLS/SCTP";
    /** The proto of the draft form of data channel sections ({@link SctpSdpForm#SCTPMAP}). */
    public static final String PROTO_LEGACY_DTLS_SCTP = "DTLS/SCTP";
    /** The proto of DTLS-SRTP media with feedback (RFC 5764, JSEP section 5.1.2). */
    public static final String PROTO_RTP_SAVPF = "UDP/TLS/RTP/SAVPF";
    /** The format of data channels (RFC 8841 section 4.1). */
    public static final String FORMAT_DATACHANNEL = "webrtc-datachannel";
    /** The port JSEP writes before any candidate is known: 9, the discard port (RFC 9429 section 5.2.1). */
    public static final int DISCARD_PORT = 9;
    /** The default SCTP port of RFC 8841 section 5. */
    public static final int DEFAULT_SCTP_PORT = 5000;

    public MediaDescription {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(proto, "proto");
        formats = List.copyOf(formats);
        bandwidths = List.copyOf(bandwidths);
        attributes = List.copyOf(attributes);
        String bad = Syntax.checkMediaLine(kind, port, numberOfPorts, proto, formats);
        if (bad != null) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "m= " + bad);
        }
        if (information != null && !Syntax.isText(information)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "i= holds CR, LF or NUL");
        }
        if (key != null && !Syntax.isText(key)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "k= holds CR, LF or NUL");
        }
    }

    /** A builder for a new m-section. */
    public static Builder builder(String kind, int port, String proto, List<String> formats) {
        return new Builder(kind, port, proto, formats);
    }

    /**
     * A data channel m-section as JSEP offers it (RFC 9429 section 5.2.1, RFC 8841):
     * {@code m=application 9 UDP/DTLS/SCTP webrtc-datachannel}, {@code c=IN IP4 0.0.0.0}, {@code a=mid},
     * {@code a=sctp-port} and {@code a=max-message-size}. ICE and DTLS attributes are for the caller to add.
     */
    public static MediaDescription dataChannel(String mid, int sctpPort, long maxMessageSize) {
        return builder(APPLICATION, DISCARD_PORT, PROTO_DTLS_SCTP, List.of(FORMAT_DATACHANNEL))
                .connection(Connection.JSEP_DEFAULT)
                .mid(mid)
                .sctpPort(sctpPort)
                .maxMessageSize(maxMessageSize)
                .build();
    }

    /**
     * A data channel m-section in the draft form ({@link SctpSdpForm#SCTPMAP}):
     * {@code m=application 9 DTLS/SCTP <sctpPort>}, {@code c=IN IP4 0.0.0.0}, {@code a=mid} (unless null) and
     * {@code a=sctpmap:<sctpPort> webrtc-datachannel <streams>}. ICE and DTLS attributes are for the caller to add.
     */
    public static MediaDescription dataChannelSctpmap(String mid, int sctpPort, int streams) {
        Builder b = builder(APPLICATION, DISCARD_PORT, PROTO_LEGACY_DTLS_SCTP, List.of(Integer.toString(sctpPort)))
                .connection(Connection.JSEP_DEFAULT);
        if (mid != null) {
            b.mid(mid);
        }
        return b.sctpMap(SctpMap.dataChannel(sctpPort, streams)).build();
    }

    /** A builder holding a copy of this m-section. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    // ---------------------------------------------------------------- raw attribute access

    /** The first attribute with this name. */
    public Optional<Attribute> attribute(String name) {
        return AttributeLists.first(attributes, name);
    }

    /** Every attribute with this name, in order. */
    public List<Attribute> attributes(String name) {
        return AttributeLists.all(attributes, name);
    }

    /** The value of the first attribute with this name (empty for a flag or when absent). */
    public Optional<String> attributeValue(String name) {
        return attribute(name).map(Attribute::value);
    }

    /** True if some attribute has this name. */
    public boolean hasAttribute(String name) {
        return attribute(name).isPresent();
    }

    // ---------------------------------------------------------------- kind

    /** True for {@code m=audio}. */
    public boolean isAudio() {
        return kind.equals(AUDIO);
    }

    /** True for {@code m=video}. */
    public boolean isVideo() {
        return kind.equals(VIDEO);
    }

    /** True for {@code m=application}. */
    public boolean isApplication() {
        return kind.equals(APPLICATION);
    }

    /**
     * True for an SCTP-over-DTLS data channel section in either SDP form (see {@link #sctpForm()}):
     * {@code application}, a proto ending in {@code SCTP}, and {@code webrtc-datachannel} as format or in the
     * {@code a=sctpmap} of the format.
     */
    public boolean isDataChannel() {
        return sctpForm().isPresent();
    }

    /** The SDP form of this data channel section, or empty when it is not one. */
    public Optional<SctpSdpForm> sctpForm() {
        return SctpSdpForm.of(this);
    }

    /** True if the port is 0 (RFC 3264 section 6), unless the section is {@code bundle-only}. */
    public boolean isRejected() {
        return port == 0 && !bundleOnly();
    }

    // ---------------------------------------------------------------- BUNDLE, ICE, DTLS, SCTP

    /** {@code a=mid} (RFC 5888 section 4). */
    public Optional<String> mid() {
        return attributeValue("mid");
    }

    /** {@code a=bundle-only} (RFC 9143 section 6). */
    public boolean bundleOnly() {
        return hasAttribute("bundle-only");
    }

    /** {@code a=ice-ufrag} of this section (RFC 8839 section 5.4). */
    public Optional<String> iceUfrag() {
        return attributeValue("ice-ufrag");
    }

    /** {@code a=ice-pwd} of this section (RFC 8839 section 5.4). */
    public Optional<String> icePwd() {
        return attributeValue("ice-pwd");
    }

    /** The tags of every {@code a=ice-options} line of this section (RFC 8839 section 5.6), e.g. {@code trickle}. */
    public List<String> iceOptions() {
        return iceOptionsOf(attributes);
    }

    static List<String> iceOptionsOf(List<Attribute> attributes) {
        List<String> out = new ArrayList<>();
        for (Attribute a : AttributeLists.all(attributes, "ice-options")) {
            out.addAll(Syntax.fields(a.value()));
        }
        return out;
    }

    /** {@code a=fingerprint} lines of this section (RFC 8122 section 5). */
    public List<FingerprintAttribute> fingerprints() {
        return fingerprintsOf(attributes);
    }

    static List<FingerprintAttribute> fingerprintsOf(List<Attribute> attributes) {
        return AttributeLists.parsed(attributes, FingerprintAttribute.NAME, FingerprintAttribute::parse);
    }

    /** {@code a=setup} of this section (RFC 4145 section 4). */
    public Optional<Setup> setup() {
        return setupOf(attributes);
    }

    static Optional<Setup> setupOf(List<Attribute> attributes) {
        return AttributeLists.firstParsed(attributes, Setup.NAME, Setup::parse);
    }

    /** {@code a=sctp-port} (RFC 8841 section 5.2). */
    public OptionalInt sctpPort() {
        return attributeValue("sctp-port").map(v -> OptionalInt.of((int) Syntax.unsigned(v, 65535)))
                .orElse(OptionalInt.empty());
    }

    /** The {@code a=sctpmap} of the draft form (whose number is the first format), if any. */
    public Optional<SctpMap> sctpMap() {
        return SctpSdpForm.sctpMapOf(this);
    }

    /**
     * The SCTP port of a data channel section in either form: {@code a=sctp-port}, else the port of
     * {@code a=sctpmap} in the draft form, else 5000 (RFC 8841 section 5.1).
     */
    public int sctpPortOrDefault() {
        OptionalInt p = sctpPort();
        if (p.isPresent()) {
            return p.getAsInt();
        }
        return sctpMap().map(SctpMap::number).orElse(DEFAULT_SCTP_PORT);
    }

    /** {@code a=max-message-size} (RFC 8841 section 6); 0 means "no limit". */
    public OptionalLong maxMessageSize() {
        return attributeValue("max-message-size").map(v -> OptionalLong.of(Syntax.unsigned(v, Long.MAX_VALUE)))
                .orElse(OptionalLong.empty());
    }

    /** {@code a=candidate} lines (RFC 8839 section 5.1), in order. */
    public List<Candidate> candidates() {
        return AttributeLists.parsed(attributes, Candidate.NAME, v -> Candidate.parseValue(v, v));
    }

    /** {@code a=end-of-candidates} (RFC 8840 section 8.2). */
    public boolean endOfCandidates() {
        return hasAttribute("end-of-candidates");
    }

    // ---------------------------------------------------------------- RTP

    /** {@code a=rtpmap} lines, in order. */
    public List<RtpMap> rtpMaps() {
        return AttributeLists.parsed(attributes, RtpMap.NAME, RtpMap::parse);
    }

    /** The {@code rtpmap} of one payload type. */
    public Optional<RtpMap> rtpMap(int payloadType) {
        for (RtpMap m : rtpMaps()) {
            if (m.payloadType() == payloadType) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** {@code a=fmtp} lines, in order. */
    public List<Fmtp> fmtps() {
        return AttributeLists.parsed(attributes, Fmtp.NAME, Fmtp::parse);
    }

    /** The first {@code fmtp} of one payload type. */
    public Optional<Fmtp> fmtp(int payloadType) {
        for (Fmtp f : fmtps()) {
            if (f.payloadType() == payloadType) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** {@code a=rtcp-fb} lines, in order. */
    public List<RtcpFb> rtcpFeedback() {
        return AttributeLists.parsed(attributes, RtcpFb.NAME, RtcpFb::parse);
    }

    /** The {@code rtcp-fb} lines that apply to a payload type (its own and the {@code *} ones). */
    public List<RtcpFb> rtcpFeedback(int payloadType) {
        List<RtcpFb> out = new ArrayList<>();
        for (RtcpFb fb : rtcpFeedback()) {
            if (fb.appliesTo(payloadType)) {
                out.add(fb);
            }
        }
        return out;
    }

    /** {@code a=extmap} lines (RFC 8285), in order. */
    public List<ExtMap> extMaps() {
        return AttributeLists.parsed(attributes, ExtMap.NAME, ExtMap::parse);
    }

    /** {@code a=ssrc} lines (RFC 5576), in order. */
    public List<Ssrc> ssrcs() {
        return AttributeLists.parsed(attributes, Ssrc.NAME, Ssrc::parse);
    }

    /** The distinct SSRCs that {@code a=ssrc} lines describe, in order of first appearance. */
    public List<Long> ssrcIds() {
        List<Long> out = new ArrayList<>();
        for (Ssrc s : ssrcs()) {
            if (!out.contains(s.ssrc())) {
                out.add(s.ssrc());
            }
        }
        return out;
    }

    /** The {@code cname} source attribute of an SSRC. */
    public Optional<String> cname(long ssrc) {
        for (Ssrc s : ssrcs()) {
            if (s.ssrc() == ssrc && s.attribute().equals("cname")) {
                return Optional.ofNullable(s.value());
            }
        }
        return Optional.empty();
    }

    /** {@code a=ssrc-group} lines (RFC 5576), in order. */
    public List<SsrcGroup> ssrcGroups() {
        return AttributeLists.parsed(attributes, SsrcGroup.NAME, SsrcGroup::parse);
    }

    /** {@code a=msid} lines (RFC 8830), in order. */
    public List<Msid> msids() {
        return AttributeLists.parsed(attributes, Msid.NAME, Msid::parse);
    }

    /** The first direction attribute, if any. */
    public Optional<Direction> explicitDirection() {
        for (Attribute a : attributes) {
            Direction d = Direction.fromAttributeName(a.name());
            if (d != null) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * The direction of this section, {@link Direction#SENDRECV} when it has no direction attribute (RFC 8866
     * section 6.7). A session-level direction attribute is the default for every section:
     * {@link SessionDescription#directionFor(MediaDescription)} takes it into account.
     */
    public Direction direction() {
        return explicitDirection().orElse(Direction.SENDRECV);
    }

    /** {@code a=rtcp-mux} (RFC 5761 section 5.1.1). */
    public boolean rtcpMux() {
        return hasAttribute("rtcp-mux");
    }

    /** {@code a=rtcp-rsize} (RFC 5506 section 5). */
    public boolean rtcpRsize() {
        return hasAttribute("rtcp-rsize");
    }

    /**
     * The payload types of the {@code m=} line, in preference order, each with its rtpmap (or RFC 3551
     * static assignment), fmtp parameters and applicable rtcp-fb. Formats that are not numbers, and
     * dynamic ones without an rtpmap, are left out.
     */
    public List<RtpCodec> codecs() {
        return RtpCodec.fromMediaLine(formats, rtpMaps(), fmtps(), rtcpFeedback());
    }

    /** The codec of one payload type, if the m= line lists it. */
    public Optional<RtpCodec> codec(int payloadType) {
        for (RtpCodec c : codecs()) {
            if (c.payloadType() == payloadType) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The payload types whose encoding name is {@code codecName} (case-insensitive), in preference order. */
    public List<Integer> payloadTypes(String codecName) {
        List<Integer> out = new ArrayList<>();
        for (RtpCodec c : codecs()) {
            if (c.matches(codecName)) {
                out.add(c.payloadType());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- copies

    /**
     * This m-section as an answer rejects it (RFC 9429 section 5.3.1, RFC 3264 section 6): port 0, same
     * media, proto and formats, the {@code c=} line kept, and only {@code a=mid} left of the attributes (a
     * rejected section has no transport, so no ICE, DTLS, candidate or codec lines). The caller also takes
     * the mid out of the answer's BUNDLE group (RFC 9143 section 7.3.3); {@link SessionDescription#rejectMedia(int)}
     * does both.
     */
    public MediaDescription rejected() {
        List<Attribute> keep = new ArrayList<>(1);
        for (Attribute a : attributes) {
            if (a.name().equals("mid")) {
                keep.add(a);
                break;
            }
        }
        return new MediaDescription(kind, 0, 0, proto, formats, null, connection, List.of(), null, keep);
    }

    /** A copy with another port. */
    public MediaDescription withPort(int newPort) {
        return new MediaDescription(kind, newPort, numberOfPorts, proto, formats, information, connection, bandwidths,
                key, attributes);
    }

    /** A copy with another {@code c=} line ({@code null} removes it). */
    public MediaDescription withConnection(Connection newConnection) {
        return new MediaDescription(kind, port, numberOfPorts, proto, formats, information, newConnection,
                bandwidths, key, attributes);
    }

    /** A copy with these attributes in place of the current ones. */
    public MediaDescription withAttributes(List<Attribute> newAttributes) {
        return new MediaDescription(kind, port, numberOfPorts, proto, formats, information, connection, bandwidths,
                key, newAttributes);
    }

    /** A copy with one attribute appended. */
    public MediaDescription withAttribute(Attribute attribute) {
        List<Attribute> out = new ArrayList<>(attributes);
        out.add(attribute);
        return withAttributes(out);
    }

    /** A copy with one typed attribute appended. */
    public MediaDescription withAttribute(TypedAttribute attribute) {
        return withAttribute(attribute.toAttribute());
    }

    /** A copy without any attribute of this name. */
    public MediaDescription withoutAttribute(String name) {
        return toBuilder().removeAttributes(name).build();
    }

    /** A copy whose direction attribute is {@code direction}, in place of any existing one. */
    public MediaDescription withDirection(Direction direction) {
        return toBuilder().direction(direction).build();
    }

    /** A copy with a candidate added after the last candidate (before {@code end-of-candidates}). */
    public MediaDescription withCandidate(Candidate candidate) {
        return toBuilder().addCandidate(candidate).build();
    }

    /** A copy with {@code a=end-of-candidates} (added once). */
    public MediaDescription withEndOfCandidates() {
        return endOfCandidates() ? this : withAttribute(Attribute.flag("end-of-candidates"));
    }

    // ---------------------------------------------------------------- text

    /** The m-section as SDP text, CRLF after every line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64 + attributes.size() * 40);
        appendTo(sb);
        return sb.toString();
    }

    void appendTo(StringBuilder sb) {
        sb.append("m=").append(kind).append(' ').append(port);
        if (numberOfPorts > 0) {
            sb.append('/').append(numberOfPorts);
        }
        sb.append(' ').append(proto);
        for (String f : formats) {
            sb.append(' ').append(f);
        }
        sb.append("\r\n");
        if (information != null) {
            sb.append("i=").append(information).append("\r\n");
        }
        if (connection != null) {
            sb.append("c=").append(connection).append("\r\n");
        }
        for (Bandwidth b : bandwidths) {
            sb.append("b=").append(b).append("\r\n");
        }
        if (key != null) {
            sb.append("k=").append(key).append("\r\n");
        }
        for (Attribute a : attributes) {
            a.appendTo(sb);
        }
    }

    /** A mutable builder of an m-section. Not thread-safe. */
    public static final class Builder {
        private String kind;
        private int port;
        private int numberOfPorts;
        private String proto;
        private List<String> formats;
        private String information;
        private Connection connection;
        private final List<Bandwidth> bandwidths = new ArrayList<>();
        private String key;
        private final List<Attribute> attributes = new ArrayList<>();

        private Builder(String kind, int port, String proto, List<String> formats) {
            this.kind = kind;
            this.port = port;
            this.proto = proto;
            this.formats = new ArrayList<>(formats);
        }

        private Builder(MediaDescription m) {
            this(m.kind, m.port, m.proto, m.formats);
            numberOfPorts = m.numberOfPorts;
            information = m.information;
            connection = m.connection;
            bandwidths.addAll(m.bandwidths);
            key = m.key;
            attributes.addAll(m.attributes);
        }

        public Builder kind(String value) {
            kind = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        /** The {@code /<number>} after the port; 0 for none. */
        public Builder numberOfPorts(int value) {
            numberOfPorts = value;
            return this;
        }

        public Builder proto(String value) {
            proto = value;
            return this;
        }

        public Builder formats(List<String> value) {
            formats = new ArrayList<>(value);
            return this;
        }

        public Builder information(String value) {
            information = value;
            return this;
        }

        public Builder connection(Connection value) {
            connection = value;
            return this;
        }

        public Builder addBandwidth(Bandwidth value) {
            bandwidths.add(value);
            return this;
        }

        public Builder key(String value) {
            key = value;
            return this;
        }

        /** Replaces every attribute. */
        public Builder attributes(List<Attribute> value) {
            attributes.clear();
            attributes.addAll(value);
            return this;
        }

        /** Appends an attribute. */
        public Builder addAttribute(Attribute value) {
            attributes.add(value);
            return this;
        }

        /** Appends a typed attribute. */
        public Builder addAttribute(TypedAttribute value) {
            return addAttribute(value.toAttribute());
        }

        /** Appends {@code a=name:value}. */
        public Builder addAttribute(String name, String value) {
            return addAttribute(new Attribute(name, value));
        }

        /** Appends the flag {@code a=name}. */
        public Builder addFlag(String name) {
            return addAttribute(Attribute.flag(name));
        }

        /** Removes every attribute with this name. */
        public Builder removeAttributes(String name) {
            attributes.removeIf(a -> a.name().equals(name));
            return this;
        }

        /** Sets the single attribute of this name: replaces the first in place, drops the others, or appends. */
        public Builder setAttribute(Attribute value) {
            int at = -1;
            for (int i = 0; i < attributes.size(); i++) {
                if (attributes.get(i).name().equals(value.name())) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                attributes.add(value);
                return this;
            }
            attributes.set(at, value);
            for (int i = attributes.size() - 1; i > at; i--) {
                if (attributes.get(i).name().equals(value.name())) {
                    attributes.remove(i);
                }
            }
            return this;
        }

        /** {@code a=mid}. */
        public Builder mid(String mid) {
            return setAttribute(Attribute.of("mid", mid));
        }

        /** {@code a=ice-ufrag} and {@code a=ice-pwd}. */
        public Builder iceCredentials(String ufrag, String pwd) {
            setAttribute(Attribute.of("ice-ufrag", ufrag));
            return setAttribute(Attribute.of("ice-pwd", pwd));
        }

        /** {@code a=ice-options} with these tags. */
        public Builder iceOptions(String... tags) {
            return setAttribute(Attribute.of("ice-options", String.join(" ", tags)));
        }

        /** Appends {@code a=fingerprint}. */
        public Builder fingerprint(FingerprintAttribute value) {
            return addAttribute(value);
        }

        /** {@code a=setup}. */
        public Builder setup(Setup value) {
            return setAttribute(value.toAttribute());
        }

        /** {@code a=sctp-port}. */
        public Builder sctpPort(int value) {
            return setAttribute(Attribute.of("sctp-port", Integer.toString(value)));
        }

        /** {@code a=sctpmap} (the draft form of data channel sections), replacing any other. */
        public Builder sctpMap(SctpMap value) {
            return setAttribute(value.toAttribute());
        }

        /** {@code a=max-message-size}. */
        public Builder maxMessageSize(long value) {
            return setAttribute(Attribute.of("max-message-size", Long.toString(value)));
        }

        /** {@code a=rtcp-mux}, once. */
        public Builder rtcpMux() {
            return setAttribute(Attribute.flag("rtcp-mux"));
        }

        /** Replaces any direction attribute with this one, in place of the first, or appends it. */
        public Builder direction(Direction value) {
            int at = -1;
            for (int i = attributes.size() - 1; i >= 0; i--) {
                if (Direction.fromAttributeName(attributes.get(i).name()) != null) {
                    attributes.remove(i);
                    at = i;
                }
            }
            Attribute d = value.toAttribute();
            if (at < 0) {
                attributes.add(d);
            } else {
                attributes.add(at, d);
            }
            return this;
        }

        /** Adds a candidate after the last candidate, or before {@code end-of-candidates}, or at the end. */
        public Builder addCandidate(Candidate candidate) {
            int at = -1;
            for (int i = 0; i < attributes.size(); i++) {
                if (attributes.get(i).name().equals(Candidate.NAME)) {
                    at = i + 1;
                }
            }
            if (at < 0) {
                for (int i = 0; i < attributes.size(); i++) {
                    if (attributes.get(i).name().equals("end-of-candidates")) {
                        at = i;
                        break;
                    }
                }
            }
            Attribute a = candidate.toAttribute();
            if (at < 0) {
                attributes.add(a);
            } else {
                attributes.add(at, a);
            }
            return this;
        }

        /** Appends {@code a=end-of-candidates} unless present. */
        public Builder endOfCandidates() {
            for (Attribute a : attributes) {
                if (a.name().equals("end-of-candidates")) {
                    return this;
                }
            }
            return addFlag("end-of-candidates");
        }

        /**
         * Builds the m-section.
         *
         * @throws InvalidSdpException if a field breaks the grammar
         */
        public MediaDescription build() {
            return new MediaDescription(kind, port, numberOfPorts, proto, formats, information, connection,
                    bandwidths, key, attributes);
        }
    }
}
