/** xl, the hvsim toolstack's command line: one picocli class per subcommand, each a thin gRPC client of dom0. */
package org.hvsim.tools.xl;
