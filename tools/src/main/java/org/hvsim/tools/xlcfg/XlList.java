package org.hvsim.tools.xlcfg;

import java.util.List;
import java.util.Objects;

/** A bracketed list {@code [ v, v, ... ]}; items may be atoms or lists, and the list may be empty. */
public record XlList(List<XlValue> items, XlLocation location) implements XlValue {

    public XlList {
        items = List.copyOf(items);
        Objects.requireNonNull(location, "location");
    }

    @Override
    public String shape() {
        return "[list]";
    }
}
