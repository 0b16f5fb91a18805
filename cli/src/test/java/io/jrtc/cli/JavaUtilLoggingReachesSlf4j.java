package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * ice4j and jitsi-utils log through java.util.logging: the command bridges those records into SLF4J (whose simple
 * logger writes to standard error here), under the level chosen from {@code --verbose}.
 */
class JavaUtilLoggingReachesSlf4j {

    @Test
    void recordsAtOrAboveTheChosenLevelGoThroughSlf4jAndNothingElse() {
        Logger root = LogManager.getLogManager().getLogger("");
        Handler[] before = root.getHandlers();
        Level levelBefore = root.getLevel();
        PrintStream errBefore = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Logger jul = Logger.getLogger("org.ice4j.BridgeProbe");
        try {
            Main.bridgeJavaUtilLogging(Level.WARNING);
            assertThat(root.getHandlers()).hasSize(1).allMatch(h -> h instanceof SLF4JBridgeHandler);
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            jul.warning("probe warning 7391");
            jul.info("probe info 7392");
            jul.log(Level.SEVERE, "probe severe {0}", "7393"); // the {0} parameter is formatted in
        } finally {
            System.setErr(errBefore);
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
            }
            for (Handler h : before) {
                root.addHandler(h);
            }
            root.setLevel(levelBefore);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("WARN").contains("BridgeProbe").contains("probe warning 7391");
        assertThat(out).contains("ERROR").contains("probe severe 7393");
        assertThat(out).doesNotContain("probe info 7392");
    }
}
