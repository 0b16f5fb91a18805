package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;
import java.util.ArrayList;
import java.util.List;

/**
 * The line-by-line parser behind {@link SessionDescription#parse(String)}: a small state machine over the
 * line order of RFC 8866 section 5. Package-private; not part of the API.
 */
final class SdpReader {

    /** Session-level line types in the order RFC 8866 section 5 requires; t and r share a rank. */
    private static final String SESSION_ORDER = "vosiuepcbtzkam";
    /** Media-level line types in order. */
    private static final String MEDIA_ORDER = "micbka";

    private final String text;
    private int pos;
    private int lineNo;
    private String line;

    // session fields
    private Origin origin;
    private String sessionName;
    private String information;
    private String uri;
    private final List<String> emails = new ArrayList<>(0);
    private final List<String> phones = new ArrayList<>(0);
    private Connection connection;
    private final List<Bandwidth> bandwidths = new ArrayList<>(0);
    private final List<Timing> timings = new ArrayList<>(1);
    private String zone;
    private String key;
    private final List<Attribute> attributes = new ArrayList<>();
    private final List<MediaDescription> media = new ArrayList<>(4);

    // the m-section being read
    private MediaLine mline;
    private int mlineNo;
    private String mlineText;
    private String mInformation;
    private Connection mConnection;
    private List<Bandwidth> mBandwidths;
    private String mKey;
    private List<Attribute> mAttributes;

    private SdpReader(String text) {
        this.text = text;
    }

    static SessionDescription read(String text) throws SdpParseException {
        return new SdpReader(text).run();
    }

    private record MediaLine(String kind, int port, int numberOfPorts, String proto, List<String> formats) {
    }

    private SdpParseException fail(ParseError error, String reason) {
        return new SdpParseException(error, reason, lineNo, line);
    }

    private SessionDescription run() throws SdpParseException {
        if (text.isEmpty()) {
            throw new SdpParseException(ParseError.INVALID_LENGTH, "empty description");
        }
        char last = 0;
        int rank = -1;
        boolean inMedia = false;
        while (nextLine()) {
            if (line.isEmpty()) {
                if (onlyLineBreaksFrom(pos)) {
                    break;
                }
                throw fail(ParseError.INVALID_VALUE, "empty line");
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw fail(ParseError.INVALID_VALUE, "not a <type>=<value> line");
            }
            String value = line.substring(2);
            if (!Syntax.isText(value)) {
                throw fail(ParseError.INVALID_VALUE, "CR or NUL inside a line");
            }
            char type = line.charAt(0);
            if (lineNo == 1 && type != 'v') {
                throw fail(ParseError.INVALID_TYPE, "a description starts with v=");
            }
            if (type == 'm') {
                requireSessionHeader();
                finishMedia();
                startMedia(value);
                inMedia = true;
                last = 'm';
                rank = 0;
                continue;
            }
            if (inMedia) {
                int r = MEDIA_ORDER.indexOf(type);
                if (r < 0) {
                    throw fail(ParseError.INVALID_TYPE, type + "= is not allowed in a media description");
                }
                if (r < rank || (r == rank && type != 'b' && type != 'a')) {
                    throw fail(ParseError.INVALID_TYPE, type + "= out of order or repeated in a media description");
                }
                rank = r;
                last = type;
                mediaLine(type, value);
                continue;
            }
            int r = type == 'r' ? SESSION_ORDER.indexOf('t') : SESSION_ORDER.indexOf(type);
            if (r < 0) {
                throw fail(ParseError.INVALID_TYPE, "unknown line type " + type + "=");
            }
            if (type == 'r' && last != 't' && last != 'r') {
                throw fail(ParseError.INVALID_TYPE, "r= must follow t= or r=");
            }
            boolean repeatable = type == 'e' || type == 'p' || type == 'b' || type == 't' || type == 'r' || type == 'a';
            if (r < rank || (r == rank && !repeatable)) {
                throw fail(ParseError.INVALID_TYPE, type + "= out of order or repeated");
            }
            if (r > SESSION_ORDER.indexOf('v') && type != 'o' && origin == null) {
                throw fail(ParseError.INVALID_TYPE, "missing o=");
            }
            if (r > SESSION_ORDER.indexOf('o') && type != 's' && sessionName == null) {
                throw fail(ParseError.INVALID_TYPE, "missing s=");
            }
            if (r > SESSION_ORDER.indexOf('t') && timings.isEmpty()) {
                throw fail(ParseError.INVALID_TYPE, "missing t=");
            }
            rank = r;
            last = type;
            sessionLine(type, value);
        }
        requireSessionHeader();
        finishMedia();
        try {
            return new SessionDescription(0, origin, sessionName, information, uri, emails, phones, connection,
                    bandwidths, timings, zone, key, attributes, media);
        } catch (InvalidSdpException e) {
            throw e.toParseException().at(lineNo, null);
        }
    }

