package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code group} attribute (RFC 5888 section 5), such as the {@code BUNDLE} group of RFC 9143
 * section 7.1.
 *
 * <pre>
 * group-attribute     = "a=group:" semantics
 *                       *(SP identification-tag)
 * semantics           = "LS" / "FID" / semantics-extension
 * semantics-extension = token
 * identification-tag  = token
 * </pre>
 *
 * @param semantics the semantics token, e.g. {@code BUNDLE}
 * @param mids      the identification tags ({@code a=mid} values), in order; may be empty
 */
public record Group(String semantics, List<String> mids) implements TypedAttribute {

    /** The attribute name. */
    public static final String NAME = "group";
    /** The semantics of RFC 9143. */
    public static final String BUNDLE = "BUNDLE";

    public Group {
        mids = List.copyOf(mids);
        if (!Syntax.isToken(semantics)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "group semantics \"" + semantics + "\"");
        }
        for (String m : mids) {
            if (!Syntax.isToken(m)) {
                throw new InvalidSdpException(ParseError.INVALID_VALUE, "group identification-tag \"" + m + "\"");
            }
        }
    }

    /** A BUNDLE group of these mids. */
    public static Group bundle(List<String> mids) {
        return new Group(BUNDLE, mids);
    }

    /**
     * Parses {@code <semantics> *(SP <mid>)}.
     *
     * @throws SdpParseException {@code INVALID_VALUE} for an empty or non-token field
     */
    public static Group parse(String value) throws SdpParseException {
        List<String> f = Syntax.fields(value);
        for (String s : f) {
            if (!Syntax.isToken(s)) {
                throw new SdpParseException(ParseError.INVALID_VALUE, "group field \"" + s + "\" is not a token", 0,
                        value);
            }
        }
        return InvalidSdpException.checked(() -> new Group(f.get(0), f.subList(1, f.size())), value);
    }

    /** True for {@code BUNDLE} semantics (case-insensitive, as RFC 5888 tokens are compared). */
    public boolean isBundle() {
        return semantics.equalsIgnoreCase(BUNDLE);
    }

    /** True if the group lists this mid. */
    public boolean contains(String mid) {
        return mids.contains(mid);
    }

    /** The first mid: for BUNDLE, the offerer's tagged m-section (RFC 9143 section 7.2.1). */
    public String tag() {
        return mids.isEmpty() ? null : mids.get(0);
    }

    /** A copy without this mid. */
    public Group without(String mid) {
        List<String> out = new ArrayList<>(mids);
        out.remove(mid);
        return new Group(semantics, out);
    }

    /** A copy with this mid appended (if absent). */
    public Group with(String mid) {
        if (mids.contains(mid)) {
            return this;
        }
        List<String> out = new ArrayList<>(mids);
        out.add(mid);
        return new Group(semantics, out);
    }

    @Override
    public String attributeName() {
        return NAME;
    }

    @Override
    public String toAttributeValue() {
        return mids.isEmpty() ? semantics : semantics + ' ' + String.join(" ", mids);
    }

    @Override
    public String toString() {
        return toAttributeValue();
    }
}
