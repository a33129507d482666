package org.hvsim.tools.xlcfg;

/**
 * A DISKSPEC, VIFSPEC or CPULIST string that xl would refuse. The message is xl's, without the source
 * prefix: a caller that knows where the string came from prepends {@code <file>:<line>:<column>: } (for
 * a config file) or {@code command line: } (for {@code xl block-attach} and the like).
 */
public final class XlSpecException extends Exception {
    private static final long serialVersionUID = 1L;

    public XlSpecException(String message) {
        super(message);
    }

    /** This error as a configuration error at {@code location}. */
    XlConfigException at(XlLocation location) {
        return XlConfigException.at(location, getMessage());
    }
}
