package org.hvsim.dom0.xenstore.store;

import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;

/**
 * XenStore path rules ({@code canonicalize()}, {@code get_parent()}, {@code is_child()} in C xenstored):
 * the one choke point every path a client sends goes through. A valid path uses only alphanumerics and
 * {@code -/_@}, is absolute ({@code /...}), relative (resolved against the connection's home
 * {@code /local/domain/<domid>}) or special ({@code @introduceDomain}, {@code @releaseDomain[/<domid>]}),
 * has no {@code //}, no trailing {@code /} except the root, at most {@value #ABS_PATH_MAX} characters,
 * and, for an unprivileged domain, at most its {@code path-max} quota counted after
 * {@code /local/domain/<domid>/}. Paths are ASCII, so a Java char is one wire byte.
 */
public final class XsPath {
    public static final String ROOT = "/";
    public static final int ABS_PATH_MAX = XsdSockmsg.XENSTORE_ABS_PATH_MAX;
    public static final String INTRODUCE_DOMAIN = "@introduceDomain";
    public static final String RELEASE_DOMAIN = "@releaseDomain";
    static final String LOCAL_DOMAIN = "/local/domain/";

    private XsPath() {}

    /** {@code /local/domain/<domid>}: a domain's home, the base of its relative paths. */
    public static String domainPath(long domid) {
        return LOCAL_DOMAIN + domid;
    }

    /**
     * The absolute (or special) path {@code raw} names for a connection whose home is {@code implicitPath}.
     *
     * @param allowSpecial whether {@code @...} paths are accepted (watches and permissions only)
     * @param pathMax the caller's {@code path-max} quota, or 0 for none (privileged callers)
     * @throws XenstoreException EINVAL if the path is not valid
     */
    public static String canonicalize(String raw, String implicitPath, boolean allowSpecial, long pathMax) {
        if (raw == null) {
            throw new XenstoreException(XsdError.EINVAL, "missing path");
        }
        if (!validChars(raw)) {
            throw new XenstoreException(XsdError.EINVAL, "invalid character in path");
        }
        if (raw.startsWith("@") && !allowSpecial) {
            throw new XenstoreException(XsdError.EINVAL, "special path not allowed here");
        }
        String name = raw.startsWith("/") || raw.startsWith("@") ? raw : implicitPath + "/" + raw;
        if (name.endsWith("/") && !name.equals(ROOT)) {
            throw new XenstoreException(XsdError.EINVAL, "trailing '/'");
        }
        if (name.contains("//")) {
            throw new XenstoreException(XsdError.EINVAL, "empty path element");
        }
        if (name.length() > ABS_PATH_MAX) {
            throw new XenstoreException(XsdError.EINVAL, "path longer than " + ABS_PATH_MAX);
        }
        if (pathMax > 0 && name.length() - localOffset(name) > pathMax) {
            throw new XenstoreException(XsdError.EINVAL, "path longer than the path-max quota " + pathMax);
        }
        return name;
    }

    /** Whether every character is one of {@code A-Za-z0-9-/_@} (the empty string passes, as in C). */
    public static boolean validChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '/' || c == '_' || c == '@';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The length of a leading {@code /local/domain/<domid>/} ({@code sscanf("/local/domain/%5u/%n")}),
     * or 0: the part of a path that does not count against {@code path-max}.
     */
    public static int localOffset(String name) {
        if (!name.startsWith(LOCAL_DOMAIN)) {
            return 0;
        }
        int i = LOCAL_DOMAIN.length();
        int start = i;
        if (i < name.length() && name.charAt(i) == '-') {
            i++;
        }
        int digits = 0;
        while (i < name.length() && i - start < 5 && Character.isDigit(name.charAt(i))) {
            i++;
            digits++;
        }
        if (digits == 0 || i >= name.length() || name.charAt(i) != '/') {
            return 0;
        }
        return i + 1;
    }

    /** Whether {@code name} is a special ({@code @...}) path. */
    public static boolean isSpecial(String name) {
        return name.startsWith("@");
    }

    /** The parent of {@code name}: everything before its last {@code /}, or the root. */
    public static String parent(String name) {
        int slash = name.lastIndexOf('/');
        return slash > 0 ? name.substring(0, slash) : ROOT;
    }

    /** The last element of {@code name} (not the root). */
    public static String basename(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    /** The path of {@code parent}'s child {@code child}. */
    public static String child(String parent, String child) {
        return parent.equals(ROOT) ? ROOT + child : parent + "/" + child;
    }

    /**
     * Whether {@code child} is {@code parent} or below it, at most {@code depth} levels down
     * ({@code depth < 0}: any depth). The root is the parent of every absolute path.
     */
    public static boolean isChild(String child, String parent, int depth) {
        int len = parent.length();
        int subLevels = len == 1 ? 1 : 0;
        if (!child.startsWith(parent)) {
            return false;
        }
        if (child.length() > len && child.charAt(len) != '/' && len > 1) {
            return false;
        }
        if (depth < 0 || child.length() == len) {
            return true;
        }
        while (subLevels <= depth) {
            if (len == child.length()) {
                return true;
            }
            if (child.charAt(len) == '/') {
                subLevels++;
            }
            len++;
        }
        return false;
    }
}
