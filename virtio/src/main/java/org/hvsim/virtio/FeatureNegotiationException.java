package org.hvsim.virtio;

/** The driver could not bring the device up: the device is legacy-only or refused the features. */
public final class FeatureNegotiationException extends Exception {
    private static final long serialVersionUID = 1L;

    public FeatureNegotiationException(String message) {
        super(message);
    }
}
