package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole session description (RFC 8866 section 5): an offer or an answer in JSEP terms (RFC 9429).
 *
 * <pre>
 * session-description = version-field
 *                       origin-field
 *                       session-name-field
 *                       [information-field]
 *                       [uri-field]
 *                       *email-field
 *                       *phone-field
 *                       [connection-field]
 *                       *bandwidth-field
 *                       1*time-description
 *                       [key-field]
 *                       *attribute-field
 *                       *media-description
 * </pre>
 *
 * <p>{@link #parse(String)} accepts CRLF or bare LF line ends and rejects anything the grammar forbids
 * with a checked {@link SdpParseException} naming the line. {@link #serialize()} (and {@link #toString()})
 * writes the canonical order {@code v o s i u e p c b t r z k a m} with CRLF after every line, so a
 * description that was written in that order with CRLF (every browser and stack we captured) comes back
 * byte for byte. LF-only input comes back with CRLF; that is the only normalisation.
 *
 * <p>The ordered attribute lists are the source of truth; typed accessors are views. Values JSEP allows at
 * session level or media level (ICE credentials and options, fingerprint, setup) have explicit
 * "effective value" methods ({@link #iceUfragFor(MediaDescription)} and friends) that prefer the media
 * level and fall back to the session level.
 *
 * <p>Immutable and thread-safe.
 *
 * @param version     always 0
 * @param origin      the {@code o=} line
 * @param sessionName the {@code s=} text ({@code -} in WebRTC)
 * @param information the {@code i=} text, or {@code null}
 * @param uri         the {@code u=} text, or {@code null}
 * @param emails      the {@code e=} lines
 * @param phones      the {@code p=} lines
 * @param connection  the session-level {@code c=} line, or {@code null}
 * @param bandwidths  the session-level {@code b=} lines
 * @param timings     the {@code t=} lines with their {@code r=} lines; at least one
 * @param timeZones   the {@code z=} text, or {@code null}
 * @param key         the (obsolete) {@code k=} text, or {@code null}
 * @param attributes  the session-level {@code a=} lines, in order
 * @param media       the m-sections, in order
 */
public record SessionDescription(int version, Origin origin, String sessionName, String information, String uri,
        List<String> emails, List<String> phones, Connection connection, List<Bandwidth> bandwidths,
        List<Timing> timings, String timeZones, String key, List<Attribute> attributes,
        List<MediaDescription> media) {

    private static final Logger LOG = LoggerFactory.getLogger(SessionDescription.class);

    public SessionDescription {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(sessionName, "sessionName");
        emails = List.copyOf(emails);
        phones = List.copyOf(phones);
        bandwidths = List.copyOf(bandwidths);
        timings = List.copyOf(timings);
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
        if (version != 0) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "only v=0 exists");
        }
        if (timings.isEmpty()) {
            throw new InvalidSdpException(ParseError.INVALID_TYPE, "a description needs at least one t= line");
        }
        checkText("s=", sessionName);
        checkText("i=", information);
        checkText("u=", uri);
        checkText("z=", timeZones);
        checkText("k=", key);
        for (String e : emails) {
            checkText("e=", e);
        }
        for (String p : phones) {
            checkText("p=", p);
        }
    }

    private static void checkText(String what, String value) {
        if (value != null && !Syntax.isText(value)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, what + " holds CR, LF or NUL");
        }
    }

    /**
     * Parses a session description.
     *
     * @param text the SDP, lines ended by CRLF or LF (a missing final line end is accepted, and so are blank
     *             lines at the very end)
     * @throws SdpParseException with the line number, the line and the {@link ParseError} if the text breaks
     *                           the RFC 8866 grammar or the grammar of an attribute this module understands
     */
    public static SessionDescription parse(String text) throws SdpParseException {
        Objects.requireNonNull(text, "text");
        try {
            return SdpReader.read(text);
        } catch (SdpParseException e) {
            LOG.debug("SDP rejected: {}", e.getMessage());
            throw e;
        }
    }

    /** A builder with JSEP defaults: {@code v=0}, this origin, {@code s=-}, {@code t=0 0}, nothing else. */
    public static Builder builder(Origin origin) {
        return new Builder(origin);
    }

    /** A builder holding a copy of this description. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The SDP text: canonical line order, CRLF after every line. */
    public String serialize() {
        int estimate = 128 + attributes.size() * 32;
        for (MediaDescription m : media) {
            estimate += 64 + m.attributes().size() * 48;
        }
        StringBuilder sb = new StringBuilder(estimate);
        sb.append("v=").append(version).append("\r\n");
        sb.append("o=").append(origin).append("\r\n");
        sb.append("s=").append(sessionName).append("\r\n");
        if (information != null) {
            sb.append("i=").append(information).append("\r\n");
        }
        if (uri != null) {
            sb.append("u=").append(uri).append("\r\n");
        }
        for (String e : emails) {
            sb.append("e=").append(e).append("\r\n");
        }
        for (String p : phones) {
            sb.append("p=").append(p).append("\r\n");
        }
        if (connection != null) {
            sb.append("c=").append(connection).append("\r\n");
        }
        for (Bandwidth b : bandwidths) {
            sb.append("b=").append(b).append("\r\n");
        }
        for (Timing t : timings) {
            sb.append("t=").append(t).append("\r\n");
            for (String r : t.repeats()) {
                sb.append("r=").append(r).append("\r\n");
            }
        }
        if (timeZones != null) {
            sb.append("z=").append(timeZones).append("\r\n");
        }
        if (key != null) {
            sb.append("k=").append(key).append("\r\n");
        }
        for (Attribute a : attributes) {
            a.appendTo(sb);
        }
        for (MediaDescription m : media) {
            m.appendTo(sb);
        }
        return sb.toString();
    }

    /** Same as {@link #serialize()}. */
    @Override
    public String toString() {
        return serialize();
    }

    // ---------------------------------------------------------------- session-level attributes

    /** The first session-level attribute with this name. */
    public Optional<Attribute> attribute(String name) {
        return AttributeLists.first(attributes, name);
    }

    /** Every session-level attribute with this name, in order. */
    public List<Attribute> attributes(String name) {
        return AttributeLists.all(attributes, name);
    }

    /** True if a session-level attribute has this name. */
    public boolean hasAttribute(String name) {
        return attribute(name).isPresent();
    }

    private Optional<String> value(String name) {
        return attribute(name).map(Attribute::value);
    }

    /** Every {@code a=group} (RFC 5888), in order. */
    public List<Group> groups() {
        return AttributeLists.parsed(attributes, Group.NAME, Group::parse);
    }

    /** The {@code BUNDLE} groups (RFC 9143), in order. */
    public List<Group> bundleGroups() {
        List<Group> out = new ArrayList<>(1);
        for (Group g : groups()) {
            if (g.isBundle()) {
                out.add(g);
            }
        }
        return out;
    }

    /** The BUNDLE group that lists this mid. */
    public Optional<Group> bundleGroupOf(String mid) {
        for (Group g : bundleGroups()) {
            if (g.contains(mid)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** {@code a=ice-lite} at session level (RFC 8839 section 5.3). */
    public boolean iceLite() {
        return hasAttribute("ice-lite");
    }

    /** {@code a=extmap-allow-mixed} at session level (RFC 8285 section 6). */
    public boolean extmapAllowMixed() {
        return hasAttribute("extmap-allow-mixed");
    }

    /** Session-level {@code a=ice-ufrag}. */
    public Optional<String> iceUfrag() {
        return value("ice-ufrag");
    }

    /** Session-level {@code a=ice-pwd}. */
    public Optional<String> icePwd() {
        return value("ice-pwd");
    }

    /** Session-level {@code a=ice-options} tags. */
    public List<String> iceOptions() {
        return MediaDescription.iceOptionsOf(attributes);
    }

    /** Session-level {@code a=fingerprint} lines. */
    public List<FingerprintAttribute> fingerprints() {
        return MediaDescription.fingerprintsOf(attributes);
    }

    /** Session-level {@code a=setup}. */
    public Optional<Setup> setup() {
        return MediaDescription.setupOf(attributes);
    }

    // ---------------------------------------------------------------- effective values (media, else session)

    /** The ICE ufrag that applies to an m-section: its own, else the session-level one (RFC 8839 section 5.4). */
    public Optional<String> iceUfragFor(MediaDescription m) {
        Optional<String> v = m.iceUfrag();
        return v.isPresent() ? v : iceUfrag();
    }

    /** The ICE password that applies to an m-section: its own, else the session-level one. */
    public Optional<String> icePwdFor(MediaDescription m) {
        Optional<String> v = m.icePwd();
        return v.isPresent() ? v : icePwd();
    }

    /** The ICE options that apply to an m-section: its own if it has any, else the session-level ones. */
    public List<String> iceOptionsFor(MediaDescription m) {
        List<String> v = m.iceOptions();
        return v.isEmpty() ? iceOptions() : v;
    }

    /** The fingerprints that apply to an m-section: its own if any, else the session-level ones (RFC 8122 section 5). */
    public List<FingerprintAttribute> fingerprintsFor(MediaDescription m) {
        List<FingerprintAttribute> v = m.fingerprints();
        return v.isEmpty() ? fingerprints() : v;
    }

    /** The setup role that applies to an m-section: its own, else the session-level one. */
    public Optional<Setup> setupFor(MediaDescription m) {
        Optional<Setup> v = m.setup();
        return v.isPresent() ? v : setup();
    }

    /**
     * The direction that applies to an m-section: its own direction attribute, else a session-level one,
     * else {@link Direction#SENDRECV} (RFC 8866 section 6.7).
     */
    public Direction directionFor(MediaDescription m) {
        Optional<Direction> own = m.explicitDirection();
        if (own.isPresent()) {
            return own.get();
        }
        for (Attribute a : attributes) {
            Direction d = Direction.fromAttributeName(a.name());
            if (d != null) {
                return d;
            }
        }
        return Direction.SENDRECV;
    }

    /** The {@code c=} line that applies to an m-section: its own, else the session-level one. */
    public Optional<Connection> connectionFor(MediaDescription m) {
        return Optional.ofNullable(m.connection() != null ? m.connection() : connection);
    }

    /** The m-section with this {@code a=mid}. */
    public Optional<MediaDescription> mediaByMid(String mid) {
        for (MediaDescription m : media) {
            if (m.mid().filter(mid::equals).isPresent()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- copies

    /** A copy with another origin. */
    public SessionDescription withOrigin(Origin newOrigin) {
        return new SessionDescription(version, newOrigin, sessionName, information, uri, emails, phones, connection,
                bandwidths, timings, timeZones, key, attributes, media);
    }

    /** A copy with these session-level attributes. */
    public SessionDescription withAttributes(List<Attribute> newAttributes) {
        return new SessionDescription(version, origin, sessionName, information, uri, emails, phones, connection,
                bandwidths, timings, timeZones, key, newAttributes, media);
    }

    /** A copy with these m-sections. */
    public SessionDescription withMedia(List<MediaDescription> newMedia) {
        return new SessionDescription(version, origin, sessionName, information, uri, emails, phones, connection,
                bandwidths, timings, timeZones, key, attributes, newMedia);
    }

    /** A copy with the m-section at {@code index} replaced. */
    public SessionDescription withMedia(int index, MediaDescription m) {
        List<MediaDescription> out = new ArrayList<>(media);
        out.set(index, m);
        return withMedia(out);
    }

    /**
     * A copy whose {@code a=group} lines are these groups: the first takes the place of the first existing
     * group line, the others follow it; without an existing group line they go first.
     */
    public SessionDescription withGroups(List<Group> groups) {
        List<Attribute> out = new ArrayList<>(attributes.size() + groups.size());
        int at = -1;
        for (Attribute a : attributes) {
            if (a.name().equals(Group.NAME)) {
                if (at < 0) {
                    at = out.size();
                }
            } else {
                out.add(a);
            }
        }
        List<Attribute> g = new ArrayList<>(groups.size());
        for (Group group : groups) {
            g.add(group.toAttribute());
        }
        out.addAll(at < 0 ? 0 : at, g);
        return withAttributes(out);
    }

    /**
     * A copy in which the m-section at {@code index} is rejected as an answer rejects it
     * ({@link MediaDescription#rejected()}) and its mid is taken out of every BUNDLE group (RFC 9143
     * section 7.3.3). A BUNDLE group left empty stays as {@code a=group:BUNDLE}.
     */
    public SessionDescription rejectMedia(int index) {
        MediaDescription m = media.get(index);
        SessionDescription out = withMedia(index, m.rejected());
        Optional<String> mid = m.mid();
        if (mid.isEmpty()) {
            return out;
        }
        List<Group> groups = new ArrayList<>();
        for (Group g : groups()) {
            groups.add(g.isBundle() ? g.without(mid.get()) : g);
        }
        return groups.isEmpty() ? out : out.withGroups(groups);
    }

    /** A copy with a candidate added to the m-section at {@code index} (for trickled remote candidates). */
    public SessionDescription withCandidate(int index, Candidate candidate) {
        return withMedia(index, media.get(index).withCandidate(candidate));
    }

    /** A copy with {@code a=end-of-candidates} on the m-section at {@code index}. */
    public SessionDescription withEndOfCandidates(int index) {
        return withMedia(index, media.get(index).withEndOfCandidates());
    }

    /** A mutable builder of a session description. Not thread-safe. */
    public static final class Builder {
        private Origin origin;
        private String sessionName = "-";
        private String information;
        private String uri;
        private final List<String> emails = new ArrayList<>();
        private final List<String> phones = new ArrayList<>();
        private Connection connection;
        private final List<Bandwidth> bandwidths = new ArrayList<>();
        private final List<Timing> timings = new ArrayList<>();
        private String timeZones;
        private String key;
        private final List<Attribute> attributes = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();

        private Builder(Origin origin) {
            this.origin = origin;
            timings.add(Timing.UNBOUNDED);
        }

        private Builder(SessionDescription s) {
            origin = s.origin;
            sessionName = s.sessionName;
            information = s.information;
            uri = s.uri;
            emails.addAll(s.emails);
            phones.addAll(s.phones);
            connection = s.connection;
            bandwidths.addAll(s.bandwidths);
            timings.addAll(s.timings);
            timeZones = s.timeZones;
            key = s.key;
            attributes.addAll(s.attributes);
            media.addAll(s.media);
        }

        public Builder origin(Origin value) {
            origin = value;
            return this;
        }

        public Builder sessionName(String value) {
            sessionName = value;
            return this;
        }

        public Builder information(String value) {
            information = value;
            return this;
        }

        public Builder uri(String value) {
            uri = value;
            return this;
        }

        public Builder addEmail(String value) {
            emails.add(value);
            return this;
        }

        public Builder addPhone(String value) {
            phones.add(value);
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

        /** Replaces the timing lines. */
        public Builder timings(List<Timing> value) {
            timings.clear();
            timings.addAll(value);
            return this;
        }

        public Builder timeZones(String value) {
            timeZones = value;
            return this;
        }

        public Builder key(String value) {
            key = value;
            return this;
        }

        /** Replaces the session-level attributes. */
        public Builder attributes(List<Attribute> value) {
            attributes.clear();
            attributes.addAll(value);
            return this;
        }

        /** Appends a session-level attribute. */
        public Builder addAttribute(Attribute value) {
            attributes.add(value);
            return this;
        }

        /** Appends a typed session-level attribute. */
        public Builder addAttribute(TypedAttribute value) {
            return addAttribute(value.toAttribute());
        }

        /** Appends a BUNDLE group of these mids. */
        public Builder bundle(List<String> mids) {
            return addAttribute(Group.bundle(mids));
        }

        /** Appends {@code a=ice-lite}. */
        public Builder iceLite() {
            return addAttribute(Attribute.flag("ice-lite"));
        }

        /** Replaces the m-sections. */
        public Builder media(List<MediaDescription> value) {
            media.clear();
            media.addAll(value);
            return this;
        }

        /** Appends an m-section. */
        public Builder addMedia(MediaDescription value) {
            media.add(value);
            return this;
        }

        /**
         * Builds the description.
         *
         * @throws InvalidSdpException if a field breaks the grammar
         */
        public SessionDescription build() {
            return new SessionDescription(0, origin, sessionName, information, uri, emails, phones, connection,
                    bandwidths, timings, timeZones, key, attributes, media);
        }
    }
}
