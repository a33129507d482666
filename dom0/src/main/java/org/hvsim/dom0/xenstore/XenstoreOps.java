package org.hvsim.dom0.xenstore;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * The database operations of an in-process client, outside or inside a transaction. Paths may be
 * absolute or relative to {@code /local/domain/0}. Each call blocks until xenstored has replied; a
 * refusal throws {@link XenstoreException} with xenstored's error (ENOENT, EACCES, EINVAL, ...).
 */
public interface XenstoreOps {

    /** The value at {@code path}. */
    byte[] read(String path);

    /** The value at {@code path} as UTF-8 text. */
    default String readString(String path) {
        return new String(read(path), StandardCharsets.UTF_8);
    }

    /** Writes {@code value} at {@code path}, creating missing parents. */
    void write(String path, byte[] value);

    default void write(String path, String value) {
        write(path, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Creates {@code path} and missing parents; an existing node is left as it is. */
    void mkdir(String path);

    /** Removes {@code path} and everything below it; no error if it is absent but its parent exists. */
    void rm(String path);

    /** The names of {@code path}'s children, in creation order. */
    List<String> directory(String path);

    /** {@code path}'s permission list, owner first. */
    List<XsPermission> getPerms(String path);

    /** Replaces {@code path}'s permission list (owner first). */
    void setPerms(String path, List<XsPermission> perms);

    /** Whether {@code path} exists (and may be read). */
    default boolean exists(String path) {
        try {
            read(path);
            return true;
        } catch (XenstoreException e) {
            if (e.error() == XsdError.ENOENT) {
                return false;
            }
            throw e;
        }
    }
}
