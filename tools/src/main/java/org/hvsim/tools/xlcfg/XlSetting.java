package org.hvsim.tools.xlcfg;

import java.util.Objects;

/**
 * One statement of a configuration, after {@code +=} has been applied: {@code value} is the whole value
 * the key has from this statement on (for {@code +=}, the earlier value with this one appended), and
 * {@code operation} is the operator this statement used, which matters because xl refuses {@code +=}
 * for numbers.
 */
public record XlSetting(String key, XlOperation operation, XlValue value, XlLocation keyLocation) {

    public XlSetting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(keyLocation, "keyLocation");
    }
}
