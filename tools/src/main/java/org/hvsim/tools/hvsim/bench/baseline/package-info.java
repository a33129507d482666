/**
 * The native baselines hvsim's block I/O is measured against, side by side in one run: a plain Java
 * program doing the same positional reads and writes on the same file ({@link
 * org.hvsim.tools.hvsim.bench.baseline.PositionalIo}), and a bare cross-process shared-memory
 * single-producer/single-consumer ring of a virtqueue's shape ({@link
 * org.hvsim.tools.hvsim.bench.baseline.SharedMemoryRing}).
 */
package org.hvsim.tools.hvsim.bench.baseline;
