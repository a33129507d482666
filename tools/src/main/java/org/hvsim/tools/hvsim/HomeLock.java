package org.hvsim.tools.hvsim;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import org.hvsim.tools.client.HvsimHome;

/**
 * An exclusive lock on {@code $HVSIM_HOME/hvsim.lock}, held while {@code start} or {@code stop} changes a
 * home, so that two of them cannot interleave. The operating system drops it if the process dies.
 */
final class HomeLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or fails at once if another hvsim holds it. */
    static HomeLock acquire(HvsimHome home) throws IOException, HvsimFailure {
        FileChannel channel = FileChannel.open(home.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new HvsimFailure("another hvsim start or stop is running in HVSIM_HOME=" + home.dir(), 1);
        }
        return new HomeLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
