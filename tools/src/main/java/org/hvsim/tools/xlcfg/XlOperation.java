package org.hvsim.tools.xlcfg;

/** How a statement sets its key: {@code KEY = VALUE} replaces, {@code KEY += VALUE} appends. */
public enum XlOperation {
    ASSIGN("="),
    APPEND("+=");

    private final String symbol;

    XlOperation(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
