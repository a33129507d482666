package org.hvsim.tools.xlcfg;

import java.util.Objects;

/**
 * A single value: the text of a quoted string after its escapes are resolved, or a number token as
 * written (xl keeps {@code 0x10} as the text "0x10" and interprets it only when a number is asked for).
 */
public record XlAtom(String text, XlLocation location) implements XlValue {

    public XlAtom {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(location, "location");
    }

    @Override
    public String shape() {
        return "\"string\"";
    }
}
