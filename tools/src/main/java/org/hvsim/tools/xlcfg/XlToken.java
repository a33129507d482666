package org.hvsim.tools.xlcfg;

/**
 * A token: its kind, the source text it came from (what an error message shows after "near"), its
 * value (the unescaped text of a string, the text of an identifier or number) and where it starts.
 */
record XlToken(XlTokenKind kind, String text, String value, XlLocation location) {
}
