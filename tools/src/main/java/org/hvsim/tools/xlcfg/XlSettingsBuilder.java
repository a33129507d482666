package org.hvsim.tools.xlcfg;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements parsed so far, with xl's {@code +=} rule: appending to a key that has a value
 * concatenates two strings or two lists (the earlier items first), appending to a key that has none
 * just sets it, and mixing a string and a list is xl's error "can't add [list] to "string" or vice
 * versa". Not thread-safe.
 */
final class XlSettingsBuilder {
    private final List<XlSetting> settings = new ArrayList<>();

    XlSettingsBuilder() {
    }

    XlSettingsBuilder(XlConfig base) {
        settings.addAll(base.settings());
    }

    void store(String key, XlOperation operation, XlValue value, XlLocation keyLocation, XlDiagnostics diagnostics) {
        XlValue stored = value;
        if (operation == XlOperation.APPEND) {
            XlValue previous = latest(key);
            if (previous != null) {
                stored = concatenate(previous, value, diagnostics);
                if (stored == null) {
                    return;
                }
            }
        }
        settings.add(new XlSetting(key, operation, stored, keyLocation));
    }

    XlConfig build(String sourceFile) {
        return new XlConfig(sourceFile, settings);
    }

    private XlValue latest(String key) {
        for (int i = settings.size() - 1; i >= 0; i--) {
            if (settings.get(i).key().equals(key)) {
                return settings.get(i).value();
            }
        }
        return null;
    }

    private static XlValue concatenate(XlValue previous, XlValue added, XlDiagnostics diagnostics) {
        if (previous instanceof XlAtom before && added instanceof XlAtom after) {
            return new XlAtom(before.text() + after.text(), after.location());
        }
        if (previous instanceof XlList before && added instanceof XlList after) {
            List<XlValue> items = new ArrayList<>(before.items());
            items.addAll(after.items());
            return new XlList(items, after.location());
        }
        diagnostics.valueError(added.location(), "can't add [list] to \"string\" or vice versa");
        return null;
    }
}
