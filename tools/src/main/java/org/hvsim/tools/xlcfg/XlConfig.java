package org.hvsim.tools.xlcfg;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * A parsed configuration: its statements in source order (file first, then command-line overrides).
 * A key's value is the one of its last statement, as in xl, where a later {@code =} replaces and a
 * later {@code +=} extends. Immutable.
 */
public final class XlConfig {
    private final String sourceFile;
    private final List<XlSetting> settings;

    XlConfig(String sourceFile, List<XlSetting> settings) {
        this.sourceFile = sourceFile;
        this.settings = List.copyOf(settings);
    }

    /** The name of the file the configuration was read from (overrides have a source of their own). */
    public String sourceFile() {
        return sourceFile;
    }

    /** Every statement, in source order. */
    public List<XlSetting> settings() {
        return settings;
    }

    /** The statement that gives {@code key} its value: the last one for that key. */
    public Optional<XlSetting> find(String key) {
        for (int i = settings.size() - 1; i >= 0; i--) {
            if (settings.get(i).key().equals(key)) {
                return Optional.of(settings.get(i));
            }
        }
        return Optional.empty();
    }

    /** The keys set, each once, in the order they first appear. */
    public List<String> keys() {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (XlSetting s : settings) {
            keys.add(s.key());
        }
        return new ArrayList<>(keys);
    }

    public boolean isEmpty() {
        return settings.isEmpty();
    }
}
