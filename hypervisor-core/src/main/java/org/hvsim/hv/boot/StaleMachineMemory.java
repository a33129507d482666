package org.hvsim.hv.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The machine memory file of a host that died without cleaning up (killed with SIGKILL, or the machine lost
 * power): {@code $HVSIM_HOME/machine.mem} still links to it. A new hypervisor that holds the home's lock knows
 * no host runs there any more, so it removes that file (only a {@code hvsim-*.mem} file, never anything else
 * the link might have been pointed at) and the link, before it creates its own.
 */
final class StaleMachineMemory {
    private StaleMachineMemory() {
    }

    /** Removes the file {@code link} names, if it is a machine memory file, and the link; returns the file. */
    static Optional<Path> remove(Path link) throws IOException {
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        Path target = Files.readSymbolicLink(link);
        Files.delete(link);
        String name = target.getFileName() == null ? "" : target.getFileName().toString();
        if (target.isAbsolute() && name.startsWith("hvsim-") && name.endsWith(".mem") && Files.isRegularFile(target)
                && Files.deleteIfExists(target)) {
            return Optional.of(target);
        }
        return Optional.empty();
    }
}
