package org.hvsim.tools.xlcfg;

import java.util.List;
import java.util.Objects;
import org.hvsim.proto.control.DomainConfig;

/**
 * A configuration read from xl.cfg text, and the warnings xl prints once for it (each
 * {@code <file>:<line>: warning: ...}), in the order they arose.
 */
public record LoadedConfig(DomainConfig config, List<String> warnings) {

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
    }
}
