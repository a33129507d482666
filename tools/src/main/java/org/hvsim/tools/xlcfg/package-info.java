/**
 * xl.cfg(5): the lexer and parser of Xen's configuration grammar, DISKSPEC/VIFSPEC/CPULIST parsers,
 * the reader that turns a parsed file into a {@code DomainConfig}, and the {@code xl create -n} JSON.
 */
package org.hvsim.tools.xlcfg;
