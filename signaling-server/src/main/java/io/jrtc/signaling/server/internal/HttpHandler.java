package io.jrtc.signaling.server.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain HTTP: {@code /} and its assets (the demo page), {@code /health}, {@code /metrics}, {@code /results}, {@code /mesh} (link reports).
 * Requests for {@code /ws} pass on to the WebSocket handshake unless the server is draining (503).
 * Not shared: one per channel, though it holds no per-channel state.
 */
public final class HttpHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpHandler.class);
    private static final int MAX_RESULT_BYTES = 64 * 1024;

    /** Static assets of the page, loaded once from {@code /web/} on the class path. */
    public record Asset(byte[] body, String contentType) {
    }

    public static Map<String, Asset> loadAssets() {
        return Map.of(
                "/", asset("index.html", "text/html; charset=utf-8"),
                "/index.html", asset("index.html", "text/html; charset=utf-8"),
                "/app.js", asset("app.js", "text/javascript; charset=utf-8"),
                "/style.css", asset("style.css", "text/css; charset=utf-8"));
    }

    private static Asset asset(String name, String type) {
        try (InputStream in = HttpHandler.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource /web/" + name);
            }
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final Hub hub;
    private final Map<String, Asset> assets;
    private final ResultsStore results;
    private final String instanceId;

    public HttpHandler(Hub hub, Map<String, Asset> assets, ResultsStore results, String instanceId) {
        this.hub = hub;
        this.assets = assets;
        this.results = results;
        this.instanceId = instanceId;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        if (path.equals(Protocol.WS_PATH)) {
            if (hub.draining()) {
                try {
                    respond(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
                            "draining\n".getBytes(StandardCharsets.UTF_8));
                } finally {
                    req.release();
                }
                return;
            }
            ctx.fireChannelRead(req); // the WebSocket handshake takes it from here
            return;
        }
        try {
            route(ctx, req, path);
        } finally {
            req.release();
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        HttpMethod m = req.method();
        boolean get = m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD);
        switch (path) {
            case "/health" -> {
                if (!get) {
                    methodNotAllowed(ctx, req);
                    return;
                }
                boolean draining = hub.draining();
                String body = "{\"status\":\"" + (draining ? "draining" : "serving") + "\",\"instance\":\""
                        + instanceId + "\",\"agents\":" + hub.registeredCount() + ",\"connections\":"
                        + hub.openSessions() + "}\n";
                respond(ctx, req, draining ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK,
                        "application/json", body.getBytes(StandardCharsets.UTF_8));
            }
            case "/metrics" -> {
                if (!get) {
                    methodNotAllowed(ctx, req);
                    return;
                }
                String accept = req.headers().get(HttpHeaderNames.ACCEPT);
                boolean openMetrics = accept != null && accept.contains("application/openmetrics-text");
                String type = openMetrics ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                        : "text/plain; version=0.0.4; charset=utf-8";
                String text = hub.metrics().scrape(openMetrics ? "application/openmetrics-text" : "text/plain");
                respond(ctx, req, HttpResponseStatus.OK, type, text.getBytes(StandardCharsets.UTF_8));
            }
            case "/mesh" -> {
                if (!get) {
                    methodNotAllowed(ctx, req);
                    return;
                }
                respond(ctx, req, HttpResponseStatus.OK, "application/json",
                        hub.meshJson(instanceId).getBytes(StandardCharsets.UTF_8));
            }
            case "/results" -> {
                if (m.equals(HttpMethod.POST)) {
                    postResult(ctx, req);
                } else if (get) {
                    respond(ctx, req, HttpResponseStatus.OK, "application/json",
                            results.toJson().getBytes(StandardCharsets.UTF_8));
                } else {
                    methodNotAllowed(ctx, req);
                }
            }
            default -> {
                Asset a = assets.get(path);
                if (a == null) {
                    respond(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
                            "not found\n".getBytes(StandardCharsets.UTF_8));
                } else if (!get) {
                    methodNotAllowed(ctx, req);
                } else {
                    respond(ctx, req, HttpResponseStatus.OK, a.contentType(), a.body());
                }
            }
        }
    }

    private void postResult(ChannelHandlerContext ctx, FullHttpRequest req) {
        ByteBuf content = req.content();
        if (content.readableBytes() > MAX_RESULT_BYTES) {
            respond(ctx, req, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "text/plain; charset=utf-8",
                    "too large\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(content.toString(StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            results.add(node);
            LOG.info("stored a page result summary from {} ({} bytes)", ctx.channel().remoteAddress(),
                    content.readableBytes());
            respond(ctx, req, HttpResponseStatus.NO_CONTENT, "text/plain; charset=utf-8", new byte[0]);
        } catch (JacksonException | IllegalArgumentException e) {
            LOG.info("refused a page result from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8",
                    "expected a JSON object\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void methodNotAllowed(ChannelHandlerContext ctx, FullHttpRequest req) {
        respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                "method not allowed\n".getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
            String contentType, byte[] body) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().set("Referrer-Policy", "no-referrer");
        if (contentType.startsWith("text/html")) {
            res.headers().set("Content-Security-Policy",
                    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'");
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
