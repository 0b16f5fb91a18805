package io.jrtc.deploy;

import io.jrtc.testkit.ProcessTree;
import io.jrtc.testkit.interop.Interop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server (the Debian package) of the test's own, on 127.0.0.1 and a free port, keeping nothing on disk. Skips
 * the test when it is not installed, or fails it with JRTC_REQUIRE_INTEROP=1.
 */
final class LoopbackRedis implements AutoCloseable {

    private final Process process;
    final int port;

    private LoopbackRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static LoopbackRedis start() throws IOException, InterruptedException {
        Interop.requireOnPath("redis-server", "apt-get install redis-server");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no", "--loglevel", "warning")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        LoopbackRedis r = new LoopbackRedis(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!r.answersPing()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                r.close();
                throw new IOException("redis-server on port " + port + " did not answer PING within 15 s");
            }
            TimeUnit.MILLISECONDS.sleep(20); // polling interval of a condition with a deadline
        }
        return r;
    }

    private boolean answersPing() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(1000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        ProcessTree.stop(process);
    }
}
