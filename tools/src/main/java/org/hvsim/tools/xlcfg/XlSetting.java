package org.hvsim.tools.xlcfg;

import java.util.Objects;

/**
 * One statement of a configuration, or the effective setting of a key. For a statement, {@code value}
 * is the value written in it; for an effective setting ({@link XlConfig#find}), it is the value the key
 * ends up with, where trailing {@code +=} statements have been appended to the value before them, and
 * {@code operation} and {@code keyLocation} are those of the key's last statement ({@code operation}
 * matters because xl refuses {@code +=} for numbers).
 */
public record XlSetting(String key, XlOperation operation, XlValue value, XlLocation keyLocation) {

    public XlSetting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(keyLocation, "keyLocation");
    }
}
