/**
 * VIRTIO 1.2 basics shared by drivers and devices of every type and transport: the reserved feature
 * bits, the device status field and the feature negotiation both sides run, and the transport-independent
 * interface ({@link org.hvsim.virtio.VirtioTransport}) a transport such as xenbus carries them over.
 */
package org.hvsim.virtio;
