/**
 * virtio-blk (device ID 2) wire formats, VIRTIO 1.2 §5.2: feature bits, the configuration layout, the request
 * header, discard/write-zeroes segments and status bytes, and the device's request parser, which checks a
 * chain's shape and says the spec's answer to each violation. No backend or file I/O here.
 */
package org.hvsim.virtio.blk;
