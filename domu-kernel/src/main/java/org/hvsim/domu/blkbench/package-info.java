/**
 * {@code blkbench}: fio-style block workloads the guest kernel runs on one of its disks (modes read,
 * write, randread, randwrite, randrw; block size, queue depth, size, runtime; crc32c-verified
 * self-describing data; a flush every N writes), with latency percentiles, a human summary and one
 * JSON line of results.
 */
package org.hvsim.domu.blkbench;
