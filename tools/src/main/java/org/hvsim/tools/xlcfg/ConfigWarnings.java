package org.hvsim.tools.xlcfg;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The warnings a configuration gives rise to, each {@code <file>:<line>: warning: <text>}. Not thread-safe. */
final class ConfigWarnings {
    private final List<String> lines = new ArrayList<>();

    void add(XlLocation at, String text) {
        lines.add(at.lineOnly() + ": warning: " + text);
    }

    /** A sink for a spec parser's warnings about the value at {@code at}. */
    Consumer<String> at(XlLocation at) {
        return text -> add(at, text);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }
}
