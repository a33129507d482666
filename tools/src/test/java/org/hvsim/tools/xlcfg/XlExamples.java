package org.hvsim.tools.xlcfg;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds Xen's example configurations in the shared data directory, walking up from the working directory. */
final class XlExamples {

    private XlExamples() {
    }

    static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data/xl-examples");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/data/xl-examples not found above " + Path.of("").toAbsolutePath());
    }

    static Path file(String name) {
        return directory().resolve(name);
    }
}
