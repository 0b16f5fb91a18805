package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ssrc-group} attribute of RFC 5576 section 4.2, such as {@code FID} (RFC 5576 section 7.2,
 * RTX) or {@code SIM}.
 *
 * <pre>
 * ssrc-group-attr = "ssrc-group:" semantics *(SP ssrc-id)
 *
 * semantics       = "FEC" / "FID" / token
 *   ; Matches RFC 3388 definition and
 *   ; IANA registration rules in this doc.
 * </pre>
 *
 * @param semantics the semantics token
 * @param ssrcs     the SSRCs, in order
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) implements TypedAttribute {

    /** The attribute name. */
    public static final String NAME = "ssrc-group";

    public SsrcGroup {
        ssrcs = List.copyOf(ssrcs);
        if (!Syntax.isToken(semantics)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "ssrc-group semantics \"" + semantics + "\"");
        }
        for (long s : ssrcs) {
            if (s < 0 || s > 0xFFFF_FFFFL) {
                throw new InvalidSdpException(ParseError.INVALID_VALUE, "ssrc-group ssrc " + s);
            }
        }
    }

    /**
     * Parses {@code <semantics> *(SP <ssrc>)}.
     *
     * @throws SdpParseException {@code INVALID_VALUE} for a bad semantics token or SSRC
     */
    public static SsrcGroup parse(String value) throws SdpParseException {
        List<String> f = Syntax.fields(value);
        if (!Syntax.isToken(f.get(0))) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "ssrc-group semantics", 0, value);
        }
        List<Long> ssrcs = new ArrayList<>(f.size() - 1);
        for (int i = 1; i < f.size(); i++) {
            long s = Syntax.unsigned(f.get(i), 0xFFFF_FFFFL);
            if (s < 0) {
                throw new SdpParseException(ParseError.INVALID_VALUE, "ssrc-group ssrc \"" + f.get(i) + "\"", 0, value);
            }
            ssrcs.add(s);
        }
        return InvalidSdpException.checked(() -> new SsrcGroup(f.get(0), ssrcs), value);
    }

    @Override
    public String attributeName() {
        return NAME;
    }

    @Override
    public String toAttributeValue() {
        StringBuilder sb = new StringBuilder(semantics);
        for (long s : ssrcs) {
            sb.append(' ').append(s);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toAttributeValue();
    }
}
