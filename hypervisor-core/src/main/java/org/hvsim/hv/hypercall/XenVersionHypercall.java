package org.hvsim.hv.hypercall;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.hvsim.hv.HostIdentity;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.hv.abi.XenVer;

/** {@code xen_version(cmd, arg)} (hypercall 17). */
final class XenVersionHypercall implements HypercallHandler {
    /** XENFEAT_* bits of submap 0 hvsim reports. */
    static final int XENFEAT_AUTO_TRANSLATED_PHYSMAP = 1 << 2;
    static final int XENFEAT_MMU_PT_UPDATE_PRESERVE_AD = 1 << 5;
    static final int XENFEAT_DOM0 = 1 << 11;
    /** x86-64 PV: where Xen's virtual address space starts (XENVER_platform_parameters). */
    static final long HYPERVISOR_VIRT_START = 0xFFFF_8000_0000_0000L;

    private final Hypervisor hv;
    private final byte[] buildId;

    XenVersionHypercall(Hypervisor hv) {
        this.hv = hv;
        this.buildId = buildId(hv.identity());
    }

    @Override
    public long call(HypercallContext ctx, long cmd, long arg, long a3, long a4, long a5) {
        HostIdentity id = hv.identity();
        GuestMemory m = ctx.memory();
        boolean priv = ctx.domain().isPrivileged();
        switch ((int) cmd) {
            case XenVer.VERSION:
                return ((long) id.xenMajor() << 16) | id.xenMinor();
            case XenVer.EXTRAVERSION:
                StartInfo.putCString(m, arg, XenVer.EXTRAVERSION_LEN, id.xenExtra());
                return 0;
            case XenVer.COMPILE_INFO:
                m.fill(arg, XenVer.COMPILE_INFO_LEN, (byte) 0);
                StartInfo.putCString(m, arg, 64, id.compiler());
                StartInfo.putCString(m, arg + 64, 16, id.compileBy());
                StartInfo.putCString(m, arg + 80, 32, id.compileDomain());
                StartInfo.putCString(m, arg + 112, 32, id.compileDate());
                return 0;
            case XenVer.CAPABILITIES:
                StartInfo.putCString(m, arg, XenVer.CAPABILITIES_LEN, id.capabilities());
                return 0;
            case XenVer.CHANGESET:
                StartInfo.putCString(m, arg, XenVer.CHANGESET_LEN, id.changeset());
                return 0;
            case XenVer.PLATFORM_PARAMETERS:
                m.putLong(arg, HYPERVISOR_VIRT_START);
                return 0;
            case XenVer.GET_FEATURES: {
                int idx = m.getInt(arg);
                int submap = idx != 0 ? 0
                        : XENFEAT_AUTO_TRANSLATED_PHYSMAP | XENFEAT_MMU_PT_UPDATE_PRESERVE_AD | (priv ? XENFEAT_DOM0 : 0);
                m.putInt(arg + 4, submap);
                return 0;
            }
            case XenVer.PAGESIZE:
                return Page.SIZE;
            case XenVer.GUEST_HANDLE:
                m.write(arg, ctx.domain().handle());
                return 0;
            case XenVer.COMMANDLINE:
                if (!priv) {
                    return -Errno.EPERM;
                }
                StartInfo.putCString(m, arg, XenVer.COMMANDLINE_LEN, id.commandLine());
                return 0;
            case XenVer.BUILD_ID: {
                if (!priv) {
                    return -Errno.EPERM;
                }
                int len = m.getInt(arg);
                if (len < buildId.length) {
                    return -Errno.ENOBUFS;
                }
                m.write(arg + 4, buildId);
                return buildId.length;
            }
            default:
                return -Errno.ENOSYS;
        }
    }

    private static byte[] buildId(HostIdentity id) {
        try {
            return MessageDigest.getInstance("SHA-1").digest((id.version() + "/" + id.changeset()).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
