package io.jrtc.mesh.internal.edge;

import io.jrtc.common.DatagramCore;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.DropReason;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.MeshMessage;
import io.jrtc.mesh.OverlayEvent;
import io.jrtc.mesh.Transmit;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves what a {@link MeshEdge}'s {@link io.jrtc.mesh.OverlayCore} queued out: its transmits onto the links' data
 * channels, its events to the application, the audit log and the edge's parts, and then re-arms the one timer that
 * serves the core and the link supervisor. Agent loop only (every method, the timer's task too).
 */
final class CoreOutput {

    private static final Logger LOG = LoggerFactory.getLogger(CoreOutput.class);

    private final MeshEdge edge;
    private ScheduledFuture<?> timer;
    private long timerDeadline = DatagramCore.NO_TIMEOUT;

    CoreOutput(MeshEdge edge) {
        this.edge = edge;
    }

    /** Executes everything the core asked for, until it has nothing more, then re-arms the timer. */
    void drain() {
        while (true) {
            Transmit t;
            boolean any = false;
            while ((t = edge.core.nextTransmit()) != null) {
                any = true;
                transmit(t);
            }
            OverlayEvent e;
            while ((e = edge.core.nextEvent()) != null) {
                any = true;
                onCoreEvent(e);
            }
            if (!any) {
                break;
            }
        }
        armTimer();
    }

    private void transmit(Transmit t) {
        EdgeLink l = edge.links.byId(t.linkId());
        if (l == null || l.state != EdgeLink.State.UP) {
            // the old connection of a link moving onto a new certificate, or null
            l = edge.rotation.carrier(t.linkId());
        }
        if (l == null) {
            edge.sendFailures++;
            edge.emit(new MeshEvent.Dropped(DropReason.LINK_DOWN, null));
            return;
        }
        edge.framesSent++;
        edge.sentByClass[t.channel().ordinal()]++;
        if (l.send(t.channel(), t.bytes(), edge.config.highWaterBytes())) {
            edge.backpressureEvents++;
            edge.core.linkBackpressure(edge.now(), l.id, t.channel(), true);
        }
    }

    private void armTimer() {
        if (edge.closed) {
            return;
        }
        long deadline = Math.min(edge.core.pollTimeout(), edge.supervisor.pollTimeout());
        if (deadline == DatagramCore.NO_TIMEOUT || (timer != null && !timer.isDone() && timerDeadline <= deadline)) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerDeadline = deadline;
        timer = edge.loop().schedule(() -> {
            timerDeadline = DatagramCore.NO_TIMEOUT;
            if (!edge.closed) {
                edge.core.handleTimeout(edge.now());
                edge.supervisor.handleTimeout(edge.now());
                drain();
            }
        }, Math.max(0, deadline - edge.now()), TimeUnit.NANOSECONDS);
    }

    private void onCoreEvent(OverlayEvent e) {
        switch (e) {
            case OverlayEvent.Delivered d -> {
                edge.telemetry.delivered(d);
                Consumer<MeshMessage> l = edge.onMessage;
                if (l != null) {
                    try {
                        l.accept(new MeshMessage(d.origin(), d.sequence(), d.hops(), d.broadcast(), d.payload(),
                                d.channel(), d.originTime()));
                    } catch (RuntimeException ex) {
                        LOG.warn("mesh {}: onMessage listener failed", edge.self().shortString(), ex);
                    }
                }
            }
            case OverlayEvent.ConnectRequested c -> edge.dialer.connect(c.agent());
            case OverlayEvent.CloseRequested c -> {
                EdgeLink l = edge.links.byId(c.linkId());
                if (l != null) {
                    boolean wasUp = l.state == EdgeLink.State.UP || l.state == EdgeLink.State.RECOVERING;
                    edge.supervisor.forget(l);
                    if (wasUp && l.offerer && edge.now() - l.upAt < DialBackoff.REFUSAL_WINDOW_NANOS) {
                        edge.dialBackoff.refused(l.remote, edge.now());
                    } else if (wasUp) {
                        edge.dialBackoff.linkEnded(l.remote, l.upAt, edge.now());
                    }
                    if (wasUp) {
                        // the core may have queued a DISCONNECT on it just before: let it leave first
                        edge.removeAndClose(l, true);
                    } else {
                        edge.removeAndClose(l, false);
                        edge.bye(l);
                    }
                    edge.emit(new MeshEvent.LinkDown(l.remote, "closed by the overlay"));
                    edge.revocations.linkGone(l.remote, "closed by the overlay");
                } else {
                    AgentId remote = edge.supervisor.coreClosed(c.linkId()); // a link between two rebuild attempts
                    if (remote != null) {
                        edge.revocations.linkGone(remote, "closed by the overlay");
                    }
                }
                edge.rotation.coreClosed(c.linkId());
            }
            case OverlayEvent.NeighbourUp n -> edge.emit(new MeshEvent.NeighbourUp(n.agent()));
            case OverlayEvent.NeighbourDown n -> edge.emit(new MeshEvent.NeighbourDown(n.agent()));
            case OverlayEvent.Dropped d -> {
                switch (d.reason()) {
                    case BAD_SIGNATURE -> auditDrop("envelope.bad_signature", d);
                    case REPLAY -> auditDrop("envelope.replay", d);
                    case MALFORMED -> auditDrop("frame.malformed", d);
                    case BAD_REVOCATION -> auditDrop("revocation.refused", d);
                    default -> { }
                }
                edge.emit(new MeshEvent.Dropped(d.reason(), d.origin()));
            }
            case OverlayEvent.Acked a -> {
                CompletableFuture<Long> f = edge.acks.remove(a.sequence());
                if (f != null) {
                    f.complete(a.sequence());
                }
            }
            case OverlayEvent.AckTimedOut a -> {
                CompletableFuture<Long> f = edge.acks.remove(a.sequence());
                if (f != null) {
                    f.completeExceptionally(new TimeoutException("no acknowledgement from " + a.destination()
                            + " for message " + a.sequence()));
                }
            }
            case OverlayEvent.Writable w -> {
                edge.bulk.writable();
                edge.emit(new MeshEvent.Writable());
            }
            case OverlayEvent.PauseInbound p -> edge.bulk.holdInbound(edge.links.byId(p.linkId()), p);
            case OverlayEvent.Revoked r -> edge.revocations.revoked(r);
        }
    }

    private void auditDrop(String kind, OverlayEvent.Dropped d) {
        EdgeLink l = edge.links.byId(d.linkId());
        edge.audit.record(kind, EdgeTelemetry.dropFields(d, l == null ? null : l.remote));
    }

    /** Stops the timer (the agent is closing). */
    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
