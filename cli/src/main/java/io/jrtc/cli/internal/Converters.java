package io.jrtc.cli.internal;

import io.jrtc.ice.IceServer;
import io.jrtc.signaling.server.SignalingServerMain;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the option types of the {@code jrtc} commands; a bad value is a usage error (exit 2). */
public final class Converters {

    private Converters() {
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h} or ISO-8601 ({@code PT30S}). */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration d = SignalingServerMain.duration("duration", value);
                if (d.isNegative()) {
                    throw new TypeConversionException("negative duration: " + value);
                }
                return d;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a duration (use 500ms, 30s, 5m, 24h or PT30S)");
            }
        }
    }

    /** A {@code ws://} or {@code wss://} URI with a host; the path defaults to {@code /ws}. */
    public static final class WebSocketUriConverter implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            URI u;
            try {
                u = new URI(value);
            } catch (Exception e) {
                throw new TypeConversionException("'" + value + "' is not a URI");
            }
            if (u.getScheme() == null || !(u.getScheme().equalsIgnoreCase("ws") || u.getScheme().equalsIgnoreCase("wss"))
                    || u.getHost() == null) {
                throw new TypeConversionException("'" + value + "' is not a ws:// or wss:// URL (e.g. ws://127.0.0.1:8080/ws)");
            }
            return u;
        }
    }

    /** An IP address literal (no name lookups): {@code 127.0.0.1}, {@code ::1}, {@code 10.77.0.1}. */
    public static final class AddressConverter implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            String v = value.trim();
            if (v.startsWith("[") && v.endsWith("]")) {
                v = v.substring(1, v.length() - 1);
            }
            boolean literal = IPV4.matcher(v).matches() || v.indexOf(':') >= 0 && v.matches("[0-9a-fA-F:.%a-zA-Z0-9]+");
            if (!literal) {
                throw new TypeConversionException("'" + value + "' is not an IP address literal");
            }
            try {
                return InetAddress.getByName(v);
            } catch (UnknownHostException e) {
                throw new TypeConversionException("'" + value + "' is not an IP address: " + e.getMessage());
            }
        }
    }

    /** {@code URL} (STUN) or {@code URL,USERNAME,CREDENTIAL} (TURN). */
    public static final class IceServerConverter implements ITypeConverter<IceServer> {
        @Override
        public IceServer convert(String value) {
            try {
                return IceServers.parseSpec(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
