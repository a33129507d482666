package org.hvsim.tools.xlcfg;

/**
 * A value in an xl.cfg file: an atom (a quoted string or a number token, which xl keeps alike as text)
 * or a list of values. Every value knows where it starts in the source.
 */
public sealed interface XlValue permits XlAtom, XlList {

    /** Where the value starts: the opening quote, the first digit, or the {@code [}. */
    XlLocation location();

    /** {@code "string"} or {@code "[list]"}, the words xl uses when a value has the wrong shape. */
    String shape();
}
