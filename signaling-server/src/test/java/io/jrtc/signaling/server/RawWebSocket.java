package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import javax.net.SocketFactory;

/**
 * A deliberately small, blocking RFC 6455 client over a plain socket, so tests control every byte: frames
 * of any opcode, bogus lengths, fragmentation, not answering pings. Loopback only.
 */
final class RawWebSocket implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    record Frame(int opcode, boolean fin, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    /** The server sent a close frame while we waited for a message. */
    static final class ClosedByServer extends IOException {
        final int code;

        ClosedByServer(int code, String reason) {
            super("closed by server: " + code + " " + reason);
            this.code = code;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Random rnd = new Random(new SecureRandom().nextLong()); // masks need not be secret in tests
    boolean autoPong = true;
    int pingsSeen;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawWebSocket connect(int port) throws IOException {
        return connect(SocketFactory.getDefault(), port, "/ws");
    }

    static RawWebSocket connect(SocketFactory factory, int port, String path) throws IOException {
        return connect(factory, "127.0.0.1", port, path);
    }

    static RawWebSocket connect(SocketFactory factory, String host, int port, String path) throws IOException {
        Socket s = factory.createSocket();
        s.connect(new InetSocketAddress(host, port), 5000);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        RawWebSocket ws = new RawWebSocket(s);
        ws.handshake(path);
        return ws;
    }

    private void handshake(String path) throws IOException {
        byte[] nonce = new byte[16];
        rnd.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHttpHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head.lines().findFirst().orElse(head));
        }
        String expected;
        try {
            expected = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IOException(e);
        }
        if (!head.toLowerCase().contains("sec-websocket-accept: " + expected.toLowerCase())) {
            throw new IOException("bad Sec-WebSocket-Accept in " + head);
        }
    }

    private String readHttpHead() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("EOF in HTTP head: " + buf);
            }
            buf.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : 0;
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }

    void sendText(String text) throws IOException {
        sendFrame(0x1, true, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendJson(String json) throws IOException {
        sendText(json);
    }

    /** Many text frames in one socket write, so they reach the server as one burst. */
    synchronized void sendTextBurst(java.util.List<String> texts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String t : texts) {
            all.writeBytes(maskedFrame(0x1, true, t.getBytes(StandardCharsets.UTF_8)));
        }
        out.write(all.toByteArray());
        out.flush();
    }

    void sendBinary(byte[] data) throws IOException {
        sendFrame(0x2, true, data);
    }

    void sendClose(int code) throws IOException {
        sendFrame(0x8, true, new byte[] {(byte) (code >> 8), (byte) code});
    }

    synchronized void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        out.write(maskedFrame(opcode, fin, payload));
        out.flush();
    }

    private byte[] maskedFrame(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.writeBytes(header(opcode, fin, payload.length));
        byte[] mask = new byte[4];
        rnd.nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    /** Writes only a frame header announcing {@code length} bytes (and a mask), then {@code some} bytes. */
    synchronized void sendHeaderClaiming(int opcode, long length, int some) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(header(opcode, true, length));
        all.writeBytes(new byte[4 + some]);
        out.write(all.toByteArray()); // one write, so the server sees it all before it reacts
        out.flush();
    }

    private static byte[] header(int opcode, boolean fin, long len) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write((fin ? 0x80 : 0) | opcode);
        if (len < 126) {
            h.write(0x80 | (int) len);
        } else if (len <= 0xffff) {
            h.write(0x80 | 126);
            h.write((int) (len >> 8));
            h.write((int) len);
        } else {
            h.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                h.write((int) (len >> (8 * i)));
            }
        }
        return h.toByteArray();
    }

    Frame readFrame(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        int b0 = in.read();
        if (b0 < 0) {
            throw new EOFException("connection closed");
        }
        int b1 = readByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (readByte() << 8) | readByte();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte();
            }
        }
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frames must not be masked");
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length != len) {
            throw new EOFException("truncated frame");
        }
        return new Frame(b0 & 0x0f, (b0 & 0x80) != 0, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed mid-frame");
        }
        return b;
    }

    /** Next text message as JSON; answers pings if {@link #autoPong}; throws {@link ClosedByServer} on close. */
    JsonNode readJson(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (deadline - System.nanoTime() <= 0) {
                throw new SocketTimeoutException("no message within " + timeout);
            }
            Frame f = readFrame(Duration.ofMillis(left));
            switch (f.opcode()) {
                case 0x1 -> {
                    return JSON.readTree(f.text());
                }
                case 0x9 -> {
                    pingsSeen++;
                    if (autoPong) {
                        sendFrame(0xA, true, f.payload());
                    }
                }
                case 0xA -> { }
                case 0x8 -> throw new ClosedByServer(f.closeCode(),
                        f.payload().length > 2 ? new String(f.payload(), 2, f.payload().length - 2,
                                StandardCharsets.UTF_8) : "");
                default -> throw new IOException("unexpected opcode " + f.opcode());
            }
        }
    }

    JsonNode readJson() throws IOException {
        return readJson(Duration.ofSeconds(5));
    }

    /** Reads until the server's close frame; returns its status code. Skips anything else. */
    int awaitCloseFrame(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (deadline - System.nanoTime() > 0) {
            Frame f = readFrame(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            if (f.opcode() == 0x8) {
                return f.closeCode();
            }
        }
        throw new SocketTimeoutException("no close frame within " + timeout);
    }

    /** Whether the server closed the TCP connection within {@code timeout} (everything before is skipped). */
    boolean awaitEof(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (deadline - System.nanoTime() > 0) {
                readFrame(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
            return false;
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    /** Asserts nothing but pings arrives for {@code quiet}; returns the unexpected message otherwise. */
    JsonNode pollJson(Duration quiet) throws IOException {
        try {
            return readJson(quiet);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }
}
