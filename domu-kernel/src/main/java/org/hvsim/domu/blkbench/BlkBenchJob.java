package org.hvsim.domu.blkbench;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cmdline.CommandLineException;

/**
 * One blkbench job, from the command line ({@code app=blkbench rw=randread bs=4k iodepth=32 size=256M
 * runtime=10 dev=xvda}):
 *
 * @param rw        read, write, randread, randwrite, randrw (default randread)
 * @param blockSize bytes per request: a multiple of 512 from 512 to 1 MiB (default 4k)
 * @param ioDepth   requests kept in flight, 1 to 1024 (default 32; at most the device's queue)
 * @param sizeBytes the region of the disk used, from its start; 0 = the whole disk (default)
 * @param runtimeNs how long to run; 0 = one pass over the region (default)
 * @param device    the disk (default xvda)
 * @param verify    whether data is crc32c-verified ({@code verify=crc32c}; default none)
 * @param fsyncEvery a flush after every N writes; 0 = never (default)
 * @param readPercent randrw's share of reads, 0 to 100 ({@code rwmixread}, default 50)
 * @param seed      the seed of random offsets and of the data
 */
public record BlkBenchJob(Rw rw, int blockSize, int ioDepth, long sizeBytes, long runtimeNs, String device,
                          boolean verify, long fsyncEvery, int readPercent, long seed) {
    public static final String RW = "rw";
    public static final String BS = "bs";
    public static final String IODEPTH = "iodepth";
    public static final String SIZE = "size";
    public static final String RUNTIME = "runtime";
    public static final String DEV = "dev";
    public static final String VERIFY = "verify";
    public static final String FSYNC = "fsync";
    public static final String RWMIXREAD = "rwmixread";
    public static final String SEED = "seed";
    /** The parameters a job reads. */
    public static final Set<String> PARAMETERS = Set.of(RW, BS, IODEPTH, SIZE, RUNTIME, DEV, VERIFY, FSYNC, RWMIXREAD,
            SEED);
    public static final int MAX_BLOCK = 1 << 20;
    public static final int MAX_IODEPTH = 1024;

    /** The job a command line describes; a bad value is a {@link CommandLineException} naming it. */
    public static BlkBenchJob from(CommandLine cl) {
        String rwText = cl.param(RW, Rw.RANDREAD.text());
        Rw rw = Rw.of(rwText).orElseThrow(() -> new CommandLineException(RW + "=" + rwText + " is not one of "
                + Arrays.stream(Rw.values()).map(Rw::text).collect(Collectors.joining(", "))));
        long bs = cl.sizeParam(BS, 4096, 512, MAX_BLOCK);
        if (bs % 512 != 0) {
            throw new CommandLineException(BS + "=" + cl.param(BS, "") + " is not a multiple of 512 bytes");
        }
        int depth = (int) cl.longParam(IODEPTH, 32, 1, MAX_IODEPTH);
        long size = cl.sizeParam(SIZE, 0, 0, Long.MAX_VALUE);
        if (size % 512 != 0) {
            throw new CommandLineException(SIZE + "=" + cl.param(SIZE, "") + " is not a multiple of 512 bytes");
        }
        long runtimeS = cl.longParam(RUNTIME, 0, 0, 86_400);
        String dev = cl.param(DEV, "xvda");
        String verifyText = cl.param(VERIFY, "none");
        boolean verify = switch (verifyText) {
            case "crc32c" -> true;
            case "none", "0" -> false;
            default -> throw new CommandLineException(VERIFY + "=" + verifyText + " is not crc32c or none");
        };
        long fsync = cl.longParam(FSYNC, 0, 0, Integer.MAX_VALUE);
        int mix = (int) cl.longParam(RWMIXREAD, 50, 0, 100);
        long seed = cl.longParam(SEED, 0x5eed, 0, Long.MAX_VALUE);
        return new BlkBenchJob(rw, (int) bs, depth, size, runtimeS * 1_000_000_000L, dev, verify, fsync, mix, seed);
    }
}
