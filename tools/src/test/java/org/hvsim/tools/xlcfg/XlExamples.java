package org.hvsim.tools.xlcfg;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * Xen's example configurations (tools/examples in xen.git, byte-for-byte, with their PROVENANCE.md), kept as
 * test data in this module's resources so the tests need nothing outside the repository.
 */
final class XlExamples {

    private XlExamples() {
    }

    static Path directory() {
        URL provenance = XlExamples.class.getResource("/xl-examples/PROVENANCE.md");
        if (provenance == null) {
            throw new IllegalStateException("xl-examples/PROVENANCE.md is not on the test class path");
        }
        try {
            return Path.of(provenance.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String name) {
        return directory().resolve(name);
    }
}
