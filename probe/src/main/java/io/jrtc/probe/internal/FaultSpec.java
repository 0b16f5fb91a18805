package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap.Direction;
import java.util.Locale;

/**
 * Parses the command line's fault syntax ({@code jrtc probe --fault SPEC}) into a {@link Fault}:
 *
 * <pre>
 *   SPEC   = ACTION ":" CHUNK *( ":" OPTION )
 *   ACTION = "drop" | "duplicate" | "delay"
 *   CHUNK  = a chunk type name (DATA, INIT, INIT_ACK, SACK, HEARTBEAT, HEARTBEAT_ACK, ABORT, SHUTDOWN, SHUTDOWN_ACK,
 *            ERROR, COOKIE_ECHO, COOKIE_ACK, SHUTDOWN_COMPLETE, RE_CONFIG, FORWARD_TSN), a type number, or "any"
 *          | a datagram kind ({@link Wire.Kind}: DTLS_CLIENT_HELLO, DTLS_SERVER_HELLO, DTLS_CERTIFICATE, ...,
 *            DTLS_FINISHED, DTLS_CHANGE_CIPHER_SPEC, DTLS_ALERT, DTLS_APPLICATION_DATA, DTLS, STUN_BINDING_REQUEST,
 *            STUN_BINDING_SUCCESS, STUN_BINDING_ERROR, STUN_BINDING_INDICATION, STUN, SRTP): the fault then acts on
 *            the UDP datagrams that carry one
 *   OPTION = "first"      act on the first such packet only (the default)
 *          | "nth=" N     act on the N-th such packet (1-based)
 *          | "every=" K   act on every K-th such packet (from the K-th, or from the N-th with nth=N)
 *          | "ms=" MS     how long a delay holds the packet (required with delay)
 *          | "in" | "out" the target's packets or jrtc's own (default out)
 * </pre>
 *
 * {@code drop:COOKIE_ECHO:first} drops jrtc's first COOKIE ECHO, {@code drop:DATA:every=10:in} every 10th DATA
 * packet of the target's, {@code delay:DATA:ms=200} delays jrtc's first DATA packet by 200 ms,
 * {@code delay:DTLS_FINISHED:ms=2000} jrtc's first datagram with a DTLS Finished by 2 s,
 * {@code drop:STUN_BINDING_REQUEST:every=1:in} every STUN Binding request of the target's.
 */
public final class FaultSpec {

    private FaultSpec() {
    }

    /** The fault {@code spec} describes; an {@link IllegalArgumentException} says what is wrong with it. */
    public static Fault parse(String spec) {
        String[] parts = spec.trim().split(":");
        if (parts.length < 2) {
            throw new IllegalArgumentException("fault '" + spec + "': ACTION:CHUNK[:OPTION...], e.g. drop:COOKIE_ECHO:first");
        }
        String action = parts[0].toLowerCase(Locale.ROOT);
        Wire.Kind wire = Wire.Kind.named(parts[1]);
        int type = wire != null ? -1 : chunkType(parts[1], spec);
        Direction dir = Direction.OUTBOUND;
        Integer nth = null;
        int every = 0;
        long ms = -1;
        for (int i = 2; i < parts.length; i++) {
            String o = parts[i].toLowerCase(Locale.ROOT);
            if (o.equals("first")) {
                nth = 1;
            } else if (o.equals("in") || o.equals("out")) {
                dir = o.equals("in") ? Direction.INBOUND : Direction.OUTBOUND;
            } else if (o.startsWith("nth=")) {
                nth = positive(o.substring(4), "nth", spec);
            } else if (o.startsWith("every=")) {
                every = positive(o.substring(6), "every", spec);
            } else if (o.startsWith("ms=")) {
                ms = positive(o.substring(3), "ms", spec);
            } else {
                throw new IllegalArgumentException("fault '" + spec + "': unknown option '" + parts[i]
                        + "' (first, nth=N, every=K, ms=MS, in, out)");
            }
        }
        int first = nth != null ? nth : every > 0 ? every : 1;
        if (wire != null) {
            Fault.Action a = switch (action) {
                case "drop" -> Fault.Action.DROP;
                case "duplicate" -> Fault.Action.DUPLICATE;
                case "delay" -> Fault.Action.DELAY;
                default -> throw new IllegalArgumentException("fault '" + spec + "': the action is drop, duplicate or delay");
            };
            if (a == Fault.Action.DELAY && ms < 0) {
                throw new IllegalArgumentException("fault '" + spec + "': delay needs ms=MS");
            } else if (a != Fault.Action.DELAY) {
                noDelay(ms, spec);
            }
            return Fault.onWire(a, dir, wire, first, every, Math.max(ms, 0));
        }
        return switch (action) {
            case "drop" -> {
                noDelay(ms, spec);
                yield Fault.drop(dir, type, first, every);
            }
            case "duplicate" -> {
                noDelay(ms, spec);
                yield Fault.duplicate(dir, type, first, every);
            }
            case "delay" -> {
                if (ms < 0) {
                    throw new IllegalArgumentException("fault '" + spec + "': delay needs ms=MS");
                }
                yield Fault.delay(dir, type, first, every, ms);
            }
            default -> throw new IllegalArgumentException("fault '" + spec + "': the action is drop, duplicate or delay");
        };
    }

    private static void noDelay(long ms, String spec) {
        if (ms >= 0) {
            throw new IllegalArgumentException("fault '" + spec + "': ms= only goes with delay");
        }
    }

    private static int positive(String v, String what, String spec) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("fault '" + spec + "': " + what + " must be a positive integer, not '" + v + "'");
    }

    private static int chunkType(String name, String spec) {
        String n = name.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        if (n.equals("ANY")) {
            return -1;
        }
        for (int t = 0; t < 256; t++) {
            if (Fault.chunkName(t).equals(n)) {
                return t;
            }
        }
        try {
            int t = Integer.parseInt(name);
            if (t >= 0 && t <= 255) {
                return t;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("fault '" + spec + "': unknown chunk type '" + name + "' (nor a datagram kind: DTLS_FINISHED, STUN_BINDING_REQUEST, ...)");
    }
}
