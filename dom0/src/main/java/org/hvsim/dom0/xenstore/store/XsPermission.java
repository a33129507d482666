package org.hvsim.dom0.xenstore.store;

import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * One entry of a node's permission list ({@code struct xs_permissions}): a domain and what it may do.
 * The first entry of a list names the owner and, by its letter, the access of every domain not listed.
 * String form: {@code r<domid>} read, {@code w<domid>} write, {@code b<domid>} both, {@code n<domid>} none.
 *
 * @param domid the domain (0..65535)
 * @param perms a combination of {@link #READ}, {@link #WRITE} and {@link #IGNORE}
 */
public record XsPermission(int domid, int perms) {
    public static final int NONE = 0;
    public static final int READ = 1;
    public static final int WRITE = 2;
    /** Granted to owners and privileged callers only; never stored in a list. */
    public static final int OWNER = 8;
    /** The entry names a domain that no longer exists (or was replaced by a newer one): it grants nothing. */
    public static final int IGNORE = 16;
    private static final int MAX_DOMID = 0xFFFF;

    public XsPermission {
        if (domid < 0 || domid > MAX_DOMID) {
            throw new IllegalArgumentException("domid " + domid + " outside 0.." + MAX_DOMID);
        }
        if ((perms & ~(READ | WRITE | IGNORE)) != 0) {
            throw new IllegalArgumentException("bad permission bits " + perms);
        }
    }

    /**
     * Parses {@code r5}, {@code w0}, {@code b3} or {@code n0}.
     *
     * @throws XenstoreException EINVAL for anything else
     */
    public static XsPermission parse(String s) {
        if (s.length() < 2 || s.length() > 6) {
            throw new XenstoreException(XsdError.EINVAL, "bad permission '" + s + "'");
        }
        int perms = switch (s.charAt(0)) {
            case 'r' -> READ;
            case 'w' -> WRITE;
            case 'b' -> READ | WRITE;
            case 'n' -> NONE;
            default -> throw new XenstoreException(XsdError.EINVAL, "bad permission letter in '" + s + "'");
        };
        int domid = 0;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new XenstoreException(XsdError.EINVAL, "bad domid in permission '" + s + "'");
            }
            domid = domid * 10 + (c - '0');
        }
        if (domid > MAX_DOMID) {
            throw new XenstoreException(XsdError.EINVAL, "domid out of range in permission '" + s + "'");
        }
        return new XsPermission(domid, perms);
    }

    /** Whether this entry is marked as naming a gone domain. */
    public boolean ignored() {
        return (perms & IGNORE) != 0;
    }

    /** This entry marked {@link #IGNORE}. */
    public XsPermission asIgnored() {
        return new XsPermission(domid, perms | IGNORE);
    }

    /** The access bits ({@link #READ}, {@link #WRITE}) without the ignore mark. */
    public int access() {
        return perms & (READ | WRITE);
    }

    /** The wire form, e.g. {@code b5} (the ignore mark is not shown, as in C xenstored). */
    @Override
    public String toString() {
        char letter = switch (access()) {
            case READ -> 'r';
            case WRITE -> 'w';
            case READ | WRITE -> 'b';
            default -> 'n';
        };
        return letter + Integer.toString(domid);
    }
}
