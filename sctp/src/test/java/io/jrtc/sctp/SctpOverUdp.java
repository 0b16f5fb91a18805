package io.jrtc.sctp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Drives an {@link SctpAssociation} over a connected UDP socket (raw SCTP-over-UDP, as the foreign stacks in the
 * interop tests speak it), on the calling thread.
 */
final class SctpOverUdp {

    private SctpOverUdp() {
    }

    /** Sends every packet the association has queued. */
    static void flush(SctpAssociation a, DatagramSocket sock) throws IOException {
        for (var p = a.pollTransmit(); p.isPresent(); p = a.pollTransmit()) {
            ByteBuffer b = p.get();
            sock.send(new DatagramPacket(b.array(), b.arrayOffset() + b.position(), b.remaining()));
        }
    }

    /**
     * Runs the association's I/O loop on the socket, adding its events to {@code events}, until {@code done} or
     * {@code seconds} pass; false on the latter.
     */
    static boolean run(SctpAssociation a, DatagramSocket sock, List<SctpEvent> events, int seconds, BooleanSupplier done)
            throws IOException {
        byte[] buf = new byte[65536];
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            long now = System.nanoTime();
            if (now >= end) {
                return false;
            }
            flush(a, sock);
            long t = a.pollTimeout();
            long waitMs = t == SctpAssociation.NO_TIMEOUT ? 20 : Math.max(1, Math.min(20, (t - now) / 1_000_000));
            sock.setSoTimeout((int) waitMs);
            try {
                DatagramPacket dp = new DatagramPacket(buf, buf.length);
                sock.receive(dp);
                a.handleInput(System.nanoTime(), ByteBuffer.wrap(buf, 0, dp.getLength()));
            } catch (SocketTimeoutException | PortUnreachableException e) {
                // no packet (or an ICMP error for an earlier one): time to look at the timers
            }
            if (a.pollTimeout() <= System.nanoTime()) {
                a.handleTimeout(System.nanoTime());
            }
            for (var e = a.pollEvent(); e.isPresent(); e = a.pollEvent()) {
                events.add(e.get());
            }
        }
        flush(a, sock);
        return true;
    }
}
