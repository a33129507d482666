package org.hvsim.hv.abi;

/** {@code XENVER_*} commands of {@code xen_version} ({@code public/version.h}). */
public final class XenVer {
    public static final int VERSION = 0;
    public static final int EXTRAVERSION = 1;
    public static final int COMPILE_INFO = 2;
    public static final int CAPABILITIES = 3;
    public static final int CHANGESET = 4;
    public static final int PLATFORM_PARAMETERS = 5;
    public static final int GET_FEATURES = 6;
    public static final int PAGESIZE = 7;
    public static final int GUEST_HANDLE = 8;
    public static final int COMMANDLINE = 9;
    public static final int BUILD_ID = 10;

    /** {@code xen_extraversion_t}: 16 bytes. */
    public static final int EXTRAVERSION_LEN = 16;
    /** {@code xen_capabilities_info_t}, {@code xen_changeset_info_t}: 1024 and 64 bytes. */
    public static final int CAPABILITIES_LEN = 1024;
    public static final int CHANGESET_LEN = 64;
    /** {@code xen_commandline_t}: 1024 bytes. */
    public static final int COMMANDLINE_LEN = 1024;
    /** {@code xen_compile_info}: compiler[64], compile_by[16], compile_domain[32], compile_date[32]. */
    public static final int COMPILE_INFO_LEN = 144;

    private XenVer() {}
}
