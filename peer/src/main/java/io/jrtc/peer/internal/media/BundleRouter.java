package io.jrtc.peer.internal.media;

import io.jrtc.srtp.rtp.RtpPacket;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BUNDLE routing (RFC 9143 section 9.2, RFC 8843): which transceiver and inbound stream a received RTP packet belongs
 * to. A remote SSRC seen for the first time is routed by the SSRC signalled in {@code a=ssrc}, else by the mid header
 * extension, else by a payload type only one transceiver uses; then it stays in a small table (at most
 * {@link MediaEngine#MAX_ROUTES} media and RTX SSRCs), looked up first at the last hit. Loop-confined.
 */
final class BundleRouter {

    private static final Logger LOG = LoggerFactory.getLogger(BundleRouter.class);

    private final String logId;
    private final List<Transceiver> transceivers;

    // Empty until the first route (a data-only connection has none: 152 B of idle heap), then 8, doubling.
    private static final long[] NO_SSRCS = {};
    private static final InboundStream[] NO_STREAMS = {};
    private static final boolean[] NO_FLAGS = {};

    private long[] routeSsrc = NO_SSRCS;
    private InboundStream[] routeStream = NO_STREAMS;
    private boolean[] routeRtx = NO_FLAGS;
    private int routes;
    private int lastRoute = -1;

    BundleRouter(String logId, List<Transceiver> transceivers) {
        this.logId = logId;
        this.transceivers = transceivers;
    }

    /** The route of a known SSRC, or -1. */
    int route(long ssrc) {
        int last = lastRoute;
        if (last >= 0 && routeSsrc[last] == ssrc) {
            return last;
        }
        for (int i = 0; i < routes; i++) {
            if (routeSsrc[i] == ssrc) {
                lastRoute = i;
                return i;
            }
        }
        return -1;
    }

    /** The stream of route {@code r} (the repaired stream for an RTX route). */
    InboundStream stream(int r) {
        return routeStream[r];
    }

    /** Whether route {@code r} carries RTX (RFC 4588). */
    boolean isRtx(int r) {
        return routeRtx[r];
    }

    /** Routes in the table. */
    int size() {
        return routes;
    }

    /** The media (not RTX) stream of a remote SSRC, or null. */
    InboundStream inbound(long ssrc) {
        int r = route(ssrc);
        return r >= 0 && !routeRtx[r] ? routeStream[r] : null;
    }

    /** Our sender with this SSRC, or null (the target of received feedback and report blocks). */
    Sender senderBySsrc(long ssrc) {
        for (Transceiver t : transceivers) {
            if (t.sender.ssrc() == ssrc) {
                return t.sender;
            }
        }
        return null;
    }

    /**
     * RFC 9143 section 9.2: routes an SSRC seen for the first time, in {@code view}, by a=ssrc, the mid extension, or
     * payload type. Returns the new route, or -1 when the packet fits no transceiver (or the table is full).
     */
    int resolve(long ssrc, int pt, RtpPacket view) {
        if (routes >= MediaEngine.MAX_ROUTES) {
            return -1;
        }
        Transceiver t = null;
        for (Transceiver x : transceivers) {
            Negotiated n = x.negotiated;
            if (n != null && n.remoteSsrcs().contains(ssrc)) {
                t = x;
                break;
            }
        }
        if (t == null) {
            t = byMidExtension(view);
        }
        if (t == null) {
            for (Transceiver x : transceivers) {
                if (x.negotiated != null && (x.receiveByPt[pt] != null || x.rtxApt[pt] >= 0)) {
                    if (t != null) {
                        return -1;
                    }
                    t = x;
                }
            }
        }
        if (t == null || t.negotiated == null) {
            return -1;
        }
        Negotiated n = t.negotiated;
        boolean rtx = t.rtxApt[pt] >= 0 || n.remoteRtxSsrcs().containsKey(ssrc);
        if (rtx) {
            Long primary = n.remoteRtxSsrcs().get(ssrc);
            InboundStream target = null;
            if (primary != null) {
                int pr = route(primary);
                target = pr >= 0 ? routeStream[pr] : null;
                if (target == null) {
                    target = newStream(primary, t);
                    if (target == null) {
                        return -1;
                    }
                }
            } else if (t.receiver.streams.size() == 1) {
                target = t.receiver.streams.get(0);
            }
            if (target == null) {
                return -1;
            }
            target.rtxSsrc = ssrc;
            return addRoute(ssrc, target, true);
        }
        InboundStream s = newStream(ssrc, t);
        return s == null ? -1 : route(ssrc);
    }

    private InboundStream newStream(long ssrc, Transceiver t) {
        if (routes >= MediaEngine.MAX_ROUTES) {
            return null;
        }
        InboundStream s = new InboundStream(ssrc, t, t.receiveClockRate());
        t.receiver.configure(s);
        t.receiver.streams.add(s);
        addRoute(ssrc, s, false);
        LOG.debug("{}: new inbound stream ssrc {} on mid {}", logId, ssrc, t.mid());
        return s;
    }

    private int addRoute(long ssrc, InboundStream s, boolean rtx) {
        if (routes == routeSsrc.length) {
            int capacity = Math.max(8, routes * 2);
            routeSsrc = Arrays.copyOf(routeSsrc, capacity);
            routeStream = Arrays.copyOf(routeStream, capacity);
            routeRtx = Arrays.copyOf(routeRtx, capacity);
        }
        routeSsrc[routes] = ssrc;
        routeStream[routes] = s;
        routeRtx[routes] = rtx;
        return routes++;
    }

    /** The transceiver named by the packet's mid header extension (RFC 8843 section 15.2), or null. */
    private Transceiver byMidExtension(RtpPacket view) {
        int id = 0;
        for (Transceiver t : transceivers) {
            Negotiated n = t.negotiated;
            if (n != null && n.midExtensionId() > 0) {
                id = n.midExtensionId();
                break;
            }
        }
        if (id == 0) {
            return null;
        }
        int at = view.extensionValueOffset(id);
        if (at < 0) {
            return null;
        }
        int n = view.extensionValueLength(id);
        byte[] b = view.buffer();
        for (Transceiver t : transceivers) {
            String mid = t.mid();
            if (mid != null && mid.length() == n && t.negotiated != null) {
                boolean same = true;
                for (int i = 0; i < n && same; i++) {
                    same = (b[at + i] & 0xFF) == mid.charAt(i);
                }
                if (same) {
                    return t;
                }
            }
        }
        return null;
    }
}