    private void requireSessionHeader() throws SdpParseException {
        if (origin == null) {
            throw fail(ParseError.INVALID_TYPE, "missing o=");
        }
        if (sessionName == null) {
            throw fail(ParseError.INVALID_TYPE, "missing s=");
        }
        if (timings.isEmpty()) {
            throw fail(ParseError.INVALID_TYPE, "missing t=");
        }
    }

    /** Reads the next line into {@link #line}, without its LF or CRLF; false at the end. */
    private boolean nextLine() {
        if (pos >= text.length()) {
            return false;
        }
        int nl = text.indexOf('\n', pos);
        int end = nl < 0 ? text.length() : nl;
        int next = nl < 0 ? text.length() : nl + 1;
        if (end > pos && text.charAt(end - 1) == '\r') {
            end--;
        }
        line = text.substring(pos, end);
        pos = next;
        lineNo++;
        return true;
    }

    private boolean onlyLineBreaksFrom(int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\r' && c != '\n') {
                return false;
            }
        }
        return true;
    }

    private void sessionLine(char type, String value) throws SdpParseException {
        try {
            switch (type) {
                case 'v' -> {
                    if (!value.equals("0")) {
                        throw fail(ParseError.INVALID_VALUE, "only v=0 exists");
                    }
                }
                case 'o' -> origin = Origin.parse(value);
                case 's' -> sessionName = value;
                case 'i' -> information = value;
                case 'u' -> uri = value;
                case 'e' -> emails.add(value);
                case 'p' -> phones.add(value);
                case 'c' -> connection = Connection.parse(value);
                case 'b' -> bandwidths.add(Bandwidth.parse(value));
                case 't' -> timings.add(Timing.parse(value));
                case 'r' -> {
                    if (value.isEmpty()) {
                        throw fail(ParseError.INVALID_LENGTH, "empty r=");
                    }
                    int lastIndex = timings.size() - 1;
                    timings.set(lastIndex, timings.get(lastIndex).withRepeat(value));
                }
                case 'z' -> zone = value;
                case 'k' -> key = value;
                case 'a' -> attributes.add(Attribute.parse(value));
                default -> throw fail(ParseError.INVALID_TYPE, "unknown line type " + type + "=");
            }
        } catch (SdpParseException e) {
            throw e.lineNumber() > 0 ? e : e.at(lineNo, line);
        }
    }

    private void startMedia(String value) throws SdpParseException {
        List<String> f = Syntax.fields(value);
        if (f.size() < 4) {
            throw fail(ParseError.INVALID_LENGTH, "m= needs <media> <port> <proto> <fmt>...");
        }
        if (!Syntax.noEmpty(f)) {
            throw fail(ParseError.INVALID_VALUE, "m= has an empty field");
        }
        String portText = f.get(1);
        int slash = portText.indexOf('/');
        long port = Syntax.unsigned(slash < 0 ? portText : portText.substring(0, slash), 65535);
        if (port < 0) {
            throw fail(ParseError.INVALID_VALUE, "m= port must be 0-65535");
        }
        long count = 0;
        if (slash >= 0) {
            count = Syntax.unsigned(portText.substring(slash + 1), 65535);
            if (count < 1) {
                throw fail(ParseError.INVALID_VALUE, "m= number of ports must be 1-65535");
            }
        }
        List<String> formats = f.subList(3, f.size());
        String bad = Syntax.checkMediaLine(f.get(0), (int) port, (int) count, f.get(2), formats);
        if (bad != null) {
            throw fail(ParseError.INVALID_VALUE, "m= " + bad);
        }
        mline = new MediaLine(f.get(0), (int) port, (int) count, f.get(2), List.copyOf(formats));
        mlineNo = lineNo;
        mlineText = line;
        mInformation = null;
        mConnection = null;
        mBandwidths = new ArrayList<>(0);
        mKey = null;
        mAttributes = new ArrayList<>();
    }

    private void mediaLine(char type, String value) throws SdpParseException {
        try {
            switch (type) {
                case 'i' -> mInformation = value;
                case 'c' -> mConnection = Connection.parse(value);
                case 'b' -> mBandwidths.add(Bandwidth.parse(value));
                case 'k' -> mKey = value;
                case 'a' -> mAttributes.add(Attribute.parse(value));
                default -> throw fail(ParseError.INVALID_TYPE, type + "= is not allowed in a media description");
            }
        } catch (SdpParseException e) {
            throw e.lineNumber() > 0 ? e : e.at(lineNo, line);
        }
    }

    private void finishMedia() throws SdpParseException {
        if (mline == null) {
            return;
        }
        try {
            media.add(new MediaDescription(mline.kind(), mline.port(), mline.numberOfPorts(), mline.proto(),
                    mline.formats(), mInformation, mConnection, mBandwidths, mKey, mAttributes));
        } catch (InvalidSdpException e) {
            throw e.toParseException().at(mlineNo, mlineText);
        }
        mline = null;
    }
}
