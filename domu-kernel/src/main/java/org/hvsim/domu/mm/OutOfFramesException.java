package org.hvsim.domu.mm;

/** Every frame the kernel manages is allocated. */
public final class OutOfFramesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutOfFramesException(long managed) {
        super("out of memory: all " + managed + " free frames are allocated", null, false, false);
    }
}
