package org.hvsim.tools.client;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * netty's logging for the command-line tools: through java.util.logging rather than slf4j (which would
 * start logback, slow and at DEBUG for a CLI), and without netty's warning that a Unix socket has no
 * SO_KEEPALIVE (gRPC asks every channel for it, so every connection would warn).
 */
public final class NettyLogging {
    /** Held because java.util.logging keeps loggers only weakly, and would forget the level. */
    private static final Logger BOOTSTRAP = Logger.getLogger("io.netty.bootstrap");

    private NettyLogging() {
    }

    /** Call before the first use of netty; idempotent. */
    public static void useJdkLogging() {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        BOOTSTRAP.setLevel(Level.SEVERE);
    }
}
