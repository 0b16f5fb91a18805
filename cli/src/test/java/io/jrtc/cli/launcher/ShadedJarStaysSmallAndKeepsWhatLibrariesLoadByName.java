package io.jrtc.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.logging.Level;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar (issue 11, "a small footprint"): its size has a ceiling, so what the shade filters of
 * {@code cli/pom.xml} removed cannot creep back unnoticed; and the classes that libraries load by name (which the
 * minimizer cannot see) are still in it. Runs in the integration-test phase, after {@code package} built the jar.
 */
class ShadedJarStaysSmallAndKeepsWhatLibrariesLoadByName {

    /**
     * Decimal megabytes: the 15 MB. The jar was 24,708,800 bytes before the Bouncy Castle Java 9 duplicates,
     * Lettuce's unreachable areas and the unused parts of ice4j, jitsi-utils, Micrometer and Prometheus were filtered
     * out, 20,914,829 after; 14,940,575 without ice4j's configuration (Kotlin reflection, Typesafe config,
     * jitsi-metaconfig), most of Kotlin, and the classes of Lettuce and Jackson that nothing kept refers to: see
     * cli/README.md, "Footprint". Lower it when the jar shrinks again.
     */
    static final long MAX_BYTES = 15_000_000L;

    @Test
    void theJarIsUnderItsCeiling() throws IOException {
        assertThat(Launcher.JAR).as("the shaded jar, built in the package phase").exists();
        assertThat(Files.size(Launcher.JAR)).as("size of %s in bytes", Launcher.JAR).isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void classesLoadedByNameAreThere() throws IOException {
        List<String> byName = List.of(
                // Lettuce's JSON parser, a META-INF/services implementation
                "io/lettuce/core/json/DefaultJsonParser.class",
                // Lettuce's JfrEventRecorder builds "<package>.Jfr<SimpleName>" for each event it records
                "io/lettuce/core/event/connection/JfrConnectedEvent.class",
                "io/lettuce/core/event/connection/JfrReconnectAttemptEvent.class",
                // Jackson's Java7Support and OptionalHandlerFactory
                "com/fasterxml/jackson/databind/ext/Java7SupportImpl.class",
                "com/fasterxml/jackson/databind/ext/DOMSerializer.class",
                // kept on purpose: the only Bouncy Castle Java 9 variants that differ from the base classes in more than
                // string concatenation and jump offsets
                "META-INF/versions/9/org/bouncycastle/tls/crypto/impl/jcajce/GCMUtil.class",
                "META-INF/versions/9/org/bouncycastle/tls/crypto/impl/jcajce/SecretKeyUtil.class",
                // JNA's dispatch library, which jitsi-srtp's OpenSSL probe loads (see cli/pom.xml)
                "com/sun/jna/linux-x86-64/libjnidispatch.so");
        try (JarFile jar = new JarFile(Launcher.JAR.toFile())) {
            for (String name : byName) {
                ZipEntry e = jar.getEntry(name);
                assertThat(e).as(name).isNotNull();
            }
            assertThat(jar.getEntry("META-INF/versions/9/org/bouncycastle/math/ec/ECCurve.class"))
                    .as("Bouncy Castle's Java 9 duplicates are filtered out").isNull();
            assertThat(jar.getEntry("io/lettuce/core/api/coroutines/RedisCoroutinesCommands.class"))
                    .as("Lettuce's Kotlin coroutine API (kotlinx.coroutines is not on the class path)").isNull();
            for (String gone : List.of("kotlin/reflect/jvm/internal/ReflectionFactoryImpl.class",
                    "com/typesafe/config/ConfigFactory.class", "org/jitsi/metaconfig/MetaconfigSettings.class",
                    "org/jitsi/config/JitsiConfig.class", "kotlin/collections/ArraysKt.class")) {
                assertThat(jar.getEntry(gone)).as("ice4j's configuration and most of Kotlin are left out: " + gone).isNull();
            }
        }
    }

    /**
     * What the jar keeps of Kotlin (jitsi-utils' LogContext, which jitsi-srtp's Aes logs through) and of ice4j (its
     * message layer, without the AgentConfig that Message.encode would read) is enough: run from the jar alone, in a
     * class loader that sees no other class path, a jitsi-utils logger with a context logs, Aes makes a cipher, and
     * ice's Stun encodes a Binding request with MESSAGE-INTEGRITY and FINGERPRINT that decodes again.
     */
    @Test
    void kotlinAndIce4jPathsRunFromTheJarAlone() throws Exception {
        try (URLClassLoader jar = new URLClassLoader(new URL[] {Launcher.JAR.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> loggerImpl = jar.loadClass("org.jitsi.utils.logging2.LoggerImpl");
            Object root = loggerImpl.getConstructor(String.class, Level.class).newInstance("jar-check", Level.OFF);
            Object child = loggerImpl.getMethod("createChildLogger", String.class, Map.class)
                    .invoke(root, "child", Map.of("k", "v"));
            child.getClass().getMethod("addContext", String.class, String.class).invoke(child, "k2", "v2");
            child.getClass().getMethod("setLevelAll").invoke(child);
            child.getClass().getMethod("setUseParentHandlers", boolean.class).invoke(child, false);
            child.getClass().getMethod("info", Object.class).invoke(child, "formatted with its context");
            Object cipher = jar.loadClass("org.jitsi.srtp.crypto.Aes").getMethod("createCipher", String.class)
                    .invoke(null, "AES/CTR/NoPadding");
            assertThat(cipher).isNotNull();

            Class<?> factory = jar.loadClass("org.ice4j.message.MessageFactory");
            Object request = factory.getMethod("createBindingRequest").invoke(null);
            Class<?> message = jar.loadClass("org.ice4j.message.Message");
            byte[] id = new byte[12];
            id[0] = 42;
            message.getMethod("setTransactionID", byte[].class).invoke(request, (Object) id);
            Class<?> stun = jar.loadClass("io.jrtc.ice.internal.Stun");
            ByteBuffer encoded = (ByteBuffer) stun.getMethod("encode", message, byte[].class, boolean.class)
                    .invoke(null, request, "key".getBytes(StandardCharsets.US_ASCII), true);
            assertThat(encoded.remaining()).as("header, SOFTWARE, MESSAGE-INTEGRITY, FINGERPRINT").isEqualTo(20 + 8 + 24 + 8);
            Object decoded = stun.getMethod("decode", byte[].class, int.class).invoke(null, encoded.array(), encoded.remaining());
            assertThat(decoded).isNotNull();
            assertThat((byte[]) message.getMethod("getTransactionID").invoke(decoded)).isEqualTo(id);
        }
    }
}
