package io.jrtc.ice.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses IP literals without ever touching DNS (a sans-IO core must not block on a lookup). */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** The address for an IPv4 or IPv6 literal, or null for anything else (host names, mDNS names, garbage). */
    public static InetAddress parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        String text = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (text.indexOf(':') >= 0) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean ok = Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%';
                if (!ok && text.indexOf('%') < 0) {
                    return null;
                }
            }
            try {
                // A string containing ':' is only ever treated as an IPv6 literal: no lookup happens.
                return InetAddress.getByName(text);
            } catch (UnknownHostException | SecurityException e) {
                return null;
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The textual form used in candidates: {@code getHostAddress()} without an IPv6 scope suffix. */
    public static String text(InetAddress a) {
        String s = a.getHostAddress();
        int pct = s.indexOf('%');
        return pct >= 0 ? s.substring(0, pct) : s;
    }

    /** True when both addresses are of the same family. */
    public static boolean sameFamily(InetSocketAddress a, InetSocketAddress b) {
        return a.getAddress().getClass() == b.getAddress().getClass();
    }
}
