package org.hvsim.tools.xlcfg;

import java.util.Optional;
import org.hvsim.proto.control.LifecycleAction;

/**
 * The actions of {@code on_poweroff}, {@code on_reboot}, {@code on_watchdog}, {@code on_crash} and
 * {@code on_soft_reset}: the names xl.cfg uses ({@code rename-restart}) and the names libxl's JSON uses
 * ({@code restart_rename}). Stateless.
 */
public final class LifecycleActions {

    private LifecycleActions() {
    }

    /** The action an xl.cfg name stands for. */
    public static Optional<LifecycleAction> fromXlName(String name) {
        return Optional.ofNullable(switch (name) {
            case "destroy" -> LifecycleAction.LIFECYCLE_ACTION_DESTROY;
            case "restart" -> LifecycleAction.LIFECYCLE_ACTION_RESTART;
            case "rename-restart" -> LifecycleAction.LIFECYCLE_ACTION_RESTART_RENAME;
            case "preserve" -> LifecycleAction.LIFECYCLE_ACTION_PRESERVE;
            case "coredump-destroy" -> LifecycleAction.LIFECYCLE_ACTION_COREDUMP_DESTROY;
            case "coredump-restart" -> LifecycleAction.LIFECYCLE_ACTION_COREDUMP_RESTART;
            case "soft-reset" -> LifecycleAction.LIFECYCLE_ACTION_SOFT_RESET;
            default -> null;
        });
    }

    /** The xl.cfg name of an action ({@code rename-restart}). */
    public static String xlName(LifecycleAction action) {
        return switch (action) {
            case LIFECYCLE_ACTION_DESTROY -> "destroy";
            case LIFECYCLE_ACTION_RESTART -> "restart";
            case LIFECYCLE_ACTION_RESTART_RENAME -> "rename-restart";
            case LIFECYCLE_ACTION_PRESERVE -> "preserve";
            case LIFECYCLE_ACTION_COREDUMP_DESTROY -> "coredump-destroy";
            case LIFECYCLE_ACTION_COREDUMP_RESTART -> "coredump-restart";
            case LIFECYCLE_ACTION_SOFT_RESET -> "soft-reset";
            case LIFECYCLE_ACTION_UNSPECIFIED, UNRECOGNIZED -> "";
        };
    }

    /** The libxl name of an action ({@code restart_rename}), as {@code xl create -n} prints it. */
    public static String libxlName(LifecycleAction action) {
        return switch (action) {
            case LIFECYCLE_ACTION_DESTROY -> "destroy";
            case LIFECYCLE_ACTION_RESTART -> "restart";
            case LIFECYCLE_ACTION_RESTART_RENAME -> "restart_rename";
            case LIFECYCLE_ACTION_PRESERVE -> "preserve";
            case LIFECYCLE_ACTION_COREDUMP_DESTROY -> "coredump_destroy";
            case LIFECYCLE_ACTION_COREDUMP_RESTART -> "coredump_restart";
            case LIFECYCLE_ACTION_SOFT_RESET -> "soft_reset";
            case LIFECYCLE_ACTION_UNSPECIFIED, UNRECOGNIZED -> "";
        };
    }
}
