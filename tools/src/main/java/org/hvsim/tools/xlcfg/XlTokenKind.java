package org.hvsim.tools.xlcfg;

/**
 * The tokens of xl's grammar, in the order of xl's bison token numbers (which is the order its
 * "expecting ..." lists use), each with the name xl's parser prints for it.
 */
enum XlTokenKind {
    END("$end"),
    IDENT("IDENT"),
    STRING("STRING"),
    NUMBER("NUMBER"),
    NEWLINE("NEWLINE"),
    APPEND("+="),
    EQUALS("'='"),
    SEMICOLON("';'"),
    LBRACKET("'['"),
    RBRACKET("']'"),
    COMMA("','");

    private final String displayName;

    XlTokenKind(String displayName) {
        this.displayName = displayName;
    }

    String displayName() {
        return displayName;
    }
}
