package org.hvsim.tools.xlcfg;

import org.hvsim.proto.control.SourceLocation;

/**
 * A place in a configuration source: the file name as given to xl, a 1-based line and a 1-based
 * column (counted in Unicode code points). Line 0 means "the source as a whole" (for errors such as a
 * missing mandatory key, which have no place of their own).
 */
public record XlLocation(String file, int line, int column) {

    /** The location of a whole source, for errors that are about no particular line. */
    public static XlLocation wholeFile(String file) {
        return new XlLocation(file, 0, 0);
    }

    /** {@code file:line:column}, or just {@code file} for a whole-source location. */
    public String prefix() {
        return line == 0 ? file : file + ":" + line + ":" + column;
    }

    /** {@code file:line}, the form xl uses for warnings. */
    public String lineOnly() {
        return line == 0 ? file : file + ":" + line;
    }

    public SourceLocation toProto() {
        return SourceLocation.newBuilder().setFile(file).setLine(line).setColumn(column).build();
    }

    @Override
    public String toString() {
        return prefix();
    }
}
