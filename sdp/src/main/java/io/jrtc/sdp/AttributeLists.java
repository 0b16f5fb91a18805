package io.jrtc.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Look-ups by name over an attribute list, shared by the session level and the m-sections. */
final class AttributeLists {

    private AttributeLists() {
    }

    /** A parser of an attribute value that the {@link Attribute} constructor already validated. */
    interface ValueParser<T> {
        T parse(String value) throws SdpParseException;
    }

    /** The first attribute with this name. */
    static Optional<Attribute> first(List<Attribute> attributes, String name) {
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Every attribute with this name, in order. */
    static List<Attribute> all(List<Attribute> attributes, String name) {
        List<Attribute> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                out.add(a);
            }
        }
        return out;
    }

    /** The value of every attribute with this name, parsed, in order. */
    static <T> List<T> parsed(List<Attribute> attributes, String name, ValueParser<T> parser) {
        List<T> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                out.add(trusted(parser, a.value()));
            }
        }
        return out;
    }

    /** The value of the first attribute with this name, parsed. */
    static <T> Optional<T> firstParsed(List<Attribute> attributes, String name, ValueParser<T> parser) {
        return first(attributes, name).map(a -> trusted(parser, a.value()));
    }

    private static <T> T trusted(ValueParser<T> parser, String value) {
        try {
            return parser.parse(value);
        } catch (SdpParseException e) {
            // Attribute's constructor ran the same parser and accepted the value.
            throw new IllegalStateException("validated attribute failed to parse: " + e.getMessage(), e);
        }
    }
}
