package org.hvsim.dom0.xenstore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * {@link XenstoreOps} as wire requests, the way libxenstore encodes them: each operation is one message
 * with the payload conventions of xs_wire.h, sent in this object's transaction (0 for none).
 * Threads: any, except xenstored's dispatch thread.
 */
abstract class RequestOps implements XenstoreOps {

    /** Sends one request and returns the reply payload; an XS_ERROR reply throws. */
    abstract byte[] request(XsdSockmsgType type, byte[] payload);

    @Override
    public byte[] read(String path) {
        return request(XsdSockmsgType.XS_READ, XsPayload.cString(path));
    }

    @Override
    public void write(String path, byte[] value) {
        byte[] p = XsPayload.cString(path);
        byte[] payload = new byte[p.length + value.length];
        System.arraycopy(p, 0, payload, 0, p.length);
        System.arraycopy(value, 0, payload, p.length, value.length);
        request(XsdSockmsgType.XS_WRITE, payload);
    }

    @Override
    public void mkdir(String path) {
        request(XsdSockmsgType.XS_MKDIR, XsPayload.cString(path));
    }

    @Override
    public void rm(String path) {
        request(XsdSockmsgType.XS_RM, XsPayload.cString(path));
    }

    @Override
    public List<String> directory(String path) {
        try {
            return XsPayload.strings(request(XsdSockmsgType.XS_DIRECTORY, XsPayload.cString(path)));
        } catch (XenstoreException e) {
            if (e.error() != XsdError.E2BIG) {
                throw e;
            }
            return directoryInParts(path);
        }
    }

    /** A children list too long for one reply, read with DIRECTORY_PART (libxenstore's fallback). */
    private List<String> directoryInParts(String path) {
        while (true) {
            List<String> names = new ArrayList<>();
            String generation = null;
            long offset = 0;
            boolean restart = false;
            while (true) {
                byte[] reply = request(XsdSockmsgType.XS_DIRECTORY_PART,
                        XsPayload.cStrings(List.of(path, Long.toString(offset))));
                int nul = XsPayload.indexOfNul(reply, 0);
                String gen = XsPayload.latin1(reply, 0, nul);
                if (generation == null) {
                    generation = gen;
                } else if (!generation.equals(gen)) {
                    restart = true;
                    break;
                }
                int dataLen = reply.length - nul - 1;
                boolean end = dataLen == 1 || (dataLen >= 2 && reply[reply.length - 2] == 0);
                byte[] data = Arrays.copyOfRange(reply, nul + 1, reply.length - (end ? 1 : 0));
                names.addAll(XsPayload.strings(data));
                offset += data.length;
                if (end) {
                    break;
                }
            }
            if (!restart) {
                return names;
            }
        }
    }

    @Override
    public List<XsPermission> getPerms(String path) {
        List<XsPermission> out = new ArrayList<>();
        for (String s : XsPayload.strings(request(XsdSockmsgType.XS_GET_PERMS, XsPayload.cString(path)))) {
            out.add(XsPermission.parse(s));
        }
        return out;
    }

    @Override
    public void setPerms(String path, List<XsPermission> perms) {
        List<String> args = new ArrayList<>();
        args.add(path);
        for (XsPermission p : perms) {
            args.add(p.toString());
        }
        request(XsdSockmsgType.XS_SET_PERMS, XsPayload.cStrings(args));
    }
}
