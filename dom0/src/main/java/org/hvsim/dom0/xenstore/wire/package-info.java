/**
 * XenStore messages as bytes: the frame assembler every inbound byte stream (socket or ring) goes
 * through, payload splitting with C xenstored's NUL conventions, and reply encoding.
 */
package org.hvsim.dom0.xenstore.wire;
