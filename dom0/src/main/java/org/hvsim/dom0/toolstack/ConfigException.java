package org.hvsim.dom0.toolstack;

/**
 * A request the toolstack refuses: what kind of refusal (for the control plane's status code), the
 * xl.cfg key at fault (so the message can point at its file, line and column), and a message for people.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Kinds of refusal, as the control plane reports them. */
    public enum Kind {
        INVALID,
        NOT_FOUND,
        ALREADY_EXISTS,
        RESOURCE_EXHAUSTED,
        FAILED_PRECONDITION
    }

    private final Kind kind;
    private final String key;

    public ConfigException(Kind kind, String key, String message) {
        super(message);
        this.kind = kind;
        this.key = key;
    }

    public static ConfigException invalid(String key, String message) {
        return new ConfigException(Kind.INVALID, key, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The xl.cfg key the problem is about, or null. */
    public String key() {
        return key;
    }
}
