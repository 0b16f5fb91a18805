package io.jrtc.probe.internal;

import java.util.ArrayList;
import java.util.List;

/** Attribute values of a session description, for the ICE and DTLS scenarios. */
final class Sdps {

    private Sdps() {
    }

    /** Every value of {@code a=NAME:value} in {@code sdp} (empty when none, or no SDP). */
    static List<String> values(String sdp, String name) {
        List<String> out = new ArrayList<>();
        if (sdp == null) {
            return out;
        }
        String prefix = "a=" + name + ":";
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith(prefix)) {
                out.add(line.substring(prefix.length()).trim());
            }
        }
        return out;
    }

    /** The first value of {@code a=NAME:value}, or null. */
    static String value(String sdp, String name) {
        List<String> v = values(sdp, name);
        return v.isEmpty() ? null : v.get(0);
    }

    /** Whether {@code a=NAME} (a flag, no value) is present. */
    static boolean flag(String sdp, String name) {
        return sdp != null && sdp.lines().anyMatch(l -> l.trim().equals("a=" + name));
    }

    /** jrtc's own current description on this session. */
    static String local(Session s) {
        return s.pc.localDescription().map(d -> d.sdp()).orElse(null);
    }
}
