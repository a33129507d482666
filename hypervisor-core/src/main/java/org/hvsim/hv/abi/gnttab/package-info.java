/**
 * Grant table ABI ({@code public/grant_table.h}), version 1 only: the shared entry layout, the
 * {@code GTF_*}, {@code GNTMAP_*} and {@code GNTCOPY_*} flags, {@code GNTTABOP_*} numbers, {@code GNTST_*}
 * status codes, and the byte-exact x86-64 argument structures of {@code grant_table_op}. Numbers and
 * layouts only, no behaviour.
 */
package org.hvsim.hv.abi.gnttab;
