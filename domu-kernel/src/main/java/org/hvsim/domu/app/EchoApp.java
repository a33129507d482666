package org.hvsim.domu.app;

import org.hvsim.domu.console.ConsoleDriver;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;

/**
 * {@code echo}: writes console input back to the console (so {@code xl console} shows what was typed),
 * turning a carriage return into CR LF as a terminal in raw mode needs. It runs on vCPU 0, the vCPU the
 * console port notifies, and blocks between inputs.
 */
final class EchoApp implements App {
    private static final int CHUNK = 256;

    @Override
    public void run(Kernel kernel, PerCpu cpu) {
        ConsoleDriver console = kernel.console();
        kernel.println(cpu, "echo: type something; it comes back");
        byte[] in = new byte[CHUNK];
        while (true) {
            int n = console.read(cpu, in, 0, in.length);
            if (n == 0) {
                kernel.waitForEvent(cpu);
            } else {
                console.write(cpu, crlf(in, n));
            }
        }
    }

    /** {@code in[0, n)} with every CR followed by LF. */
    static byte[] crlf(byte[] in, int n) {
        int crs = 0;
        for (int i = 0; i < n; i++) {
            if (in[i] == '\r') {
                crs++;
            }
        }
        byte[] out = new byte[n + crs];
        int o = 0;
        for (int i = 0; i < n; i++) {
            out[o++] = in[i];
            if (in[i] == '\r') {
                out[o++] = '\n';
            }
        }
        return out;
    }
}
