package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;

/**
 * The {@code extmap} attribute of RFC 8285 section 8: which RTP header extension an ID carries.
 *
 * <pre>
 *   a=extmap:&lt;value&gt;["/"&lt;direction&gt;] &lt;URI&gt; &lt;extensionattributes&gt;
 *
 *   extmap = mapentry SP extensionname [SP extensionattributes]
 *   extensionname = URI
 *   direction = "sendonly" / "recvonly" / "sendrecv" / "inactive"
 *   mapentry = "extmap:" 1*5DIGIT ["/" direction]
 *   extensionattributes = byte-string
 * </pre>
 *
 * <p>Example: {@code 4 urn:ietf:params:rtp-hdrext:sdes:mid}.
 *
 * @param id                  1-255 (one-byte IDs are 1-14), or 4096-4351 as RFC 8285 section 7 allows in offers
 * @param direction           the direction, or {@code null} when absent
 * @param uri                 the extension URI
 * @param extensionAttributes the extension attributes as written, or {@code null}
 */
public record ExtMap(int id, Direction direction, String uri, String extensionAttributes) implements TypedAttribute {

    /** The attribute name. */
    public static final String NAME = "extmap";

    public ExtMap {
        if (!validId(id)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "extmap id " + id);
        }
        if (!Syntax.isVisible(uri)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "extmap URI \"" + uri + "\"");
        }
        if (extensionAttributes != null && (extensionAttributes.isEmpty() || !Syntax.isText(extensionAttributes))) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "extmap extension attributes");
        }
    }

    /** An extmap without direction or attributes. */
    public static ExtMap of(int id, String uri) {
        return new ExtMap(id, null, uri, null);
    }

    private static boolean validId(long id) {
        return (id >= 1 && id <= 255) || (id >= 4096 && id <= 4351);
    }

    /**
     * Parses {@code <id>[/<direction>] <uri> [<attributes>]}.
     *
     * @throws SdpParseException {@code INVALID_LENGTH} without a URI, {@code INVALID_VALUE} for a bad id or
     *                           direction
     */
    public static ExtMap parse(String value) throws SdpParseException {
        int sp1 = value.indexOf(' ');
        if (sp1 < 0) {
            throw new SdpParseException(ParseError.INVALID_LENGTH, "extmap needs <id> <uri>", 0, value);
        }
        String entry = value.substring(0, sp1);
        int slash = entry.indexOf('/');
        long id = Syntax.unsigned(slash < 0 ? entry : entry.substring(0, slash), 65535);
        if (!validId(id)) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "extmap id must be 1-255 or 4096-4351", 0, value);
        }
        Direction dir = null;
        if (slash >= 0) {
            dir = Direction.fromAttributeName(entry.substring(slash + 1));
            if (dir == null) {
                throw new SdpParseException(ParseError.INVALID_VALUE, "extmap direction", 0, value);
            }
        }
        int sp2 = value.indexOf(' ', sp1 + 1);
        String uri = sp2 < 0 ? value.substring(sp1 + 1) : value.substring(sp1 + 1, sp2);
        String attrs = sp2 < 0 ? null : value.substring(sp2 + 1);
        if (!Syntax.isVisible(uri)) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "extmap URI", 0, value);
        }
        if (attrs != null && attrs.isEmpty()) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "extmap extension attributes are empty", 0, value);
        }
        Direction direction = dir;
        return InvalidSdpException.checked(() -> new ExtMap((int) id, direction, uri, attrs), value);
    }

    @Override
    public String attributeName() {
        return NAME;
    }

    @Override
    public String toAttributeValue() {
        StringBuilder sb = new StringBuilder().append(id);
        if (direction != null) {
            sb.append('/').append(direction.sdpName());
        }
        sb.append(' ').append(uri);
        if (extensionAttributes != null) {
            sb.append(' ').append(extensionAttributes);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toAttributeValue();
    }
}
