package org.hvsim.tools.xl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Waits (with a deadline) until a file contains a text: a child process has got that far. */
public final class AwaitFile {
    private AwaitFile() {
    }

    public static void until(Path file, String text) {
        Await.until(file + " to contain '" + text + "'", () -> {
            try {
                return Files.exists(file) && Files.readString(file).contains(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
