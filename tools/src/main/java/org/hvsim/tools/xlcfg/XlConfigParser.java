package org.hvsim.tools.xlcfg;

/**
 * Parses xl.cfg text into an {@link XlConfig}: the grammar only, with no knowledge of keys. Sources
 * larger than {@value #MAX_SOURCE_CHARS} characters are refused. Stateless.
 */
public final class XlConfigParser {
    public static final int MAX_SOURCE_CHARS = 1 << 20;

    private XlConfigParser() {
    }

    /** Parses one source; {@code sourceName} is the file name used in messages and locations. */
    public static XlConfig parse(String text, String sourceName) throws XlConfigException {
        return parse(text, sourceName, new XlSettingsBuilder(), sourceName);
    }

    /**
     * Parses {@code text} as statements that follow those of {@code base} (xl's command-line
     * {@code key=value} overrides): a later {@code =} replaces and a {@code +=} appends to the value
     * the base gives. The result keeps the base's source file.
     */
    public static XlConfig parse(String text, String sourceName, XlConfig base) throws XlConfigException {
        return parse(text, sourceName, new XlSettingsBuilder(base), base.sourceFile());
    }

    private static XlConfig parse(String text, String sourceName, XlSettingsBuilder settings, String sourceFile)
            throws XlConfigException {
        if (text.length() > MAX_SOURCE_CHARS) {
            throw new XlConfigException(XlLocation.wholeFile(sourceName), sourceName
                    + ": configuration is too large (" + text.length() + " characters, limit "
                    + MAX_SOURCE_CHARS + ")");
        }
        XlDiagnostics diagnostics = new XlDiagnostics();
        new XlParser(new XlLexer(text, sourceName, diagnostics), diagnostics, settings).parseFile();
        if (diagnostics.hasErrors()) {
            throw diagnostics.toException();
        }
        return settings.build(sourceFile);
    }
}
