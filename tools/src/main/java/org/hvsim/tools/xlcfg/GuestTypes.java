package org.hvsim.tools.xlcfg;

import java.util.Optional;
import org.hvsim.proto.control.GuestType;

/**
 * Guest types by name. Like xl, {@code type} and the deprecated {@code builder} accept any non-empty
 * prefix of a name, tried in xl's order ({@code type}: hvm, pv, pvh; {@code builder}: hvm, generic,
 * where generic is PV), so {@code "p"} is PV. Stateless.
 */
public final class GuestTypes {

    private GuestTypes() {
    }

    static Optional<GuestType> fromType(String name) {
        return prefixOf(name, new String[] {"hvm", "pv", "pvh"},
                new GuestType[] {GuestType.GUEST_TYPE_HVM, GuestType.GUEST_TYPE_PV, GuestType.GUEST_TYPE_PVH});
    }

    static Optional<GuestType> fromBuilder(String name) {
        return prefixOf(name, new String[] {"hvm", "generic"},
                new GuestType[] {GuestType.GUEST_TYPE_HVM, GuestType.GUEST_TYPE_PV});
    }

    /** {@code pv}, {@code pvh}, {@code hvm}, or {@code invalid} for an unspecified type, as libxl names them. */
    public static String libxlName(GuestType type) {
        return switch (type) {
            case GUEST_TYPE_PV -> "pv";
            case GUEST_TYPE_PVH -> "pvh";
            case GUEST_TYPE_HVM -> "hvm";
            case GUEST_TYPE_UNSPECIFIED, UNRECOGNIZED -> "invalid";
        };
    }

    private static Optional<GuestType> prefixOf(String name, String[] names, GuestType[] types) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].startsWith(name)) {
                return Optional.of(types[i]);
            }
        }
        return Optional.empty();
    }
}
