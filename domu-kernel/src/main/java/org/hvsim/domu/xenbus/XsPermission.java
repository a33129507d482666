package org.hvsim.domu.xenbus;

import java.util.Objects;

/**
 * One entry of a node's permission list, in its string form {@code <letter><domid>} ({@code n0}, {@code r5},
 * {@code b3}): the first entry names the owner and the access of every domain not listed; later entries grant
 * one domain each.
 */
public record XsPermission(Access access, int domid) {
    /** The largest domid a permission may name ({@code domid_t} is 16 bits). */
    public static final int MAX_DOMID = 0xffff;

    /** {@code XS_PERM_*} as letters. */
    public enum Access {
        NONE('n'),
        READ('r'),
        WRITE('w'),
        BOTH('b');

        private final char letter;

        Access(char letter) {
            this.letter = letter;
        }

        public char letter() {
            return letter;
        }

        static Access of(char letter) {
            for (Access a : values()) {
                if (a.letter == letter) {
                    return a;
                }
            }
            return null;
        }
    }

    public XsPermission {
        Objects.requireNonNull(access, "access");
        if (domid < 0 || domid > MAX_DOMID) {
            throw new IllegalArgumentException("domid " + domid + " is outside 0.." + MAX_DOMID);
        }
    }

    /**
     * Parses {@code <letter><domid>}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static XsPermission parse(String s) {
        Access a = s.length() >= 2 && s.length() <= 6 ? Access.of(s.charAt(0)) : null;
        if (a == null || !s.substring(1).chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("\"" + s + "\" is not a XenStore permission");
        }
        int domid = Integer.parseInt(s.substring(1));
        if (domid > MAX_DOMID) {
            throw new IllegalArgumentException("\"" + s + "\" names a domid above " + MAX_DOMID);
        }
        return new XsPermission(a, domid);
    }

    @Override
    public String toString() {
        return access.letter() + Integer.toString(domid);
    }
}
