/**
 * {@code hvsim demo}: a short, scripted tour of a host, run against a fresh host in a temporary
 * {@code HVSIM_HOME}, printing each {@code xl} command as a user would type it, then its output.
 */
package org.hvsim.tools.hvsim.demo;
