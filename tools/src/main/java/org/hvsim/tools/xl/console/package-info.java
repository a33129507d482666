/** xl console: a domain's PV console as a bidirectional gRPC stream, and the terminal it runs in. */
package org.hvsim.tools.xl.console;
