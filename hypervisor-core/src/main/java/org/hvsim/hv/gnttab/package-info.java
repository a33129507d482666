/**
 * Grant tables (Xen's {@code common/grant_table.c}), v1: per domain, table frames the domain owns and
 * writes ({@link org.hvsim.hv.gnttab.GrantTable}), the hypervisor's private active entries with pin
 * counts, a maptrack of handles per mapping domain, and the {@code grant_table_op} hypercall
 * ({@link org.hvsim.hv.gnttab.GrantTableOps}) with Xen's GNTST status codes.
 */
package org.hvsim.hv.gnttab;
