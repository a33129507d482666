package org.hvsim.dom0.blkback;

/** The frontend's queue setup cannot be accepted; the message is the one line for {@code virtio-error}. */
public final class FrontendSetupException extends Exception {
    private static final long serialVersionUID = 1L;

    public FrontendSetupException(String message) {
        super(message, null, false, false);
    }
}
