package org.hvsim.dom0.privcmd;

/** The hypervisor broke the privcmd protocol; the channel is closed. */
final class PrivcmdProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PrivcmdProtocolException(String detail) {
        super(detail, null, false, false);
    }
}
