package org.hvsim.tools.xlcfg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements parsed so far. It enforces xl's {@code +=} rule: appending to a key that has a value
 * needs a value of the same shape (two strings or two lists; the concatenation itself is
 * {@link XlConfig}'s), otherwise it is xl's error "can't add [list] to "string" or vice versa";
 * appending to a key that has no value just sets it. Not thread-safe.
 */
final class XlSettingsBuilder {
    private final List<XlSetting> settings = new ArrayList<>();
    private final Map<String, Boolean> isList = new HashMap<>();

    XlSettingsBuilder() {
    }

    XlSettingsBuilder(XlConfig base) {
        for (XlSetting s : base.settings()) {
            add(s);
        }
    }

    void store(String key, XlOperation operation, XlValue value, XlLocation keyLocation, XlDiagnostics diagnostics) {
        Boolean previous = isList.get(key);
        if (operation == XlOperation.APPEND && previous != null && previous != (value instanceof XlList)) {
            diagnostics.valueError(value.location(), "can't add [list] to \"string\" or vice versa");
            return;
        }
        add(new XlSetting(key, operation, value, keyLocation));
    }

    XlConfig build(String sourceFile) {
        return new XlConfig(sourceFile, settings);
    }

    private void add(XlSetting setting) {
        settings.add(setting);
        isList.put(setting.key(), setting.value() instanceof XlList);
    }
}
