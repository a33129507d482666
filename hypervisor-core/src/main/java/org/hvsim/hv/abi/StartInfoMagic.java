package org.hvsim.hv.abi;

/** {@code start_info.magic}: Xen's ABI version string, "xen-3.0-x86_64" on 64-bit x86 (not the release). */
public final class StartInfoMagic {
    public static final String VALUE = "xen-3.0-x86_64";

    private StartInfoMagic() {}
}
