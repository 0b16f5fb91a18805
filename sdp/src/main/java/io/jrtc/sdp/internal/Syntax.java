package io.jrtc.sdp.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Lexical helpers for the SDP grammar of RFC 8866 section 9. None of them throws: they answer
 * {@code false} or {@code -1} and the caller turns that into a specific {@code ParseError}.
 */
public final class Syntax {

    private Syntax() {
    }

    /**
     * Parses an unsigned decimal number made only of ASCII digits, at most {@code max}.
     *
     * @return the value, or {@code -1} when the text is empty, holds anything but digits, or exceeds
     *         {@code max} (which must be non-negative)
     */
    public static long unsigned(String s, long max) {
        int n = s.length();
        if (n == 0 || n > 19) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
            if (v < 0 || v > max) {
                return -1;
            }
        }
        return v;
    }

    /** RFC 8866 section 9: {@code token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E}. */
    public static boolean isTokenChar(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D || c == 0x2E
                || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);
    }

    /** A non-empty RFC 8866 {@code token}. */
    public static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** RFC 8839 section 5.1: {@code ice-char = ALPHA / DIGIT / "+" / "/"}, between min and max of them. */
    public static boolean isIceChars(String s, int min, int max) {
        if (s == null || s.length() < min || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+'
                    || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** RFC 8866 {@code byte-string} / {@code text}: anything but NUL, CR and LF (may be empty). */
    public static boolean isText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }

    /** A non-empty run of visible characters: no whitespace, no controls. */
    public static boolean isVisible(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /**
     * Splits on every single space. Two spaces in a row give an empty field, which callers reject, so
     * that every accepted value serialises back to the same text.
     */
    public static List<String> fields(String s) {
        List<String> out = new ArrayList<>(8);
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ') {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    /** True if no field is empty (no leading, trailing or doubled spaces). */
    public static boolean noEmpty(List<String> fields) {
        for (String f : fields) {
            if (f.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 8839 {@code connection-address}: an IPv4 or IPv6 literal, or a fully qualified domain name
     * (which is how mDNS {@code .local} host candidates of RFC 8839 / draft-ietf-mmusic-mdns-ice-candidates
     * appear). Purely syntactic: nothing is ever resolved.
     */
    public static boolean isAddress(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) {
            return false;
        }
        if (s.indexOf(':') >= 0) {
            return isIpv6(s);
        }
        if (looksNumeric(s)) {
            return isIpv4(s);
        }
        return isFqdn(s);
    }

    private static boolean looksNumeric(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == '.' || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /** Dotted quad, each part 0-255 without a sign. */
    public static boolean isIpv4(String s) {
        int parts = 0;
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                String p = s.substring(start, i);
                if (p.isEmpty() || p.length() > 3 || unsigned(p, 255) < 0) {
                    return false;
                }
                parts++;
                start = i + 1;
            }
        }
        return parts == 4;
    }

    /** RFC 4291 section 2.2 text forms, including {@code ::} compression and a trailing dotted quad. */
    public static boolean isIpv6(String s) {
        int zone = s.indexOf('%');
        if (zone >= 0) {
            if (zone == s.length() - 1) {
                return false;
            }
            s = s.substring(0, zone);
        }
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            return false;
        }
        String head = dc >= 0 ? s.substring(0, dc) : s;
        String tail = dc >= 0 ? s.substring(dc + 2) : "";
        int groups = 0;
        String[] all = new String[] {head, tail};
        for (int part = 0; part < 2; part++) {
            String p = all[part];
            if (p.isEmpty()) {
                continue;
            }
            String[] gs = p.split(":", -1);
            for (int g = 0; g < gs.length; g++) {
                String grp = gs[g];
                boolean last = g == gs.length - 1 && (part == 1 || dc < 0);
                if (last && grp.indexOf('.') >= 0) {
                    if (!isIpv4(grp)) {
                        return false;
                    }
                    groups += 2;
                    continue;
                }
                if (grp.isEmpty() || grp.length() > 4) {
                    return false;
                }
                for (int i = 0; i < grp.length(); i++) {
                    if (Character.digit(grp.charAt(i), 16) < 0) {
                        return false;
                    }
                }
                groups++;
            }
        }
        return dc >= 0 ? groups <= 7 : groups == 8;
    }

    /** Labels of letters, digits, '-' and '_' (1-63 each), dot-separated, optional trailing dot. */
    public static boolean isFqdn(String s) {
        String name = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (name.isEmpty()) {
            return false;
        }
        int start = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.') {
                int len = i - start;
                if (len < 1 || len > 63) {
                    return false;
                }
                start = i + 1;
                continue;
            }
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Checks the fields of an m= line; returns what is wrong, or {@code null}. */
    public static String checkMediaLine(String kind, int port, int numberOfPorts, String proto, List<String> formats) {
        if (!isToken(kind)) {
            return "media \"" + kind + "\" is not a token";
        }
        if (port < 0 || port > 65535) {
            return "port " + port;
        }
        if (numberOfPorts < 0) {
            return "number of ports " + numberOfPorts;
        }
        if (!isProto(proto)) {
            return "proto \"" + proto + "\"";
        }
        if (formats.isEmpty()) {
            return "no format";
        }
        for (String f : formats) {
            if (!isToken(f)) {
                return "format \"" + f + "\" is not a token";
            }
        }
        return null;
    }

    /** {@code proto = token *("/" token)} (RFC 8866 section 9). */
    public static boolean isProto(String proto) {
        int start = 0;
        for (int i = 0; i <= proto.length(); i++) {
            if (i == proto.length() || proto.charAt(i) == '/') {
                if (!isToken(proto.substring(start, i))) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }
}
