/**
 * The toolstack (libxl's role): validates domain configurations, builds domains, keeps the domains it
 * manages, and applies their lifecycle actions (on_poweroff, on_reboot, on_crash, ...).
 */
package org.hvsim.dom0.toolstack;
