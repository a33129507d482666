package org.hvsim.hv.gnttab;

/**
 * The outcome of pinning a grant for a mapping or a copy: {@code GNTST_okay} and the machine frame,
 * or a negative GNTST status (and no frame).
 */
record PinResult(int status, long mfn) {
    static PinResult failed(int status) {
        return new PinResult(status, -1);
    }

    boolean ok() {
        return status == 0;
    }
}
