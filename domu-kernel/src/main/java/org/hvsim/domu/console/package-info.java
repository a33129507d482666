/** The PV console frontend: the {@code xencons_interface} ring protocol and its flow-controlled driver. */
package org.hvsim.domu.console;
