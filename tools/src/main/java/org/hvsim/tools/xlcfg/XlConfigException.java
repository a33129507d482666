package org.hvsim.tools.xlcfg;

import java.util.Objects;

/**
 * A configuration that xl would refuse. The message is what xl prints, one error per line, each
 * starting {@code <file>:<line>:<column>: } (xl prints the line only; hvsim adds the column); a file
 * that looks like Python ends with xl's three warning lines. {@link #file()}, {@link #line()} and
 * {@link #column()} give the first error; line 0 means the error is about the file as a whole (such as
 * a missing {@code name}).
 */
public final class XlConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient XlLocation location;

    public XlConfigException(XlLocation location, String message) {
        super(message);
        this.location = Objects.requireNonNull(location, "location");
    }

    /** An error about one value or token: the message is prefixed with its location. */
    static XlConfigException at(XlLocation location, String what) {
        return new XlConfigException(location, location.prefix() + ": " + what);
    }

    public XlLocation location() {
        return location;
    }

    public String file() {
        return location.file();
    }

    public int line() {
        return location.line();
    }

    public int column() {
        return location.column();
    }
}
