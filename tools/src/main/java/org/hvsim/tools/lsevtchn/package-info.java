/** {@code tools/bin/lsevtchn}: a domain's open event channels, as Xen's tools/xcutils/lsevtchn prints them. */
package org.hvsim.tools.lsevtchn;
