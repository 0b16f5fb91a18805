package io.jrtc.signaling.server;

import io.jrtc.testkit.interop.Interop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A private redis-server on 127.0.0.1 and a random port, without persistence. Skips the test if absent ({@link Interop}). */
public final class RedisProcess implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/redis-server");
    private final int port;
    private Process process;

    private RedisProcess(int port) {
        this.port = port;
    }

    public static RedisProcess start() throws Exception {
        Interop.requireExecutable("redis-server", BINARY, "apt-get install redis-server");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisProcess r = new RedisProcess(port);
        r.launch();
        return r;
    }

    void launch() throws Exception {
        process = new ProcessBuilder(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (ping()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port);
    }

    boolean ping() {
        try {
            return "PONG".equals(command("PING"));
        } catch (IOException e) { // refused while starting, or an error reply such as LOADING
            return false;
        }
    }

    /**
     * Runs one command on its own connection and returns the reply as text: a bulk or simple string, an integer's
     * digits, or null for a nil bulk string. An error reply throws.
     */
    public String command(String... args) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            String line = readLine(in);
            switch (line.charAt(0)) {
                case '+', ':' -> {
                    return line.substring(1);
                }
                case '$' -> {
                    int n = Integer.parseInt(line.substring(1));
                    if (n < 0) {
                        return null;
                    }
                    String v = new String(in.readNBytes(n), StandardCharsets.UTF_8);
                    readLine(in);
                    return v;
                }
                default -> throw new IOException("redis answered " + line + " to " + String.join(" ", args));
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("redis closed the connection");
            }
            b.append((char) c);
        }
        in.read(); // '\n'
        return b.toString();
    }

    int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server (SIGKILL) and waits for it to be gone. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
