package org.hvsim.tools.client;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * netty set up for the command-line tools: logging through java.util.logging rather than slf4j (which would
 * start logback, slow and at DEBUG for a CLI), without netty's warning that a Unix socket has no
 * SO_KEEPALIVE (gRPC asks every channel for it, so every connection would warn), and without netty's JFR
 * buffer events (loading JFR costs a short-lived CLI tens of milliseconds), unless asked for with
 * {@code -Dio.netty.jfr.enabled=true}.
 */
public final class NettyDefaults {
    /** Held because java.util.logging keeps loggers only weakly, and would forget the level. */
    private static final Logger BOOTSTRAP = Logger.getLogger("io.netty.bootstrap");

    private static final String JFR_PROPERTY = "io.netty.jfr.enabled";

    private NettyDefaults() {
    }

    /** Call before the first use of netty; idempotent. */
    public static void forCommandLine() {
        if (System.getProperty(JFR_PROPERTY) == null) {
            System.setProperty(JFR_PROPERTY, "false");
        }
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        BOOTSTRAP.setLevel(Level.SEVERE);
    }
}
