package org.hvsim.dom0.blkback;

import java.io.IOException;

/** Opens the image an {@link ImageTarget} names. */
public final class BlockImages {
    private BlockImages() {}

    /**
     * The image of {@code target}, read-only or not; only {@code format=raw} (or none) is served.
     *
     * @throws IOException for a format hvsim does not serve, or a file it cannot open as an image
     */
    public static BlockImage open(ImageTarget target, String format, boolean readOnly) throws IOException {
        if (!format.isEmpty() && !format.equals("raw")) {
            throw new IOException("format " + format + " is not served: hvsim's block backend serves raw images");
        }
        return switch (target) {
            case ImageTarget.Null n -> new NullImage(n.bytes(), readOnly);
            case ImageTarget.File f -> RawFileImage.open(f.path(), readOnly);
        };
    }
}
