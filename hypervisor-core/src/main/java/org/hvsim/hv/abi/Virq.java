package org.hvsim.hv.abi;

/** Virtual IRQ numbers ({@code VIRQ_*} in {@code public/xen.h}). */
public final class Virq {
    public static final int TIMER = 0;
    public static final int DEBUG = 1;
    public static final int CONSOLE = 2;
    public static final int DOM_EXC = 3;
    public static final int TBUF = 4;
    public static final int DEBUGGER = 6;
    public static final int XENOPROF = 7;
    public static final int CON_RING = 8;
    public static final int PCPU_STATE = 9;
    public static final int MEM_EVENT = 10;
    public static final int ARGO = 11;
    public static final int ENOMEM = 12;
    public static final int XENPMU = 13;
    public static final int ARCH_0 = 16;
    public static final int ARCH_7 = 23;
    public static final int NR_VIRQS = 24;

    /** How a VIRQ is bound and delivered. */
    public enum Kind {
        /** One binding per vCPU, fixed to it (TIMER, DEBUG, XENOPROF, XENPMU). */
        PER_VCPU,
        /** One binding per domain, on any vCPU (ARGO). */
        PER_DOMAIN,
        /** Owned by one domain of the host, dom0 unless handed to another (CONSOLE, DOM_EXC, ...). */
        GLOBAL
    }

    private Virq() {}

    public static Kind kind(int virq) {
        return switch (virq) {
            case TIMER, DEBUG, XENOPROF, XENPMU -> Kind.PER_VCPU;
            case ARGO -> Kind.PER_DOMAIN;
            default -> (virq >= ARCH_0 && virq <= ARCH_7) ? Kind.PER_DOMAIN : Kind.GLOBAL;
        };
    }

    public static String name(int virq) {
        return switch (virq) {
            case TIMER -> "TIMER";
            case DEBUG -> "DEBUG";
            case CONSOLE -> "CONSOLE";
            case DOM_EXC -> "DOM_EXC";
            case TBUF -> "TBUF";
            case DEBUGGER -> "DEBUGGER";
            case XENOPROF -> "XENOPROF";
            case CON_RING -> "CON_RING";
            case PCPU_STATE -> "PCPU_STATE";
            case MEM_EVENT -> "MEM_EVENT";
            case ARGO -> "ARGO";
            case ENOMEM -> "ENOMEM";
            case XENPMU -> "XENPMU";
            default -> (virq >= ARCH_0 && virq <= ARCH_7) ? "ARCH_" + (virq - ARCH_0) : "#" + virq;
        };
    }
}
