package org.hvsim.tools.xlcfg;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Typed access to a parsed configuration with xl's rules (Xen's {@code xlu_cfg_get_*}): a string key
 * given a list is an error, a list key given a single value is an error, numbers follow
 * {@link XlNumbers#strtol} and refuse {@code +=}, bounds are checked. Where xl only warns and carries
 * on with the default, hvsim refuses the configuration; every error points at the offending value. It
 * remembers which keys were asked for, so the rest can be reported as ignored. Not thread-safe.
 */
final class XlSettingReader {
    private final XlConfig config;
    private final Set<String> consumed = new LinkedHashSet<>();

    XlSettingReader(XlConfig config) {
        this.config = config;
    }

    XlConfig config() {
        return config;
    }

    /** The setting for {@code key}, marking it consumed. */
    Optional<XlSetting> setting(String key) {
        consumed.add(key);
        return config.find(key);
    }

    /** Whether {@code key} is set at all (does not consume it). */
    boolean isSet(String key) {
        return config.find(key).isPresent();
    }

    Optional<XlAtom> atom(String key) throws XlConfigException {
        Optional<XlSetting> setting = setting(key);
        if (setting.isEmpty()) {
            return Optional.empty();
        }
        if (!(setting.get().value() instanceof XlAtom atom)) {
            throw XlConfigException.at(setting.get().value().location(),
                    "parameter `" + key + "' is a list but should be a single value");
        }
        return Optional.of(atom);
    }

    Optional<String> string(String key) throws XlConfigException {
        return atom(key).map(XlAtom::text);
    }

    Optional<XlList> list(String key) throws XlConfigException {
        Optional<XlSetting> setting = setting(key);
        if (setting.isEmpty()) {
            return Optional.empty();
        }
        if (!(setting.get().value() instanceof XlList list)) {
            throw XlConfigException.at(setting.get().value().location(),
                    "parameter `" + key + "' is a single value but should be a list");
        }
        return Optional.of(list);
    }

    /** A number within {@code [min, max]}. */
    OptionalLong number(String key, long min, long max) throws XlConfigException {
        Optional<XlAtom> atom = atom(key);
        if (atom.isEmpty()) {
            return OptionalLong.empty();
        }
        XlSetting setting = config.find(key).orElseThrow();
        XlLocation at = atom.get().location();
        if (setting.operation() == XlOperation.APPEND) {
            throw XlConfigException.at(at, "can't use += with numbers for parameter `" + key + "'");
        }
        XlNumbers.Result result = XlNumbers.strtol(atom.get().text());
        if (!result.ok()) {
            throw XlConfigException.at(at, "parameter `" + key + "' " + result.failure().description());
        }
        long value = result.value();
        if (value < min) {
            throw XlConfigException.at(at, "parameter `" + key + "': value `" + value
                    + "' is smaller than minimum bound '" + min + "'");
        }
        if (value > max) {
            throw XlConfigException.at(at, "parameter `" + key + "': value `" + value
                    + "' is greater than maximum bound '" + max + "'");
        }
        return OptionalLong.of(value);
    }

    /** Keys present in the configuration that nothing asked for, in order of first appearance. */
    Set<String> unconsumedKeys() {
        Set<String> keys = new LinkedHashSet<>(config.keys());
        keys.removeAll(consumed);
        return keys;
    }

    /** Where each key's value (as it finally stands) starts, in order of first appearance. */
    Map<String, XlLocation> valueLocations() {
        Map<String, XlLocation> locations = new LinkedHashMap<>();
        for (String key : config.keys()) {
            locations.put(key, config.find(key).orElseThrow().value().location());
        }
        return locations;
    }
}
