package org.hvsim.hv;

/**
 * What the hypervisor says about itself (xen_version, sysctl physinfo): the Xen version it implements,
 * its command line, and the simulated CPUs' clock rate.
 */
public record HostIdentity(int xenMajor, int xenMinor, String xenExtra, String changeset, String commandLine,
        String compiler, String compileBy, String compileDomain, String compileDate, int cpuKhz) {

    /** hvsim implements the hypervisor interface of Xen 4.19. */
    public static HostIdentity of(String commandLine) {
        return new HostIdentity(4, 19, ".0-hvsim", "hvsim", commandLine, "OpenJDK " + Runtime.version(),
                System.getProperty("user.name", "hvsim"), "hvsim.invalid", "n/a", 2_000_000);
    }

    /** {@code xen_version} "4.19.0-hvsim". */
    public String version() {
        return xenMajor + "." + xenMinor + xenExtra;
    }

    /** {@code XENVER_capabilities}: hvsim runs 64-bit PV guests only. */
    public String capabilities() {
        return "xen-3.0-x86_64";
    }
}
