package org.hvsim.dom0.xenstore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a Debian client program (xenstore-utils, pyxs) against a xenstored socket. */
record ExternalTool(int exitCode, String stdout, String stderr) {
    static final long TIMEOUT_S = 30;

    static boolean installed(String program) {
        return Files.isExecutable(Path.of(program));
    }

    static ExternalTool run(Path socket, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("XENSTORED_PATH", socket.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[][] out = new byte[2][];
        Thread err = Thread.ofVirtual().start(() -> {
            try {
                out[1] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                out[1] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        out[0] = p.getInputStream().readAllBytes();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish in " + TIMEOUT_S + " s");
        }
        err.join();
        return new ExternalTool(p.exitValue(), new String(out[0], StandardCharsets.UTF_8),
                new String(out[1], StandardCharsets.UTF_8));
    }
}
